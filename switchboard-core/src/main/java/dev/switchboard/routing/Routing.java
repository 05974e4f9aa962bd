package dev.switchboard.routing;

import dev.switchboard.config.FallbackConfig;
import dev.switchboard.config.ModelManagementConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.Embeddings;
import dev.switchboard.model.ProviderName;
import dev.switchboard.model.StreamSink;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.Requirements;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.routing.guard.BreakerGuard;
import dev.switchboard.routing.guard.Budgets;
import dev.switchboard.routing.guard.CapabilityGuard;
import dev.switchboard.routing.guard.ContextGuard;
import dev.switchboard.routing.guard.CooldownGuard;
import dev.switchboard.routing.guard.HardwareGuard;
import dev.switchboard.routing.guard.LimitGuard;
import dev.switchboard.state.InMemoryRoutingState;
import dev.switchboard.state.FallbackStatsStore;
import dev.switchboard.state.InMemorySpendStore;
import dev.switchboard.state.LocalRateLimits;
import dev.switchboard.state.RateLimits;
import dev.switchboard.state.RoutingState;
import dev.switchboard.state.SpendStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The routing stack assembled from configuration: selector, planner, guards, retry and fallback, budgets and the
 * state behind them. The {@link Extensions} are what other parts plug in: hardware fit, observed history, shared
 * state for replicas, the performance monitor.
 */
public final class Routing {
    private final Catalog catalog;
    private final Router router;
    private final Selector selector;
    private final Planner planner;
    private final RoutingState state;
    private final DeploymentStats stats;
    private final BreakerGuard breakers;
    private final Budgets budgets;
    private final FallbackConfig fallback;
    private final Clock clock;

    /**
     * What the rest of Switchboard plugs into routing. Any field may be null: {@link #or} fills it from another set,
     * and whatever is still null when routing is built gets the in-process default.
     */
    public record Extensions(Signals signals, RoutingState state, SpendStore spend, AttemptListener listener,
                             Function<ModelInfo, String> hardwareUnfit, Clock clock, RateLimits rateLimits,
                             FallbackStatsStore fallbackStats) {
        public static Extensions defaults() {
            return new Extensions(null, null, null, null, null, null, null, null);
        }

        /** These extensions, with the fields left null taken from {@code other}. */
        public Extensions or(Extensions other) {
            return new Extensions(signals != null ? signals : other.signals, state != null ? state : other.state,
                    spend != null ? spend : other.spend, listener != null ? listener : other.listener,
                    hardwareUnfit != null ? hardwareUnfit : other.hardwareUnfit, clock != null ? clock : other.clock,
                    rateLimits != null ? rateLimits : other.rateLimits,
                    fallbackStats != null ? fallbackStats : other.fallbackStats);
        }

        public Extensions withClock(Clock c) {
            return new Extensions(signals, state, spend, listener, hardwareUnfit, c, rateLimits, fallbackStats);
        }
    }

    public Routing(ModelManagementConfig cfg, Catalog catalog, Extensions given) {
        Extensions ext = given.or(new Extensions(Signals.NONE, new InMemoryRoutingState(), new InMemorySpendStore(),
                AttemptListener.NONE, m -> null, Clock.systemUTC(), new LocalRateLimits(), FallbackStatsStore.NONE));
        this.catalog = catalog;
        this.state = ext.state();
        this.clock = ext.clock();
        this.fallback = cfg.fallbackConfig();
        this.stats = new DeploymentStats(ext.fallbackStats());
        this.selector = new Selector(cfg.selectionStrategy(), ext.signals(),
                m -> providerConfig(cfg, m).preferredModels().contains(m.modelId()));
        this.planner = new Planner(catalog, selector, cfg.selectionStrategy(), cfg.aliases(), cfg.defaultModel(), stats,
                ext.signals());
        Duration openFor = Duration.ofMillis((long) (fallback.cooldownSeconds() * 1000));
        // A breaker that opens here becomes a cooldown that every replica sharing the state honours.
        Duration slowCall = fallback.maxResponseTimeMs() == null ? null : Duration.ofMillis(fallback.maxResponseTimeMs());
        this.breakers = new BreakerGuard(openFor, fallback.breakerFailureRatePercent(BreakerGuard.DEFAULT_FAILURE_RATE),
                slowCall, state.shared() ? key -> state.extendCooldown(key, clock.instant().plus(openFor)) : null);
        Pricing pricing = new Pricing(catalog::configFor);
        this.budgets = new Budgets(cfg.budgets(), ext.spend(), pricing,
                m -> providerConfig(cfg, m).costLimitPerRequest(), clock);
        // Cheap, static checks first; the guards that take a permit last, so a refusal costs nothing.
        this.router = new Router(planner, List.of(new CapabilityGuard(catalog::support), new ContextGuard(),
                new HardwareGuard(ext.hardwareUnfit()),
                new CooldownGuard(state), budgets, new LimitGuard(catalog::configFor,
                        m -> providerConfig(cfg, m).rateLimitBuffer(), ext.rateLimits()), breakers),
                pricing, state, stats, fallback, ext.listener(), m -> {
                    var p = catalog.provider(m.provider());
                    return p == null || p.healthy();
                }, clock);
    }

    /** The configuration section of a model's provider kind ({@code custom_api} for every custom endpoint). */
    private static ProviderConfig providerConfig(ModelManagementConfig cfg, ModelInfo m) {
        ProviderConfig pc = cfg.providers().get(ProviderName.of(m.provider()).kind());
        return pc == null ? ProviderConfig.empty() : pc;
    }

    public ChatResponse route(ChatRequest request, Router.Call<ChatResponse> call, Router.Progress progress) {
        return router.route(request, call, progress);
    }

    /** Streams through the router; see {@link Router#stream}. */
    public ChatResponse stream(ChatRequest request, Router.StreamCall call, StreamSink sink,
                               java.util.function.Consumer<ModelInfo> servedBy, Router.Progress progress) {
        return router.stream(request, call, sink, servedBy, progress);
    }

    /** Embeds through the router: the named model, its fallback_models, retries, limits, budgets and records. */
    public Embeddings embed(String model, List<String> inputs, Router.Call<Embeddings> call, Router.Progress progress) {
        return router.route(RouteRequest.embeddings(model, inputs), call, progress, Outcome.EMBEDDINGS,
                AttemptListener.Operation.EMBEDDINGS);
    }

    /** The ranking for a set of requirements, without calling anything ({@code POST /select}). */
    public Explanation select(Requirements requirements) {
        Planner.Plan plan = planner.select(requirements);
        String chosen = plan.order().isEmpty() ? null : plan.order().getFirst().key();
        return new Explanation(plan.strategy(), requirements.taskType().wire(), chosen, plan.candidates(), plan.excluded(), List.of());
    }

    /** The state of every deployment that is not plainly healthy: cooling down until T, or its breaker open. */
    public Map<String, Map<String, Object>> deploymentStates() {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        Instant now = clock.instant();
        state.activeCooldowns(now).forEach((k, until) -> out.computeIfAbsent(k, x -> new LinkedHashMap<>())
                .put("cooldown_until", until.toString()));
        breakers.states().forEach((k, s) -> out.computeIfAbsent(k, x -> new LinkedHashMap<>()).put("breaker", s));
        out.forEach((k, v) -> v.put("state", v.containsKey("breaker") && !"half_open".equals(v.get("breaker"))
                ? "open" : v.containsKey("cooldown_until") ? "cooling_down" : "half_open"));
        return out;
    }

    /** The seed's fallback statistics, plus cooldown and breaker state per model. */
    public Map<String, Object> fallbackStatistics(Map<String, Boolean> providerHealth) {
        Instant now = clock.instant();
        Instant hourAgo = now.minus(Duration.ofHours(1));
        Map<String, Object> recent = new TreeMap<>();
        int failed = 0;
        Map<String, Map<String, Object>> states = deploymentStates();
        for (Map.Entry<String, DeploymentStats.Entry> e : stats.all().entrySet()) {
            DeploymentStats.Entry s = e.getValue();
            if (s.failures() == 0) {
                continue;
            }
            failed++;
            if (s.lastFailure() != null && s.lastFailure().isAfter(hourAgo)) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("last_failure", s.lastFailure().toString());
                d.put("total_failures", s.failures());
                d.put("minutes_since_failure", Duration.between(s.lastFailure(), now).toMillis() / 60_000.0);
                d.put("last_failure_kind", s.lastFailureKind());
                d.put("last_error", s.lastError());
                d.putAll(states.getOrDefault(e.getKey(), Map.of("state", "healthy")));
                recent.put(e.getKey(), d);
            }
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("max_retries", fallback.maxRetries());
        config.put("exclude_failed_models_minutes", fallback.excludeFailedModelsMinutes());
        config.put("fallback_strategy", fallback.fallbackStrategy().wire());
        config.put("allowed_fails", fallback.allowedFails());
        config.put("cooldown_seconds", fallback.cooldownSeconds());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total_failed_models", failed);
        out.put("recent_failures_1h", recent.size());
        out.put("recent_failure_details", recent);
        out.put("deployment_states", states);
        out.put("provider_health", providerHealth);
        out.put("config", config);
        return out;
    }

    /**
     * The seed's reset: forgets a model's failures, cooldown and breaker state. Accepts {@code provider:model} or a
     * bare id (every deployment of it). False when nothing was recorded for it.
     */
    public boolean reset(String modelRef) {
        List<ModelInfo> deployments;
        try {
            deployments = catalog.deployments(modelRef);
        } catch (UnknownModelException e) {
            deployments = List.of();
        }
        boolean any = false;
        for (ModelInfo m : deployments) {
            String key = m.key();
            any |= stats.resetFailures(key) | state.cooldownUntil(key).isPresent() | breakers.states().containsKey(key);
            state.reset(key);
            breakers.reset(key);
        }
        if (deployments.isEmpty()) {
            any = stats.resetFailures(modelRef) | state.cooldownUntil(modelRef).isPresent();
            state.reset(modelRef);
        }
        return any;
    }

    /** What a caller paid with their own key today and this month. */
    public Map<String, Object> callerSpend(dev.switchboard.model.Caller caller) {
        return budgets.callerSpend(caller);
    }

    public Map<String, Object> spend(List<String> providers) {
        return budgets.report(providers);
    }

    public Selector selector() {
        return selector;
    }
}
