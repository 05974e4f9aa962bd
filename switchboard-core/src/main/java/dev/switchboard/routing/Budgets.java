package dev.switchboard.routing;

import dev.switchboard.config.BudgetConfig;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.model.Caller;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.Usage;
import dev.switchboard.routing.guard.Admission;
import dev.switchboard.routing.guard.Guard;
import dev.switchboard.state.SpendStore;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Prices every call and keeps spend against the configured caps (global and per provider, per UTC day and month).
 * As a guard it skips a deployment whose estimated call would break a cap, saying which one.
 */
public final class Budgets implements Guard {
    static final String GLOBAL = "global";

    private final BudgetConfig caps;
    private final SpendStore spend;
    private final Function<ModelInfo, ModelConfig> configs;
    private final Function<ModelInfo, Double> perRequestCap;
    private final Clock clock;

    public Budgets(BudgetConfig caps, SpendStore spend, Function<ModelInfo, ModelConfig> configs, Clock clock) {
        this(caps, spend, configs, m -> null, clock);
    }

    /** @param perRequestCap the most one call to a model may cost (its provider's {@code cost_limit_per_request}), or null */
    public Budgets(BudgetConfig caps, SpendStore spend, Function<ModelInfo, ModelConfig> configs,
                   Function<ModelInfo, Double> perRequestCap, Clock clock) {
        this.caps = caps;
        this.spend = spend;
        this.configs = configs;
        this.perRequestCap = perRequestCap;
        this.clock = clock;
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

    /** Adds a finished call's cost to every scope it counts against. */
    public void record(ModelInfo m, double usd) {
        record(m, usd, Caller.OPERATOR);
    }

    /**
     * Adds a finished call's cost to every scope it counts against: the operator's (global and the provider's), or,
     * when the caller's own key paid, the caller's alone ({@code user:<id>}), which no operator cap covers.
     */
    public void record(ModelInfo m, double usd, Caller caller) {
        if (usd <= 0) {
            return;
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        String[] scopes = caller.paysFor(m.providerType()) ? new String[] {userScope(caller)} : new String[] {GLOBAL, m.provider()};
        for (String scope : scopes) {
            spend.add(scope, today.toString(), usd);
            spend.add(scope, today.toString().substring(0, 7), usd);
        }
    }

    /** Where a caller's own spend is kept. */
    static String userScope(Caller caller) {
        return "user:" + caller.id();
    }

    /** What a caller paid with their own key today and this month (UTC). */
    public Map<String, Object> callerSpend(Caller caller) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spent_today_usd", spend.spent(userScope(caller), today.toString()));
        m.put("spent_this_month_usd", spend.spent(userScope(caller), today.toString().substring(0, 7)));
        return m;
    }

    /** A call the caller's own key pays for is not the operator's money: no operator cap applies to it. */
    @Override
    public Admission admit(ModelInfo m, RouteContext ctx) {
        double cost = estimate(m, ctx);
        if (cost <= 0 || ctx.request().caller().paysFor(m.providerType())) {
            return Admission.ADMITTED;
        }
        Double cap = perRequestCap.apply(m);
        if (cap != null && cost > cap) {
            return Admission.refused(String.format(Locale.ROOT, "this call may cost $%.4f, more than %s's cost_limit_per_request of $%.4f",
                    cost, m.provider(), cap), Admission.Hold.DEPLOYMENT);
        }
        String why = over(GLOBAL, caps, cost, ctx);
        BudgetConfig p = caps.providers().get(m.provider());
        if (why == null && p == null && m.provider().indexOf(':') > 0) {
            p = caps.providers().get(m.provider().substring(m.provider().indexOf(':') + 1));
        }
        if (why == null && p != null) {
            why = over(m.provider(), p, cost, ctx);
        }
        return why == null ? Admission.ADMITTED : Admission.refused(why, Admission.Hold.DEPLOYMENT);
    }

    private String over(String scope, BudgetConfig cap, double cost, RouteContext ctx) {
        LocalDate today = LocalDate.ofInstant(ctx.now(), ZoneOffset.UTC);
        String label = scope.equals(GLOBAL) ? "global" : scope;
        if (cap.dailyUsd() != null) {
            double spent = spend.spent(scope, today.toString());
            if (spent + cost > cap.dailyUsd()) {
                return String.format(Locale.ROOT, "%s daily budget: $%.4f spent of $%.2f, this call may cost $%.4f",
                        label, spent, cap.dailyUsd(), cost);
            }
        }
        if (cap.monthlyUsd() != null) {
            double spent = spend.spent(scope, today.toString().substring(0, 7));
            if (spent + cost > cap.monthlyUsd()) {
                return String.format(Locale.ROOT, "%s monthly budget: $%.4f spent of $%.2f, this call may cost $%.4f",
                        label, spent, cap.monthlyUsd(), cost);
            }
        }
        return null;
    }

    /** Spend and caps for {@code GET /api/v1/models/spend}. */
    public Map<String, Object> report(Iterable<String> providers) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("day", today.toString());
        out.put("month", today.toString().substring(0, 7));
        out.put("global", scopeReport(GLOBAL, caps, today));
        Map<String, Object> per = new LinkedHashMap<>();
        for (String p : providers) {
            BudgetConfig cap = caps.providers().getOrDefault(p, caps.providers().getOrDefault(
                    p.indexOf(':') > 0 ? p.substring(p.indexOf(':') + 1) : p, BudgetConfig.none()));
            per.put(p, scopeReport(p, cap, today));
        }
        out.put("providers", per);
        return out;
    }

    private Map<String, Object> scopeReport(String scope, BudgetConfig cap, LocalDate today) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spent_today_usd", spend.spent(scope, today.toString()));
        m.put("daily_cap_usd", cap.dailyUsd());
        m.put("spent_this_month_usd", spend.spent(scope, today.toString().substring(0, 7)));
        m.put("monthly_cap_usd", cap.monthlyUsd());
        return m;
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }
}
