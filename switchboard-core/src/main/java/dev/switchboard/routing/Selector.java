package dev.switchboard.routing;

import dev.switchboard.config.SelectionStrategyConfig;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.Requirements;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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

    public Selector(SelectionStrategyConfig cfg, Signals signals) {
        this.cfg = cfg;
        this.signals = signals;
    }

    /** A model that passed the filter, with its total score. */
    public record Ranked(ModelInfo model, double score) {}

    /** The candidates best first, and every other model with the reason it was left out. */
    public record Ranking(List<Ranked> ranked, List<Explanation.Excluded> excluded) {}

    public Ranking rank(List<ModelInfo> catalog, Requirements req) {
        int n = catalog.size();
        double[] scores = new double[n];
        long[] keys = new long[n];
        int eligible = 0;
        List<Explanation.Excluded> excluded = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ModelInfo m = catalog.get(i);
            String why = incompatibility(m, req);
            if (why == null) {
                double s = score(m, req, null);
                if (s > 0) {
                    scores[i] = s;
                    keys[eligible++] = sortKey(s, i);
                    continue;
                }
                why = "score 0";
            }
            excluded.add(new Explanation.Excluded(m.key(), why));
        }
        Arrays.sort(keys, 0, eligible);
        List<Ranked> ranked = new ArrayList<>(eligible);
        for (int k = 0; k < eligible; k++) {
            int i = (int) (keys[k] & INDEX_MASK);
            ranked.add(new Ranked(catalog.get(i), scores[i]));
        }
        return new Ranking(ranked, excluded);
    }

    // Scores are non-negative, so their IEEE bits order like the values. The top 43 bits (about 9 significant
    // digits) sort descending; the low 20 bits hold the catalog position, which breaks ties deterministically.
    private static final int INDEX_BITS = 20;
    private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;
    private static final long SCORE_MAX = (1L << 43) - 1;

    private static long sortKey(double score, int index) {
        if (index > INDEX_MASK) {
            throw new IllegalArgumentException("catalog larger than " + INDEX_MASK + " models");
        }
        long q = Double.doubleToLongBits(score) >>> 21;
        return ((SCORE_MAX - q) << INDEX_BITS) | index;
    }

    /** Why a model cannot serve these requirements, or null when it can. */
    public String incompatibility(ModelInfo m, Requirements req) {
        if (!m.supportedTasks().isEmpty() && !m.supportedTasks().contains(req.taskType())) {
            return "supports only " + m.supportedTasks() + ", not " + req.taskType().wire();
        }
        if (req.maxLatencyMs() != null) {
            double observed = signals.observedLatencyMs(m);
            if (!Double.isNaN(observed) && observed > req.maxLatencyMs()) {
                return "observed latency " + Math.round(observed) + " ms > max " + req.maxLatencyMs() + " ms";
            }
            if (Double.isNaN(observed) && m.performanceScore() != null) {
                double estimated = 5000 / Math.max(m.performanceScore(), 1.0);
                if (estimated > req.maxLatencyMs()) {
                    return "estimated latency " + Math.round(estimated) + " ms > max " + req.maxLatencyMs() + " ms";
                }
            }
        }
        if (req.maxCostPerToken() != null && m.costPerToken() != null && m.costPerToken() > req.maxCostPerToken()) {
            return "cost " + m.costPerToken() + "/token > max " + req.maxCostPerToken();
        }
        if (req.minQualityScore() != null && m.performanceScore() != null && m.performanceScore() < req.minQualityScore()) {
            return "performance " + m.performanceScore() + " < minimum " + req.minQualityScore();
        }
        if (req.therapeuticSafetyRequired()) {
            Double safety = m.therapeuticSafetyScore();
            if (safety == null && !trusted(m)) {
                return "safety score unknown and provider " + m.provider() + " is not trusted";
            }
            if (safety != null && safety < cfg.minTherapeuticSafetyScore()) {
                return "safety " + safety + " < minimum " + cfg.minTherapeuticSafetyScore();
            }
        }
        if (req.contextLengthNeeded() != null && m.contextLength() != null && m.contextLength() < req.contextLengthNeeded()) {
            return "context " + m.contextLength() + " < needed " + req.contextLengthNeeded();
        }
        if (!m.capabilities().containsAll(req.requiredCapabilities())) {
            List<String> missing = new ArrayList<>(req.requiredCapabilities());
            missing.removeAll(m.capabilities());
            return "lacks capabilities " + missing;
        }
        return null;
    }

    /** Trusted providers may serve safety-required requests with an unknown safety score (the seed's rule). */
    public boolean trusted(ModelInfo m) {
        List<String> t = cfg.trustedProviders();
        if (t.contains(m.providerType().wire()) || t.contains(m.provider())) {
            return true;
        }
        int colon = m.provider().indexOf(':');
        return colon > 0 && t.contains(m.provider().substring(colon + 1));
    }

    /** The seed's score; fills {@code parts} with the breakdown when given. */
    public double score(ModelInfo m, Requirements req, Map<String, Double> parts) {
        double performance = (m.performanceScore() != null ? m.performanceScore() : 5.0) * cfg.performanceWeight();
        double safetyBase = m.therapeuticSafetyScore() != null ? m.therapeuticSafetyScore() : trusted(m) ? 7.0 : 5.0;
        double safety = safetyBase * cfg.therapeuticSafetyWeight();
        double cost = costScore(m.costPerToken()) * cfg.costWeight();
        double task = taskBonus(m, req);
        double family = familyBonus(m, req);
        double free = cfg.preferFreeModels() && m.isFree() ? 1.0 : 0.0;
        double local = cfg.preferLocalModels() && isLocal(m) ? 1.0 : 0.0;
        double hardware = signals.hardwareBonus(m);
        double history = signals.historyBonus(m);
        double total = Math.max(0.0, performance + safety + cost + task + family + free + local + hardware + history);
        if (parts != null) {
            parts.put("safety", safety);
            parts.put("performance", performance);
            parts.put("cost", cost);
            parts.put("task", task);
            parts.put("family", family);
            parts.put("free", free);
            parts.put("local", local);
            parts.put("hardware", hardware);
            parts.put("history", history);
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

    private double taskBonus(ModelInfo m, Requirements req) {
        List<String> wanted = cfg.taskCapabilities().get(req.taskType().wire());
        if (wanted == null || m.capabilities().isEmpty()) {
            return 0;
        }
        double bonus = 0;
        for (String cap : wanted) {
            if (m.capabilities().contains(cap)) {
                bonus += 0.5;
            }
        }
        return bonus;
    }

    private double familyBonus(ModelInfo m, Requirements req) {
        Map<String, Double> bonuses = cfg.familyBonuses().get(req.taskType().wire());
        if (bonuses == null) {
            return 0;
        }
        for (Map.Entry<String, Double> e : bonuses.entrySet()) {
            if (containsIgnoreCase(m.modelId(), e.getKey())) {
                return e.getValue();
            }
        }
        return 0;
    }

    /** Case-insensitive {@code contains} without allocating: this runs for every model on every ranking. */
    static boolean containsIgnoreCase(String haystack, String needle) {
        int last = haystack.length() - needle.length();
        for (int i = 0; i <= last; i++) {
            if (haystack.regionMatches(true, i, needle, 0, needle.length())) {
                return true;
            }
        }
        return false;
    }

    static boolean isLocal(ModelInfo m) {
        return m.providerType() == ProviderType.LOCAL || m.providerType() == ProviderType.OLLAMA
                || m.providerType() == ProviderType.LM_STUDIO;
    }
}
