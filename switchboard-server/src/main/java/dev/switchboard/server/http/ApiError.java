package dev.switchboard.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.NoModelAvailableException;
import dev.switchboard.model.UnknownModelException;
import io.javalin.http.HttpResponseException;
import java.time.Duration;

/**
 * What a failure means to an HTTP caller: status, error type and code, a message safe to show, and a
 * Retry-After when the upstream gave one. The one place exceptions become statuses, for both APIs.
 */
public record ApiError(int status, String type, String code, String param, String message, Duration retryAfter) {

    public static ApiError of(int status, String type, String code, String message) {
        return new ApiError(status, type, code, null, message, null);
    }

    public static ApiError from(Throwable t) {
        return switch (t) {
            case InvalidRequestException e -> new ApiError(400, "invalid_request_error", "invalid_value", e.field(), e.getMessage(), null);
            case UnknownModelException e -> of(404, "invalid_request_error", "model_not_found", e.getMessage());
            case NoModelAvailableException e -> of(503, "service_unavailable", "no_model_available", e.getMessage());
            case ModelFailure f -> fromFailure(f);
            case HttpBodies.PayloadTooLarge e -> of(413, "invalid_request_error", "request_too_large", e.getMessage());
            case JsonProcessingException e -> of(400, "invalid_request_error", "invalid_json", BodyParser.describe(e));
            case HttpResponseException e -> of(e.getStatus(), e.getStatus() == 413 ? "invalid_request_error" : typeFor(e.getStatus()),
                    e.getStatus() == 413 ? "request_too_large" : null, e.getMessage());
            case IllegalStateException e when e.getMessage() != null && e.getMessage().contains("not initialized") ->
                    of(503, "service_unavailable", "not_started", e.getMessage());
            default -> of(500, "api_error", "internal_error", "internal error; the server log has the details");
        };
    }

    private static ApiError fromFailure(ModelFailure f) {
        return switch (f) {
            case ModelFailure.RateLimited r -> new ApiError(429, "rate_limit_error", "rate_limited", null, f.getMessage(),
                    r.retryAfter().orElse(null));
            case ModelFailure.Unavailable u -> of(503, "upstream_unavailable", "upstream_unavailable", f.getMessage());
            case ModelFailure.Timeout t -> of(504, "upstream_timeout", "upstream_timeout", f.getMessage());
            case ModelFailure.BadRequest b -> of(400, "invalid_request_error", "upstream_rejected", f.getMessage());
            case ModelFailure.AuthFailed a -> of(502, "upstream_auth_error", "upstream_auth_failed", f.getMessage());
            case ModelFailure.ContextTooLong c -> of(400, "invalid_request_error", "context_length_exceeded", f.getMessage());
            case ModelFailure.ContentRefused c -> of(400, "invalid_request_error", "content_filter", f.getMessage());
        };
    }

    private static String typeFor(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404, 405 -> "invalid_request_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }
}
