package dev.switchboard.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** The seed's {@code model_management:} section, plus {@code default_model}, task {@code aliases} and {@code budgets}. */
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
        BudgetConfig budgets) {

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
    }

    public static ModelManagementConfig defaults() {
        return new ModelManagementConfig(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }
}
