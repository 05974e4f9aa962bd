package dev.switchboard.provider.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.json.Json;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.UpstreamError;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Turns an upstream HTTP error into a {@link ModelFailure}. The mapping by status is shared by every HTTP
 * provider, including the codes only some providers use (OpenRouter's 402, Anthropic's 529).
 */
public final class HttpErrors {
    private static final int MAX_MESSAGE = 500;

    private HttpErrors() {}

    /**
     * @param redact removes credentials from the upstream's own words before they go anywhere
     */
    public static ModelFailure classify(String provider, String modelId, int status, Function<String, String> header,
                                        String body, UnaryOperator<String> redact) {
        ErrorInfo info = parse(body);
        // Redact before cutting: a key straddling the cut would otherwise survive as a prefix.
        String message = truncate(redact.apply(info.message == null ? "HTTP " + status : info.message));
        UpstreamError upstream = info.message == null && info.type == null ? null : new UpstreamError(message,
                info.type, info.ownCode == null ? null : redact.apply(info.ownCode),
                info.param == null ? null : redact.apply(info.param));
        String code = info.code == null ? "" : info.code.toLowerCase(Locale.ROOT);
        String prefix = provider + " answered " + status + ": ";
        String lower = message.toLowerCase(Locale.ROOT);

        if (code.contains("context_length") || lower.contains("context length") || lower.contains("context window")
                || lower.contains("maximum context") || lower.contains("too many tokens")
                || lower.contains("prompt is too long") || lower.contains("input is too long")) {
            return new ModelFailure.ContextTooLong(provider, modelId, status, prefix + message, upstream);
        }
        if (code.contains("content_filter") || code.contains("content_policy") || code.contains("moderation")) {
            return new ModelFailure.ContentRefused(provider, modelId, status, prefix + message, upstream);
        }
        return switch (status) {
            // 402 Payment Required: no credits left (OpenRouter). Retrying cannot help; the account needs attention.
            case 401, 402, 403 -> new ModelFailure.AuthFailed(provider, modelId, status, prefix + message, upstream);
            case 404 -> new ModelFailure.Unavailable(provider, modelId, status, prefix + message, null, upstream);
            case 408 -> new ModelFailure.Timeout(provider, modelId, status, prefix + message, null, upstream);
            case 413 -> new ModelFailure.BadRequest(provider, modelId, status, prefix + message, upstream);
            case 429 -> new ModelFailure.RateLimited(provider, modelId, status, prefix + message,
                    retryAfter(header.apply("retry-after")), upstream);
            default -> status >= 500
                    ? new ModelFailure.Unavailable(provider, modelId, status, prefix + message, null, upstream)
                    : new ModelFailure.BadRequest(provider, modelId, status, prefix + message, upstream);
        };
    }

    /** {@code Retry-After} as delta-seconds or an HTTP date; null when absent or unreadable. */
    public static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            double seconds = Double.parseDouble(v);
            return seconds < 0 || Double.isNaN(seconds) || Double.isInfinite(seconds) ? null
                    : Duration.ofMillis((long) Math.min(seconds * 1000, Duration.ofDays(1).toMillis()));
        } catch (NumberFormatException ignored) {
            // not a number: try the HTTP-date form
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (RuntimeException ignored) {
            return null;
        }
    }

    /**
     * The message, code, type and param of an error body, whatever its dialect; the raw text when it is not JSON.
     * {@code code} falls back to the type, which is what tells failures apart where an upstream has no codes.
     */
    public static ErrorInfo parse(String body) {
        if (body == null || body.isBlank()) {
            return new ErrorInfo(null, null, null, null);
        }
        try {
            JsonNode root = Json.mapper().readTree(body);
            JsonNode error = root.path("error");
            if (error.isTextual()) {
                return new ErrorInfo(error.asText(), null, null, null); // Ollama: {"error":"..."}
            }
            if (error.isObject()) {
                // OpenAI/OpenRouter {"error":{"message","code","type"}}, Anthropic {"type":"error","error":{"type","message"}}
                String ownCode = text(error.get("code"));
                String type = text(error.get("type"));
                String code = ownCode == null ? type : ownCode;
                // OpenRouter's code is the HTTP status; only its metadata tells a moderation flag (403) from a refused key.
                JsonNode metadata = error.path("metadata");
                if (metadata.has("flagged_input") || metadata.has("reasons")) {
                    code = "moderation";
                }
                return new ErrorInfo(text(error.get("message")), code, type, text(error.get("param")), ownCode);
            }
            String message = text(root.get("message"));
            if (message == null) {
                message = text(root.get("detail"));
            }
            return new ErrorInfo(message == null ? body.strip() : message, text(root.get("code")), null, null);
        } catch (Exception notJson) {
            return new ErrorInfo(body.strip(), null, null, null);
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
    }

    private static String truncate(String s) {
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "…";
    }

    /** {@code ownCode} is the code exactly as the upstream gave it (null when it gave none). */
    public record ErrorInfo(String message, String code, String type, String param, String ownCode) {
        ErrorInfo(String message, String code, String type, String param) {
            this(message, code, type, param, code);
        }
    }
}
