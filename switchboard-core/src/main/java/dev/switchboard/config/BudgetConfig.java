package dev.switchboard.config;

import java.util.Map;

/** Spend caps in USD, globally and per provider, per UTC day and calendar month. Null means no cap. */
public record BudgetConfig(Double dailyUsd, Double monthlyUsd, Map<String, BudgetConfig> providers) {
    public BudgetConfig {
        providers = providers == null ? Map.of() : Map.copyOf(providers);
    }

    public static BudgetConfig none() {
        return new BudgetConfig(null, null, null);
    }
}
