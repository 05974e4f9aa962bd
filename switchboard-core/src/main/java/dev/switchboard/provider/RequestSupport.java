package dev.switchboard.provider;

import dev.switchboard.model.ChatRequest;

/**
 * What a provider's wire format can carry, beyond what each model can do: whether it has several choices per
 * request, log-probabilities, and room for fields of another dialect. Routing asks before calling, so a request
 * falls back only to deployments that can serve it; the mappers ask again and refuse with a 400 naming the field.
 */
@FunctionalInterface
public interface RequestSupport {
    /** For providers that take every field of their own dialect. */
    RequestSupport EVERYTHING = r -> null;

    /** Null when the provider can carry every field of the request; else the first field it cannot, and why. */
    Unsupported check(ChatRequest request);

    /** A field a provider cannot carry. {@code reason} completes "provider X cannot take FIELD: …". */
    record Unsupported(String field, String reason) {}
}
