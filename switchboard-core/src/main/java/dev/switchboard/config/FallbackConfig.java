package dev.switchboard.config;

/**
 * The seed's FallbackConfiguration, plus the cooldown knobs: a deployment cools down after {@code allowed_fails}
 * transient failures within {@code failure_window_seconds} (or at once on a 429) for {@code cooldown_seconds};
 * a Retry-After up to {@code max_retry_wait_seconds} is waited out on the same deployment. Rejected
 * credentials exclude a deployment for the seed's {@code exclude_failed_models_minutes}.
 */
public record FallbackConfig(
        Boolean enabled,
        Integer maxRetries,
        Double retryDelaySeconds,
        String fallbackStrategy,
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
        fallbackStrategy = fallbackStrategy == null ? "performance_based" : fallbackStrategy;
        maxResponseTimeMs = maxResponseTimeMs == null ? 10_000 : maxResponseTimeMs;
        maxErrorRate = maxErrorRate == null ? 0.1 : maxErrorRate;
        minAvailabilityPercent = minAvailabilityPercent == null ? 95.0 : minAvailabilityPercent;
        excludeFailedModelsMinutes = excludeFailedModelsMinutes == null ? 30 : excludeFailedModelsMinutes;
        preferDifferentProvider = preferDifferentProvider == null ? Boolean.TRUE : preferDifferentProvider;
        allowedFails = allowedFails == null ? 3 : allowedFails;
        failureWindowSeconds = failureWindowSeconds == null ? 60.0 : failureWindowSeconds;
        cooldownSeconds = cooldownSeconds == null ? 60.0 : cooldownSeconds;
        maxRetryWaitSeconds = maxRetryWaitSeconds == null ? 10.0 : maxRetryWaitSeconds;
        maxRetryDelaySeconds = maxRetryDelaySeconds == null ? 30.0 : maxRetryDelaySeconds;
    }

    public static FallbackConfig defaults() {
        return new FallbackConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
