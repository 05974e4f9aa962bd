package dev.switchboard.routing;

import dev.switchboard.config.AliasConfig;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.SelectionStrategyConfig;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.Requirements;
import dev.switchboard.model.TaskType;
import dev.switchboard.model.UnknownModelException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a request into an ordered list of deployments to try, and the explanation of that order. A request that
 * names a model gets that model's deployments and then its configured {@code fallback_models}, nothing else;
 * a request without a model (or with {@code auto}, or an alias) is ranked by the {@link Selector}. Deployments of
 * the same model are interchangeable and are ordered by the routing strategy.
 */
public final class Planner {
    private final Catalog catalog;
    private final Selector selector;
    private final SelectionStrategyConfig cfg;
    private final Map<String, AliasConfig> aliases;
    private final String defaultModel;
    private final DeploymentStats stats;
    private final Signals signals;

    public Planner(Catalog catalog, Selector selector, SelectionStrategyConfig cfg, Map<String, AliasConfig> aliases,
                   String defaultModel, DeploymentStats stats, Signals signals) {
        this.catalog = catalog;
        this.selector = selector;
        this.cfg = cfg;
        this.aliases = aliases;
        this.defaultModel = defaultModel == null || defaultModel.isBlank() ? null : defaultModel;
        this.stats = stats;
        this.signals = signals;
    }

    /** The deployments to try in order, the requirements they were chosen for, and the explanation so far. */
    public record Plan(String strategy, Requirements requirements, List<ModelInfo> order,
                       List<Explanation.Candidate> candidates, List<Explanation.Excluded> excluded) {}

    /** The plan for a request that names {@code ref} (a model, an alias, or null for automatic selection). */
    public Plan plan(String ref, Requirements requirements) {
        if (ref != null && aliases.containsKey(ref)) {
            return auto(alias(aliases.get(ref), requirements), "alias:" + ref);
        }
        return ref == null ? auto(requirements, "auto") : explicit(ref, requirements);
    }

    /** What {@code POST /select} answers: the ranking alone, without calling anything. */
    public Plan select(Requirements requirements) {
        return auto(requirements, "auto");
    }

    private Plan explicit(String ref, Requirements req) {
        List<ModelInfo> primary = balance(catalog.deployments(ref));
        Set<ModelInfo> order = new LinkedHashSet<>(primary);
        List<Explanation.Candidate> candidates = new ArrayList<>();
        primary.forEach(m -> candidates.add(new Explanation.Candidate(m.key(), null, null, "named by the request")));
        List<Explanation.Excluded> excluded = new ArrayList<>();
        ModelConfig mc = catalog.configFor(primary.getFirst());
        if (mc != null) {
            for (String fallback : mc.fallbackModels()) {
                try {
                    for (ModelInfo m : balance(catalog.deployments(fallback))) {
                        if (order.add(m)) {
                            candidates.add(new Explanation.Candidate(m.key(), null, null,
                                    "fallback_models of " + primary.getFirst().modelId()));
                        }
                    }
                } catch (UnknownModelException e) {
                    excluded.add(Explanation.Excluded.of(fallback, "fallback model unavailable: " + e.getMessage()));
                }
            }
        }
        return new Plan("explicit", req, List.copyOf(order), candidates, excluded);
    }

    private Plan auto(Requirements req, String strategy) {
        Selector.Ranking ranking = selector.rank(catalog.all(), req);
        List<ModelInfo> ranked = new ArrayList<>(ranking.ranked().size());
        Map<ModelInfo, Double> scores = new java.util.IdentityHashMap<>();
        for (Selector.Ranked r : ranking.ranked()) {
            ranked.add(r.model());
            scores.put(r.model(), r.score());
        }
        List<ModelInfo> order = balance(ranked);
        List<Explanation.Candidate> candidates = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) {
            ModelInfo m = order.get(i);
            boolean explained = i < Selector.EXPLAINED;
            candidates.add(new Explanation.Candidate(m.key(), round(scores.get(m)),
                    explained ? rounded(selector.breakdown(m, req)) : null, explained ? selector.safetyNote(m) : null));
        }
        List<Explanation.Excluded> excluded = new ArrayList<>(ranking.excluded());
        if (order.isEmpty() && defaultModel != null) {
            List<ModelInfo> fallback = new ArrayList<>();
            try {
                fallback.addAll(balance(catalog.deployments(defaultModel)));
            } catch (UnknownModelException e) {
                excluded.add(Explanation.Excluded.of(defaultModel, "default_model unavailable: " + e.getMessage()));
            }
            for (ModelInfo m : fallback) {
                excluded.removeIf(x -> x.model().equals(m.key()));
                candidates.add(new Explanation.Candidate(m.key(), null, null, "default_model: no model met the requirements"));
            }
            order = fallback;
        }
        return new Plan(strategy, req, order, candidates, excluded);
    }

    /**
     * Keeps the rank order of models, but lets deployments of the same model follow the best one and orders them
     * by the routing strategy: weighted (random by configured weight), least_busy or latency_based.
     */
    List<ModelInfo> balance(List<ModelInfo> ordered) {
        if (ordered.size() < 2) {
            return ordered;
        }
        Map<String, List<ModelInfo>> groups = new LinkedHashMap<>();
        for (ModelInfo m : ordered) {
            groups.computeIfAbsent(m.modelId(), k -> new ArrayList<>(2)).add(m);
        }
        if (groups.size() == ordered.size()) {
            return ordered;
        }
        List<ModelInfo> out = new ArrayList<>(ordered.size());
        for (List<ModelInfo> group : groups.values()) {
            if (group.size() > 1) {
                group.sort(strategyOrder(group));
            }
            out.addAll(group);
        }
        return out;
    }

    private Comparator<ModelInfo> strategyOrder(List<ModelInfo> group) {
        return switch (cfg.routingStrategy()) {
            case LEAST_BUSY -> Comparator.comparingInt(m -> {
                DeploymentStats.Entry e = stats.peek(m.key());
                return e == null ? 0 : e.inFlight();
            });
            case LATENCY_BASED -> Comparator.comparingDouble(this::latency);
            case WEIGHTED -> {
                // Efraimidis–Spirakis: sorting by -ln(u)/weight draws a weighted random order.
                Map<ModelInfo, Double> keys = new java.util.IdentityHashMap<>();
                for (ModelInfo m : group) {
                    double w = weight(m);
                    double u = ThreadLocalRandom.current().nextDouble(Double.MIN_VALUE, 1.0);
                    keys.put(m, w <= 0 ? Double.MAX_VALUE : -Math.log(u) / w);
                }
                yield Comparator.comparingDouble(keys::get);
            }
        };
    }

    /** Observed latency; a deployment without history counts as fastest, so it gets measured. */
    private double latency(ModelInfo m) {
        double observed = signals.observedLatencyMs(m);
        if (Double.isNaN(observed)) {
            DeploymentStats.Entry e = stats.peek(m.key());
            observed = e == null ? Double.NaN : e.latencyMs();
        }
        return Double.isNaN(observed) ? 0 : observed;
    }

    private double weight(ModelInfo m) {
        ModelConfig mc = catalog.configFor(m);
        return mc == null ? 1.0 : mc.weight();
    }

    private static Requirements alias(AliasConfig a, Requirements base) {
        return new Requirements(
                a.taskType() != null ? TaskType.fromWire(a.taskType()) : base.taskType(),
                a.maxLatencyMs() != null ? a.maxLatencyMs() : base.maxLatencyMs(),
                a.minQualityScore() != null ? a.minQualityScore() : base.minQualityScore(),
                a.maxCostPerToken() != null ? a.maxCostPerToken() : base.maxCostPerToken(),
                a.requiredCapabilities() != null ? a.requiredCapabilities() : base.requiredCapabilities(),
                a.contextLengthNeeded() != null ? a.contextLengthNeeded() : base.contextLengthNeeded(),
                a.therapeuticSafetyRequired() != null ? a.therapeuticSafetyRequired() : base.therapeuticSafetyRequired());
    }

    static Double round(Double d) {
        return d == null ? null : Math.round(d * 10_000) / 10_000.0;
    }

    private static Map<String, Double> rounded(Map<String, Double> parts) {
        parts.replaceAll((k, v) -> round(v));
        return parts;
    }
}
