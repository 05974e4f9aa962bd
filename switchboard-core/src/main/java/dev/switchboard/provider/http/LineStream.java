package dev.switchboard.provider.http;

import java.util.function.Function;

/**
 * A streamed upstream response read line by line (SSE or NDJSON). {@link #nextLine()} blocks for at most the
 * idle timeout and returns null at the end of the body. Closing it cancels the upstream request.
 */
public interface LineStream extends AutoCloseable {
    int status();

    Function<String, String> header();

    String nextLine();

    /** The rest of the body as text, for error responses. */
    default String drain() {
        StringBuilder sb = new StringBuilder();
        String line;
        while ((line = nextLine()) != null) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /**
     * Reads what is left of a body whose content is complete (the stream's terminator was seen), waiting at most
     * {@code grace}. Returns true when the body ended cleanly, so its connection can be reused.
     */
    default boolean finish(java.time.Duration grace) {
        drain();
        return true;
    }

    @Override
    void close();
}
