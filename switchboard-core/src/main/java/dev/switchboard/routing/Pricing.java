package dev.switchboard.routing;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.Usage;
import java.util.function.Function;

/** What calls cost: a finished call's price, and the most a call about to be made could cost. */
public final class Pricing {
    private final Function<ModelInfo, ModelConfig> configs;

    /** @param configs each model's configuration, for the compute cost of local models */
    public Pricing(Function<ModelInfo, ModelConfig> configs) {
        this.configs = configs;
    }

    /**
     * What a finished call cost: the upstream's own figure when it reports one (OpenRouter does), else tokens times
     * the catalog prices, else, for local models, the configured compute cost per hour times the call's duration.
     */
    public double price(ModelInfo m, Usage usage, double latencyMs) {
        if (usage.cost() != null) {
            return usage.cost();
        }
        if (m.promptPricePerToken() != null || m.completionPricePerToken() != null) {
            return usage.promptTokens() * orZero(m.promptPricePerToken())
                    + usage.completionTokens() * orZero(m.completionPricePerToken());
        }
        if (m.costPerToken() != null) {
            return usage.totalTokens() * m.costPerToken();
        }
        ModelConfig mc = configs.apply(m);
        if (mc != null && mc.computeCostPerHour() != null) {
            return mc.computeCostPerHour() * latencyMs / 3_600_000.0;
        }
        return 0;
    }

    /** The most a call could cost, from the request's token estimate; 0 for free or unpriced models. */
    public double estimate(ModelInfo m, RouteContext ctx) {
        if (m.isFree()) {
            return 0;
        }
        if (m.promptPricePerToken() != null || m.completionPricePerToken() != null) {
            return ctx.promptTokens() * orZero(m.promptPricePerToken()) + ctx.maxTokens() * orZero(m.completionPricePerToken());
        }
        return m.costPerToken() == null ? 0 : ctx.totalTokens() * m.costPerToken();
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }
}
