package dev.switchboard.config;

/** The seed's FallbackConfiguration. */
public record FallbackConfig(
        Boolean enabled,
        Integer maxRetries,
        Double retryDelaySeconds,
        String fallbackStrategy,
        Integer maxResponseTimeMs,
        Double maxErrorRate,
        Double minAvailabilityPercent,
        Integer excludeFailedModelsMinutes,
        Boolean preferDifferentProvider) {

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
    }

    public static FallbackConfig defaults() {
        return new FallbackConfig(null, null, null, null, null, null, null, null, null);
    }
}
