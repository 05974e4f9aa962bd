package dev.switchboard.routing;

import dev.switchboard.config.SelectionStrategyConfig;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderName;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.Requirements;
import dev.switchboard.model.TaskType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The seed's ModelSelector, done right: a compatibility filter that says why it drops each model, then the seed's
 * weighted score (safety, performance, cost, task capabilities, model family, free and local preferences,
 * hardware fit, observed history) and a deterministic order. Pure computation over the cached catalog: no I/O.
 */
public final class Selector {
    /** How many of the best candidates carry a score breakdown in the explanation. */
    public static final int EXPLAINED = 5;

    private final SelectionStrategyConfig cfg;
    private final Signals signals;
    private final java.util.function.Predicate<ModelInfo> preferred;
    private final java.util.Set<String> trusted;
    private final boolean[] trustedType;

    public Selector(SelectionStrategyConfig cfg, Signals signals) {
        this(cfg, signals, m -> false);
    }

    /** @param preferred whether a model is among its provider's {@code preferred_models} (worth +1, like free) */
    public Selector(SelectionStrategyConfig cfg, Signals signals, java.util.function.Predicate<ModelInfo> preferred) {
        this.cfg = cfg;
        this.signals = signals;
        this.preferred = preferred;
        this.trusted = java.util.Set.copyOf(cfg.trustedProviders());
        this.trustedType = new boolean[ProviderType.values().length];
        for (ProviderType t : ProviderType.values()) {
            trustedType[t.ordinal()] = trusted.contains(t.wire());
        }
    }

    /** A model that passed the filter, with its total score. */
    public record Ranked(ModelInfo model, double score) {}

    /**
     * The candidates best first, and every other model with the reason it was left out. Backed by arrays, with
     * the list entries (and the exclusion messages) made only when read: a ranking of 10,000 models must not
     * produce 10,000 objects to be usable.
     */
    public static final class Ranking {
        private final List<ModelInfo> catalog;
        private final int[] order;
        private final double[] scores;
        private final int[] excludedAt;
        private final byte[] why;
        private final Selector selector;
        private final Requirements req;

        Ranking(List<ModelInfo> catalog, int[] order, double[] scores, int[] excludedAt, byte[] why, Selector selector,
                Requirements req) {
            this.catalog = catalog;
            this.order = order;
            this.scores = scores;
            this.excludedAt = excludedAt;
            this.why = why;
            this.selector = selector;
            this.req = req;
        }

        public List<Ranked> ranked() {
            return new java.util.AbstractList<>() {
                @Override
                public Ranked get(int k) {
                    int i = order[k];
                    return new Ranked(catalog.get(i), scores[i]);
                }

                @Override
                public int size() {
                    return order.length;
                }
            };
        }

        public List<Explanation.Excluded> excluded() {
            return new java.util.AbstractList<>() {
                @Override
                public Explanation.Excluded get(int k) {
                    int i = excludedAt[k];
                    return selector.new LazyExclusion(catalog.get(i), req, why[i]);
                }

                @Override
                public int size() {
                    return excludedAt.length;
                }
            };
        }
    }

    public Ranking rank(List<ModelInfo> catalog, Requirements req) {
        Static pre = staticTerms(catalog, req);
        int n = catalog.size();
        double[] scores = new double[n];
        long[] keys = new long[n];
        byte[] why = new byte[n];
        int eligible = 0;
        for (int i = 0; i < n; i++) {
            ModelInfo m = catalog.get(i);
            int code = incompatible(m, req, pre.trusted[i]);
            if (code == OK) {
                long q = quantize(pre.base[i] + signals.hardwareBonus(m) + signals.historyBonus(m));
                if (q > 0) {
                    scores[i] = q / QUANTUM;
                    keys[eligible++] = sortKey(q, i);
                    continue;
                }
                code = ZERO_SCORE;
            }
            why[i] = (byte) code;
        }
        Arrays.sort(keys, 0, eligible);
        int[] order = new int[eligible];
        for (int k = 0; k < eligible; k++) {
            order[k] = (int) (keys[k] & INDEX_MASK);
        }
        int[] excludedAt = new int[n - eligible];
        for (int i = 0, e = 0; i < n; i++) {
            if (why[i] != OK) {
                excludedAt[e++] = i;
            }
        }
        return new Ranking(catalog, order, scores, excludedAt, why, this, req);
    }

    /**
     * The part of every model's score that depends only on the model and the task (everything but the hardware
     * and history signals), with its trust flag. Computed once per catalog and task: the catalog object changes
     * only when a provider's list is refreshed.
     */
    private record Static(List<ModelInfo> catalog, double[] base, boolean[] trusted) {}

    private final java.util.concurrent.ConcurrentHashMap<TaskType, Static> staticCache = new java.util.concurrent.ConcurrentHashMap<>();

    private Static staticTerms(List<ModelInfo> catalog, Requirements req) {
        Static cached = staticCache.get(req.taskType());
        if (cached != null && cached.catalog == catalog) {
            return cached;
        }
        TaskTerms terms = terms(req);
        int n = catalog.size();
        double[] base = new double[n];
        boolean[] trust = new boolean[n];
        for (int i = 0; i < n; i++) {
            ModelInfo m = catalog.get(i);
            trust[i] = trusted(m);
            base[i] = staticScore(m, terms, trust[i], null);
        }
        Static fresh = new Static(catalog, base, trust);
        staticCache.put(req.taskType(), fresh);
        return fresh;
    }

    /** An exclusion whose key and message are only built when someone reads them. */
    final class LazyExclusion implements Explanation.Excluded {
        private final ModelInfo model;
        private final Requirements req;
        private final int why;
        private String reason;

        LazyExclusion(ModelInfo model, Requirements req, int why) {
            this.model = model;
            this.req = req;
            this.why = why;
        }

        @Override
        public String model() {
            return model.key();
        }

        @Override
        public String reason() {
            if (reason == null) {
                reason = message(model, req, why);
            }
            return reason;
        }
    }

    // Scores are counted in billionths, so sums that differ only by floating-point noise are equal and the
    // order matches the scores reported. In the sort key the high 43 bits hold the score, descending; the low 20
    // bits the catalog position, which breaks ties deterministically. One long sort, no comparator.
    private static final double QUANTUM = 1e9;
    private static final int INDEX_BITS = 20;
    private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;
    private static final long SCORE_MAX = (1L << 43) - 1;

    private static long quantize(double score) {
        return score <= 0 || Double.isNaN(score) ? 0 : Math.min(Math.round(score * QUANTUM), SCORE_MAX);
    }

    private static long sortKey(long quantized, int index) {
        if (index > INDEX_MASK) {
            throw new IllegalArgumentException("catalog larger than " + INDEX_MASK + " models");
        }
        return ((SCORE_MAX - quantized) << INDEX_BITS) | index;
    }

    private static final int OK = 0;
    private static final int TASK = 1;
    private static final int LATENCY_OBSERVED = 2;
    private static final int LATENCY_ESTIMATED = 3;
    private static final int COST = 4;
    private static final int QUALITY = 5;
    private static final int SAFETY_UNKNOWN = 6;
    private static final int SAFETY_LOW = 7;
    private static final int CONTEXT = 8;
    private static final int CAPABILITIES = 9;
    private static final int ZERO_SCORE = 10;

    /** Why a model cannot serve these requirements, or null when it can. */
    public String incompatibility(ModelInfo m, Requirements req) {
        int why = incompatible(m, req, trusted(m));
        return why == OK ? null : message(m, req, why);
    }

    /** The compatibility filter as a code, allocation-free: it runs for every model on every ranking. */
    private int incompatible(ModelInfo m, Requirements req, boolean trusted) {
        if (!m.supportedTasks().isEmpty() && !m.supportedTasks().contains(req.taskType())) {
            return TASK;
        }
        if (req.maxLatencyMs() != null) {
            double observed = signals.observedLatencyMs(m);
            if (!Double.isNaN(observed) && observed > req.maxLatencyMs()) {
                return LATENCY_OBSERVED;
            }
            if (Double.isNaN(observed) && m.performanceScore() != null
                    && 5000 / Math.max(m.performanceScore(), 1.0) > req.maxLatencyMs()) {
                return LATENCY_ESTIMATED;
            }
        }
        if (req.maxCostPerToken() != null && m.costPerToken() != null && m.costPerToken() > req.maxCostPerToken()) {
            return COST;
        }
        if (req.minQualityScore() != null && m.performanceScore() != null && m.performanceScore() < req.minQualityScore()) {
            return QUALITY;
        }
        if (req.therapeuticSafetyRequired()) {
            Double safety = m.therapeuticSafetyScore();
            if (safety == null && !trusted) {
                return SAFETY_UNKNOWN;
            }
            if (safety != null && safety < cfg.minTherapeuticSafetyScore()) {
                return SAFETY_LOW;
            }
        }
        if (req.contextLengthNeeded() != null && m.contextLength() != null && m.contextLength() < req.contextLengthNeeded()) {
            return CONTEXT;
        }
        if (!m.capabilities().containsAll(req.requiredCapabilities())) {
            return CAPABILITIES;
        }
        return OK;
    }

    private String message(ModelInfo m, Requirements req, int why) {
        return switch (why) {
            case TASK -> "supports only " + m.supportedTasks() + ", not " + req.taskType().wire();
            case LATENCY_OBSERVED -> "observed latency " + Math.round(signals.observedLatencyMs(m)) + " ms > max "
                    + req.maxLatencyMs() + " ms";
            case LATENCY_ESTIMATED -> "estimated latency " + Math.round(5000 / Math.max(m.performanceScore(), 1.0))
                    + " ms > max " + req.maxLatencyMs() + " ms";
            case COST -> "cost " + m.costPerToken() + "/token > max " + req.maxCostPerToken();
            case QUALITY -> "performance " + m.performanceScore() + " < minimum " + req.minQualityScore();
            case SAFETY_UNKNOWN -> "safety score unknown and provider " + m.provider() + " is not trusted";
            case SAFETY_LOW -> "safety " + m.therapeuticSafetyScore() + " < minimum " + cfg.minTherapeuticSafetyScore();
            case CONTEXT -> "context " + m.contextLength() + " < needed " + req.contextLengthNeeded();
            case CAPABILITIES -> {
                List<String> missing = new ArrayList<>(req.requiredCapabilities());
                missing.removeAll(m.capabilities());
                yield "lacks capabilities " + missing;
            }
            case ZERO_SCORE -> "score 0";
            default -> "excluded";
        };
    }

    /** Trusted providers may serve safety-required requests with an unknown safety score (the seed's rule). */
    public boolean trusted(ModelInfo m) {
        if (trustedType[m.providerType().ordinal()] || trusted.contains(m.provider())) {
            return true;
        }
        String shortName = ProviderName.of(m.provider()).shortName();
        return shortName != null && trusted.contains(shortName);
    }

    /** The seed's score; fills {@code parts} with the breakdown when given. */
    public double score(ModelInfo m, Requirements req, Map<String, Double> parts) {
        return score(m, terms(req), trusted(m), parts);
    }

    private double score(ModelInfo m, TaskTerms terms, boolean trusted, Map<String, Double> parts) {
        double fixed = staticScore(m, terms, trusted, parts);
        double hardware = signals.hardwareBonus(m);
        double history = signals.historyBonus(m);
        if (parts != null) {
            parts.put("hardware", hardware);
            parts.put("history", history);
        }
        return Math.max(0.0, fixed + hardware + history);
    }

    /** The seed's score without the hardware and history terms. */
    private double staticScore(ModelInfo m, TaskTerms terms, boolean trusted, Map<String, Double> parts) {
        double performance = (m.performanceScore() != null ? m.performanceScore() : 5.0) * cfg.performanceWeight();
        double safetyBase = m.therapeuticSafetyScore() != null ? m.therapeuticSafetyScore() : trusted ? 7.0 : 5.0;
        double safety = safetyBase * cfg.therapeuticSafetyWeight();
        double cost = costScore(m.costPerToken()) * cfg.costWeight();
        double task = taskBonus(m, terms);
        double family = familyBonus(m, terms);
        double free = cfg.preferFreeModels() && m.isFree() ? 1.0 : 0.0;
        double local = cfg.preferLocalModels() && isLocal(m) ? 1.0 : 0.0;
        double favoured = preferred.test(m) ? 1.0 : 0.0;
        double total = performance + safety + cost + task + family + free + local + favoured;
        if (parts != null) {
            parts.put("safety", safety);
            parts.put("performance", performance);
            parts.put("cost", cost);
            parts.put("task", task);
            parts.put("family", family);
            parts.put("free", free);
            parts.put("local", local);
            if (favoured > 0) {
                parts.put("preferred", favoured);
            }
        }
        return total;
    }

    /** The breakdown of one model's score, for the explanation. */
    public Map<String, Double> breakdown(ModelInfo m, Requirements req) {
        Map<String, Double> parts = new LinkedHashMap<>();
        score(m, req, parts);
        return parts;
    }

    /** Which rule decided the safety term, when it was not the model's own score. */
    public String safetyNote(ModelInfo m) {
        if (m.therapeuticSafetyScore() != null) {
            return null;
        }
        return trusted(m)
                ? "safety score unknown: provider " + m.provider() + " is trusted, counted as 7.0"
                : "safety score unknown: counted as 5.0";
    }

    /** Free (or unpriced, as in the seed) is 10; the score falls linearly to 0 at the cost cap. */
    double costScore(Double costPerToken) {
        if (costPerToken == null || costPerToken <= 0) {
            return 10.0;
        }
        return Math.max(0.0, 10.0 * (1 - Math.min(costPerToken / cfg.costCap(), 1.0)));
    }

    /** A task's capability keywords and lower-cased family patterns, looked up once per ranking, not per model. */
    private record TaskTerms(List<String> capabilities, String[] patterns, double[] bonuses) {}

    private TaskTerms terms(Requirements req) {
        String task = req.taskType().wire();
        Map<String, Double> fam = cfg.familyBonuses().getOrDefault(task, Map.of());
        String[] patterns = new String[fam.size()];
        double[] bonuses = new double[fam.size()];
        int i = 0;
        for (Map.Entry<String, Double> e : fam.entrySet()) {
            patterns[i] = e.getKey().toLowerCase(Locale.ROOT);
            bonuses[i++] = e.getValue();
        }
        return new TaskTerms(cfg.taskCapabilities().getOrDefault(task, List.of()), patterns, bonuses);
    }

    private static double taskBonus(ModelInfo m, TaskTerms terms) {
        if (m.capabilities().isEmpty()) {
            return 0;
        }
        double bonus = 0;
        for (String cap : terms.capabilities()) {
            if (m.capabilities().contains(cap)) {
                bonus += 0.5;
            }
        }
        return bonus;
    }

    /** The first family pattern the model id contains; ids are mostly lower case already, so this rarely allocates. */
    private static double familyBonus(ModelInfo m, TaskTerms terms) {
        if (terms.patterns().length == 0) {
            return 0;
        }
        String id = m.modelId().toLowerCase(Locale.ROOT);
        for (int i = 0; i < terms.patterns().length; i++) {
            if (id.contains(terms.patterns()[i])) {
                return terms.bonuses()[i];
            }
        }
        return 0;
    }

    static boolean isLocal(ModelInfo m) {
        return m.providerType() == ProviderType.LOCAL || m.providerType() == ProviderType.OLLAMA
                || m.providerType() == ProviderType.LM_STUDIO;
    }
}
