package dev.switchboard.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.NoModelAvailableException;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.model.UpstreamError;
import dev.switchboard.routing.Explanation;
import dev.switchboard.routing.RoutingFailure;
import io.javalin.http.HttpResponseException;
import java.time.Duration;

/**
 * What a failure means to an HTTP caller: status, error type and code, a message safe to show, and a
 * Retry-After when the upstream gave one. The one place exceptions become statuses, for both APIs.
 */
public record ApiError(int status, String type, String code, String param, String message, Duration retryAfter,
                       Explanation routing) {

    public ApiError(int status, String type, String code, String param, String message, Duration retryAfter) {
        this(status, type, code, param, message, retryAfter, null);
    }

    public static ApiError of(int status, String type, String code, String message) {
        return new ApiError(status, type, code, null, message, null, null);
    }

    public static ApiError from(Throwable t) {
        return switch (t) {
            case InvalidRequestException e -> new ApiError(400, "invalid_request_error", "invalid_value", e.field(), e.getMessage(), null);
            case UnknownModelException e -> of(404, "invalid_request_error", "model_not_found", e.getMessage());
            case dev.switchboard.server.openrouter.OpenRouterAuthApi.NotConfigured e ->
                    of(501, "invalid_request_error", "not_configured", e.getMessage());
            case dev.switchboard.server.session.SessionException e ->
                    of(401, "authentication_error", "invalid_session", e.getMessage());
            case NoModelAvailableException e -> of(503, "service_unavailable", "no_model_available", e.getMessage());
            case ModelFailure f -> fromFailure(f);
            case RoutingFailure r -> fromRouting(r);
            case dev.switchboard.monitor.PerformanceMonitor.MetricsUnavailableException e ->
                    of(503, "service_unavailable", "metrics_unavailable", e.getMessage());
            // Redis or the data directory cannot be reached just now; it usually comes back within seconds.
            case dev.switchboard.state.StateUnavailableException e -> new ApiError(503, "service_unavailable",
                    "state_unavailable", null, e.getMessage(), Duration.ofSeconds(2));
            case HttpBodies.PayloadTooLarge e -> of(413, "invalid_request_error", "request_too_large", e.getMessage());
            case JsonProcessingException e -> of(400, "invalid_request_error", "invalid_json", BodyParser.describe(e));
            case HttpResponseException e -> of(e.getStatus(), e.getStatus() == 413 ? "invalid_request_error" : typeFor(e.getStatus()),
                    e.getStatus() == 413 ? "request_too_large" : null, e.getMessage());
            case dev.switchboard.manager.NotStartedException e -> of(503, "service_unavailable", "not_started", e.getMessage());
            default -> of(500, "api_error", "internal_error", "internal error; the server log has the details");
        };
    }

    /**
     * Nothing could serve: the body carries the attempts. When every attempt failed the same way (one pinned model
     * that is rate limited, say) the status is that failure's; mixed failures are a 503.
     */
    private static ApiError fromRouting(RoutingFailure r) {
        int status = r.status();
        boolean uniform = r.last() != null && r.attempts().stream().map(a -> a.outcome()).distinct().count() == 1;
        if (r.callersKey() && r.last() instanceof ModelFailure.AuthFailed a) {
            // The user's own key was turned away: theirs to fix, so a 401 (402: no credits left), not a 502.
            int own = a.upstreamStatus() == 402 ? 402 : 401;
            return new ApiError(own, "authentication_error", own == 402 ? "insufficient_credits" : "invalid_user_key",
                    null, "OpenRouter did not accept your own key (" + a.getMessage() + "); connect a working key again",
                    null, r.explanation());
        }
        if ((r.midStream() || uniform) && r.last() != null) {
            ApiError inner = fromFailure(r.last());
            Duration retry = r.retryAfter() != null ? r.retryAfter() : inner.retryAfter();
            // The upstream refused the request itself: the caller gets its words, not ours around them.
            String message = !r.midStream() && refusedByUpstream(r.last()) ? inner.message() : r.getMessage();
            return new ApiError(inner.status(), inner.type(), inner.code(), inner.param(), message, retry, r.explanation());
        }
        if (r.unsupported() != null) {
            return new ApiError(400, "invalid_request_error", "unsupported_capability", r.unsupported().field(),
                    r.getMessage(), null, r.explanation());
        }
        String type = status == 429 ? "rate_limit_error" : status == 400 ? "invalid_request_error" : "service_unavailable";
        String code = status == 429 ? "rate_limit_exceeded" : status == 400 && r.last() != null ? fromFailure(r.last()).code()
                : r.attempts().isEmpty() ? "no_model_available" : "all_models_failed";
        String message = status == 400 && r.last() != null ? r.last().getMessage() : r.getMessage();
        return new ApiError(status, type, code, null, message, r.retryAfter(), r.explanation());
    }

    /** An upstream's 4xx about the request itself (not about keys, limits or a model it lacks). */
    private static boolean refusedByUpstream(ModelFailure f) {
        return f.upstream() != null && f.upstreamStatus() >= 400 && f.upstreamStatus() < 500
                && (f instanceof ModelFailure.BadRequest || f instanceof ModelFailure.ContextTooLong
                || f instanceof ModelFailure.ContentRefused || f.upstreamStatus() == 404);
    }

    private static ApiError fromFailure(ModelFailure f) {
        if (refusedByUpstream(f)) {
            UpstreamError u = f.upstream();
            String fallbackCode = fromKind(f).code();
            return new ApiError(f.upstreamStatus(), u.type() != null ? u.type() : "invalid_request_error",
                    u.code() != null ? u.code() : fallbackCode, u.param(), u.message(), null);
        }
        return fromKind(f);
    }

    private static ApiError fromKind(ModelFailure f) {
        return switch (f) {
            case ModelFailure.RateLimited r -> new ApiError(429, "rate_limit_error", "rate_limit_exceeded", null, f.getMessage(),
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
