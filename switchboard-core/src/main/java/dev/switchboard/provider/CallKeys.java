package dev.switchboard.provider;

import dev.switchboard.config.Secret;
import dev.switchboard.model.Caller;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The credentials one upstream call goes out with: the headers to send and how to scrub them from what the upstream
 * says back. Usually the operator's configured keys; for a caller who brought their own key, that key, so the
 * caller pays, and their key is scrubbed as carefully as the operator's.
 */
public record CallKeys(Map<String, String> headers, UnaryOperator<String> redact, Caller caller) {
    public CallKeys {
        headers = Map.copyOf(headers);
    }

    /** These keys with {@code header} set to {@code scheme + key} instead, paid for by {@code caller}. */
    public CallKeys paidBy(Caller caller, String header, String scheme, Secret key) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(header, scheme + key.reveal());
        UnaryOperator<String> operator = redact;
        return new CallKeys(h, text -> key.scrub(operator.apply(text)), caller);
    }
}
