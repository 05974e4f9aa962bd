package dev.switchboard.model;

/**
 * Receives a streamed answer as it arrives, on the caller's (virtual) thread. Throwing from {@link #accept} aborts
 * the stream: that is how a disconnected client stops the upstream request.
 */
@FunctionalInterface
public interface StreamSink {
    void accept(ChatDelta delta);

    /** A sink that only wants the text of the first choice. */
    static StreamSink text(TokenSink tokens) {
        return d -> {
            if (d.choice() == 0 && d.text() != null && !d.text().isEmpty()) {
                tokens.token(d.text());
            }
        };
    }
}
