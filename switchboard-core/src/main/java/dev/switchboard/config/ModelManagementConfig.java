package dev.switchboard.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed's {@code model_management:} section, plus {@code default_model}, task {@code aliases}, {@code budgets},
 * {@code monitoring} and {@code shared_state} ({@code local}, or {@code redis} to share routing state and spend
 * between replicas through {@code monitoring.redis_url}).
 */
public record ModelManagementConfig(
        Boolean enabled,
        String defaultProvider,
        String defaultModel,
        Map<String, ProviderConfig> providers,
        Map<String, ModelConfig> models,
        SelectionStrategyConfig selectionStrategy,
        FallbackConfig fallbackConfig,
        Boolean performanceMonitoringEnabled,
        Integer cacheTtlSeconds,
        Integer healthCheckIntervalSeconds,
        Double maxTotalMemoryGb,
        Double maxGpuMemoryPercent,
        Integer cleanupIntervalMinutes,
        Map<String, AliasConfig> aliases,
        BudgetConfig budgets,
        MonitoringConfig monitoring,
        String sharedState) {

    public ModelManagementConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        defaultProvider = defaultProvider == null ? "openrouter" : defaultProvider;
        providers = providers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(providers));
        models = models == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(models));
        selectionStrategy = selectionStrategy == null ? SelectionStrategyConfig.defaults() : selectionStrategy;
        fallbackConfig = fallbackConfig == null ? FallbackConfig.defaults() : fallbackConfig;
        performanceMonitoringEnabled = performanceMonitoringEnabled == null ? Boolean.TRUE : performanceMonitoringEnabled;
        cacheTtlSeconds = cacheTtlSeconds == null ? 3600 : cacheTtlSeconds;
        healthCheckIntervalSeconds = healthCheckIntervalSeconds == null ? 300 : healthCheckIntervalSeconds;
        maxGpuMemoryPercent = maxGpuMemoryPercent == null ? 80.0 : maxGpuMemoryPercent;
        cleanupIntervalMinutes = cleanupIntervalMinutes == null ? 60 : cleanupIntervalMinutes;
        aliases = aliases == null ? Map.of() : Map.copyOf(aliases);
        budgets = budgets == null ? BudgetConfig.none() : budgets;
        monitoring = monitoring == null ? MonitoringConfig.defaults() : monitoring;
        sharedState = sharedState == null || sharedState.isBlank() ? "local" : sharedState;
    }

    public static ModelManagementConfig defaults() {
        return new ModelManagementConfig(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }
}
