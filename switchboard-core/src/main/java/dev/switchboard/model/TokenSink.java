package dev.switchboard.model;

/**
 * Receives streamed text as it arrives, on the caller's (virtual) thread. Throwing from {@link #token} aborts
 * the stream: that is how a disconnected client stops the upstream request.
 */
@FunctionalInterface
public interface TokenSink {
    void token(String text);
}
