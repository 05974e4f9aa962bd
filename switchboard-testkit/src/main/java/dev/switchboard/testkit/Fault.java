package dev.switchboard.testkit;

import java.time.Duration;
import java.util.Map;

/** One scripted misbehaviour of a mock upstream, consumed by the next chat request. */
public record Fault(Kind kind, int status, String body, Map<String, String> headers, Duration delay,
                    int afterChunks, Duration delayBetweenChunks) {

    public enum Kind { STATUS, DELAY, MALFORMED, TRUNCATED, MID_STREAM_ERROR, KEEPALIVE_COMMENTS, SLOW_STREAM, IGNORE_STREAM, FINISH_REASON }

    /** An HTTP error answer with the given body (already in the upstream's error shape). */
    public static Fault status(int status, String body, Map<String, String> headers) {
        return new Fault(Kind.STATUS, status, body, headers, null, 0, null);
    }

    /** OpenAI's error envelope with the given status, message and code. */
    public static Fault openAiError(int status, String message, String type, String code, Map<String, String> headers) {
        String body = "{\"error\":{\"message\":\"" + message.replace("\"", "\\\"") + "\",\"type\":\"" + type
                + "\",\"param\":null,\"code\":" + (code == null ? "null" : "\"" + code + "\"") + "}}";
        return status(status, body, headers);
    }

    /** Waits before answering normally (or before the status of a later fault field). */
    public static Fault delay(Duration d) {
        return new Fault(Kind.DELAY, 0, null, Map.of(), d, 0, null);
    }

    /** Non-stream: a cut-off JSON body with status 200. Stream: a cut-off chunk after {@code afterChunks}. */
    public static Fault malformed(int afterChunks) {
        return new Fault(Kind.MALFORMED, 0, null, Map.of(), null, afterChunks, null);
    }

    /** The stream stops after {@code afterChunks} content chunks: no finish_reason, no [DONE]. */
    public static Fault truncated(int afterChunks) {
        return new Fault(Kind.TRUNCATED, 0, null, Map.of(), null, afterChunks, null);
    }

    /** A {@code data:} event carrying {@code eventJson} (with an {@code error} field) after some chunks. */
    public static Fault midStreamError(int afterChunks, String eventJson) {
        return new Fault(Kind.MID_STREAM_ERROR, 0, eventJson, Map.of(), null, afterChunks, null);
    }

    /** SSE comment lines ({@code : OPENROUTER PROCESSING}) between the chunks. */
    public static Fault keepAliveComments() {
        return new Fault(Kind.KEEPALIVE_COMMENTS, 0, null, Map.of(), null, 0, null);
    }

    /**
     * Answers normally but ends with {@code finish_reason} {@code reason} ({@code length}, {@code content_filter} …)
     * instead of {@code stop}; the reason travels in {@link #body()}.
     */
    public static Fault finishWith(String reason) {
        return new Fault(Kind.FINISH_REASON, 0, reason, Map.of(), null, 0, null);
    }

    /** Answers a {@code stream: true} request with one plain JSON completion, as some servers do. */
    public static Fault ignoreStream() {
        return new Fault(Kind.IGNORE_STREAM, 0, null, Map.of(), null, 0, null);
    }

    /** Pauses between streamed chunks, for idle-timeout tests. */
    public static Fault slowStream(Duration between) {
        return new Fault(Kind.SLOW_STREAM, 0, null, Map.of(), null, 0, between);
    }
}
