package dev.switchboard.provider.http;

/**
 * How providers talk HTTP. Transport failures (refused connection, timeout, reset) come back as
 * {@link dev.switchboard.model.ModelFailure}s; HTTP error statuses come back as results for the provider to
 * classify, because only the provider knows its error body.
 */
public interface HttpTransport extends AutoCloseable {
    HttpResult send(HttpCall call, FailureContext ctx);

    LineStream stream(HttpCall call, FailureContext ctx);

    @Override
    void close();

    /** Who is calling, so a transport failure names the provider and model it happened to. */
    record FailureContext(String provider, String modelId) {}
}
