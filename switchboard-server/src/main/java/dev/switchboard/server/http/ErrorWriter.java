package dev.switchboard.server.http;

import dev.switchboard.json.Json;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Writes an {@link ApiError} in the shape the caller's API speaks: OpenAI's {@code {"error":{…}}} under
 * {@code /v1}, FastAPI's {@code {"detail": "…"}} everywhere else (the TTA frontend reads that).
 */
public final class ErrorWriter {
    private ErrorWriter() {}

    /** OpenAI's error object: {@code param} and {@code code} are sent as null when absent, as OpenAI does. */
    private record OpenAiError(String message, String type, String param, String code) {}

    public static boolean isOpenAiPath(String path) {
        return path.startsWith("/v1/") || path.equals("/v1");
    }

    private static final String WRITTEN = "switchboard.error-written";

    /** Whether a handler already answered with an {@link ApiError} (so status-code pages must not replace it). */
    public static boolean written(Context ctx) {
        return ctx.attribute(WRITTEN) != null;
    }

    public static void write(Context ctx, ApiError error) {
        ctx.attribute(WRITTEN, Boolean.TRUE);
        ctx.status(error.status());
        if (error.retryAfter() != null) {
            ctx.header("Retry-After", Long.toString(Math.max(1, (error.retryAfter().toMillis() + 999) / 1000)));
        }
        if (error.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        if (error.status() == 413 || error.status() == 401) {
            // The body was rejected unread; a client must not reuse a connection that still carries it.
            ctx.header("Connection", "close");
        }
        ctx.contentType("application/json");
        ctx.result(Json.bytes(body(ctx.path(), error)));
    }

    /** The error body; when routing was involved it carries the attempts and the explanation too. */
    public static Object body(String path, ApiError error) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        if (isOpenAiPath(path)) {
            out.put("error", new OpenAiError(error.message(), error.type(), error.param(), error.code()));
        } else {
            out.put("detail", error.message());
        }
        if (error.routing() != null) {
            out.put("attempts", error.routing().attempts());
            out.put("routing", error.routing());
        }
        return out;
    }
}
