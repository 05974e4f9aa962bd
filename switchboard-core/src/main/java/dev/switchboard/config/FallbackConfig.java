package dev.switchboard.config;

/**
 * The seed's FallbackConfiguration, plus the cooldown knobs: a deployment cools down after {@code allowed_fails}
 * transient failures within {@code failure_window_seconds} (or at once on a 429) for {@code cooldown_seconds};
 * a Retry-After up to {@code max_retry_wait_seconds} is waited out on the same deployment. Rejected
 * credentials exclude a deployment for the seed's {@code exclude_failed_models_minutes}. {@code enabled: false} tries no
 * other deployment once one has failed. The seed's triggers set the circuit breaker: {@code max_error_rate} (or
 * {@code 100 - min_availability_percent}) is the failure rate that opens it, {@code max_response_time_ms} makes slow
 * calls count.
 */
public record FallbackConfig(
        Boolean enabled,
        Integer maxRetries,
        Double retryDelaySeconds,
        FallbackStrategy fallbackStrategy,
        Integer maxResponseTimeMs,
        Double maxErrorRate,
        Double minAvailabilityPercent,
        Integer excludeFailedModelsMinutes,
        Boolean preferDifferentProvider,
        Integer allowedFails,
        Double failureWindowSeconds,
        Double cooldownSeconds,
        Double maxRetryWaitSeconds,
        Double maxRetryDelaySeconds) {

    public FallbackConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        maxRetries = maxRetries == null ? 3 : maxRetries;
        retryDelaySeconds = retryDelaySeconds == null ? 1.0 : retryDelaySeconds;
        fallbackStrategy = fallbackStrategy == null ? FallbackStrategy.PERFORMANCE_BASED : fallbackStrategy;
        // The seed declared defaults for the three fallback triggers but never applied them; here they open a
        // deployment's circuit breaker, so they apply only when configured.
        excludeFailedModelsMinutes = excludeFailedModelsMinutes == null ? 30 : excludeFailedModelsMinutes;
        preferDifferentProvider = preferDifferentProvider == null ? Boolean.TRUE : preferDifferentProvider;
        allowedFails = allowedFails == null ? 3 : allowedFails;
        failureWindowSeconds = failureWindowSeconds == null ? 60.0 : failureWindowSeconds;
        cooldownSeconds = cooldownSeconds == null ? 60.0 : cooldownSeconds;
        maxRetryWaitSeconds = maxRetryWaitSeconds == null ? 10.0 : maxRetryWaitSeconds;
        maxRetryDelaySeconds = maxRetryDelaySeconds == null ? 30.0 : maxRetryDelaySeconds;
    }

    /** The failure rate, in percent, that opens a breaker: the stricter of the two seed triggers, when set. */
    public float breakerFailureRatePercent(float otherwise) {
        float rate = otherwise;
        if (maxErrorRate != null) {
            rate = (float) Math.min(rate, maxErrorRate * 100);
        }
        if (minAvailabilityPercent != null) {
            rate = (float) Math.min(rate, 100 - minAvailabilityPercent);
        }
        return Math.max(1, rate);
    }

    public static FallbackConfig defaults() {
        return new FallbackConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
