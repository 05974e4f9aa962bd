package dev.switchboard.model;

import java.time.Duration;
import java.util.Optional;

/**
 * Why a model call failed, in the few classes the router needs to decide between retry, fallback and giving
 * up. Providers translate their wire errors into these; nothing above the provider layer sees HTTP codes.
 * Messages never contain credentials: providers redact them before constructing a failure.
 */
public abstract sealed class ModelFailure extends RuntimeException {
    private final String provider;
    private final String modelId;
    private final int upstreamStatus;
    private final UpstreamError upstream;

    protected ModelFailure(String provider, String modelId, int upstreamStatus, String message, Throwable cause) {
        this(provider, modelId, upstreamStatus, message, cause, null);
    }

    protected ModelFailure(String provider, String modelId, int upstreamStatus, String message, Throwable cause,
                           UpstreamError upstream) {
        super(message, cause, true, false);
        this.provider = provider;
        this.modelId = modelId;
        this.upstreamStatus = upstreamStatus;
        this.upstream = upstream;
    }

    /** The upstream's own words when it answered with an error body, else null. */
    public UpstreamError upstream() {
        return upstream;
    }

    public String provider() {
        return provider;
    }

    public String modelId() {
        return modelId;
    }

    /** The upstream HTTP status, or 0 when the failure happened before or without one. */
    public int upstreamStatus() {
        return upstreamStatus;
    }

    /** Short machine-readable name of the class, used in logs, metrics and API error codes. */
    public abstract String kind();

    /** Whether the same request may succeed if tried again later on the same model. */
    public abstract boolean transientFailure();

    public static final class RateLimited extends ModelFailure {
        private final Duration retryAfter;

        public RateLimited(String provider, String modelId, int status, String message, Duration retryAfter) {
            this(provider, modelId, status, message, retryAfter, null);
        }

        public RateLimited(String provider, String modelId, int status, String message, Duration retryAfter,
                           UpstreamError upstream) {
            super(provider, modelId, status, message, null, upstream);
            this.retryAfter = retryAfter;
        }

        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }

        @Override public String kind() { return "rate_limited"; }
        @Override public boolean transientFailure() { return true; }
    }

    public static final class Unavailable extends ModelFailure {
        public Unavailable(String provider, String modelId, int status, String message, Throwable cause) {
            super(provider, modelId, status, message, cause);
        }

        public Unavailable(String provider, String modelId, int status, String message, Throwable cause, UpstreamError upstream) {
            super(provider, modelId, status, message, cause, upstream);
        }

        @Override public String kind() { return "unavailable"; }
        @Override public boolean transientFailure() { return true; }
    }

    public static final class Timeout extends ModelFailure {
        public Timeout(String provider, String modelId, int status, String message, Throwable cause) {
            super(provider, modelId, status, message, cause);
        }

        public Timeout(String provider, String modelId, int status, String message, Throwable cause, UpstreamError upstream) {
            super(provider, modelId, status, message, cause, upstream);
        }

        @Override public String kind() { return "timeout"; }
        @Override public boolean transientFailure() { return true; }
    }

    public static final class BadRequest extends ModelFailure {
        public BadRequest(String provider, String modelId, int status, String message) {
            super(provider, modelId, status, message, null);
        }

        public BadRequest(String provider, String modelId, int status, String message, UpstreamError upstream) {
            super(provider, modelId, status, message, null, upstream);
        }

        @Override public String kind() { return "bad_request"; }
        @Override public boolean transientFailure() { return false; }
    }

    public static final class AuthFailed extends ModelFailure {
        public AuthFailed(String provider, String modelId, int status, String message) {
            super(provider, modelId, status, message, null);
        }

        public AuthFailed(String provider, String modelId, int status, String message, UpstreamError upstream) {
            super(provider, modelId, status, message, null, upstream);
        }

        @Override public String kind() { return "auth_failed"; }
        @Override public boolean transientFailure() { return false; }
    }

    public static final class ContextTooLong extends ModelFailure {
        public ContextTooLong(String provider, String modelId, int status, String message) {
            super(provider, modelId, status, message, null);
        }

        public ContextTooLong(String provider, String modelId, int status, String message, UpstreamError upstream) {
            super(provider, modelId, status, message, null, upstream);
        }

        @Override public String kind() { return "context_too_long"; }
        @Override public boolean transientFailure() { return false; }
    }

    public static final class ContentRefused extends ModelFailure {
        public ContentRefused(String provider, String modelId, int status, String message) {
            super(provider, modelId, status, message, null);
        }

        public ContentRefused(String provider, String modelId, int status, String message, UpstreamError upstream) {
            super(provider, modelId, status, message, null, upstream);
        }

        @Override public String kind() { return "content_refused"; }
        @Override public boolean transientFailure() { return false; }
    }
}
