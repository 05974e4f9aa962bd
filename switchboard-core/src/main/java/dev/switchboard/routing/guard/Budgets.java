package dev.switchboard.routing.guard;

import dev.switchboard.config.BudgetConfig;
import dev.switchboard.model.Caller;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderName;
import dev.switchboard.routing.Pricing;
import dev.switchboard.routing.RouteContext;
import dev.switchboard.state.SpendStore;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Spend against the configured caps (global and per provider, per UTC day and month). As a guard it skips a
 * deployment whose estimated call ({@link Pricing#estimate}) would break a cap, saying which one, and its permit
 * charges what the call cost.
 */
public final class Budgets implements Guard {
    static final String GLOBAL = "global";

    private final BudgetConfig caps;
    private final SpendStore spend;
    private final Pricing pricing;
    private final Function<ModelInfo, Double> perRequestCap;
    private final Clock clock;

    public Budgets(BudgetConfig caps, SpendStore spend, Pricing pricing, Clock clock) {
        this(caps, spend, pricing, m -> null, clock);
    }

    /** @param perRequestCap the most one call to a model may cost (its provider's {@code cost_limit_per_request}), or null */
    public Budgets(BudgetConfig caps, SpendStore spend, Pricing pricing, Function<ModelInfo, Double> perRequestCap,
                   Clock clock) {
        this.caps = caps;
        this.spend = spend;
        this.pricing = pricing;
        this.perRequestCap = perRequestCap;
        this.clock = clock;
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
        Caller caller = ctx.request().caller();
        Admission admitted = Admission.admitted(new Permit() {
            @Override
            public void onSuccess(long nanos, double costUsd) {
                record(m, costUsd, caller);
            }
        });
        double cost = pricing.estimate(m, ctx);
        if (cost <= 0 || caller.paysFor(m.providerType())) {
            return admitted;
        }
        Double cap = perRequestCap.apply(m);
        if (cap != null && cost > cap) {
            return Admission.refused(String.format(Locale.ROOT, "this call may cost $%.4f, more than %s's cost_limit_per_request of $%.4f",
                    cost, m.provider(), cap), Admission.Hold.DEPLOYMENT);
        }
        String why = over(GLOBAL, caps, cost, ctx);
        BudgetConfig p = capFor(m.provider(), null);
        if (why == null && p != null) {
            why = over(m.provider(), p, cost, ctx);
        }
        return why == null ? admitted : Admission.refused(why, Admission.Hold.DEPLOYMENT);
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
            BudgetConfig cap = capFor(p, BudgetConfig.none());
            per.put(p, scopeReport(p, cap, today));
        }
        out.put("providers", per);
        return out;
    }

    /** A provider's caps, under its full name or its short one ({@code vllm} for {@code custom_api:vllm}). */
    private BudgetConfig capFor(String provider, BudgetConfig otherwise) {
        BudgetConfig cap = caps.providers().get(provider);
        String shortName = ProviderName.of(provider).shortName();
        if (cap == null && shortName != null) {
            cap = caps.providers().get(shortName);
        }
        return cap != null ? cap : otherwise;
    }

    private Map<String, Object> scopeReport(String scope, BudgetConfig cap, LocalDate today) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spent_today_usd", spend.spent(scope, today.toString()));
        m.put("daily_cap_usd", cap.dailyUsd());
        m.put("spent_this_month_usd", spend.spent(scope, today.toString().substring(0, 7)));
        m.put("monthly_cap_usd", cap.monthlyUsd());
        return m;
    }

}
