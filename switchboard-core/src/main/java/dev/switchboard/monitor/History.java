package dev.switchboard.monitor;

import dev.switchboard.model.DeploymentKey;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.routing.Signals;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The closed loop: what each deployment did lately (success rate, latency, callers' quality and safety scores),
 * over a sliding window of time buckets, turned into the selector's history bonus and the observed latency that
 * {@code latency_based} routing and {@code max_latency_ms} use.
 *
 * <p>The bonus, in score points (a model's static score is roughly 0 to 15):
 * <ul>
 *   <li>success: {@code 4 × (rate − 0.95)}, from −3 to +0.2; only failures of the deployment's own count
 *       (unreachable, timing out, rejecting our key), not the caller's (bad request, context too long, refused
 *       content), and not rate limits, which cooldowns and the rpm/tpm guards already handle;</li>
 *   <li>latency: {@code 0.5 × log2(reference / observed)}, from −1.5 to +0.5, where the reference is a quarter of
 *       {@code max_acceptable_latency_ms}: neutral there, −1 at the acceptable maximum;</li>
 *   <li>quality feedback: {@code 0.2 × (average − 7)}, from −1 to +0.6; safety feedback: {@code 0.3 × (average − 7)},
 *       from −1.5 to +0.3;</li>
 * </ul>
 * each weighted by confidence {@code n / (n + 5)}, so one unlucky call moves little and a pattern moves a lot.
 * Reading is a map lookup and a volatile read: the selector asks for every model on every ranking.
 */
final class History implements Signals {
    private static final int BUCKETS = 60;
    private static final double CONFIDENCE_K = 5;
    // Not the deployment's reliability: the caller's fault, or a quota that the cooldown and the rpm/tpm guards
    // already act on (counting it here too would keep a model demoted after its quota resets).
    private static final Set<String> NOT_COUNTED = Set.of("bad_request", "context_too_long", "content_refused",
            "rate_limited");

    private final long bucketMillis;
    private final double referenceLatencyMs;
    private final Clock clock;
    private final Map<DeploymentKey, Track> tracks = new ConcurrentHashMap<>();

    History(Duration window, double maxAcceptableLatencyMs, Clock clock) {
        this.bucketMillis = Math.max(1_000, window.toMillis() / BUCKETS);
        this.referenceLatencyMs = Math.max(1, maxAcceptableLatencyMs / 4);
        this.clock = clock;
    }

    /** The figures behind one deployment's bonus, for explanations and status. */
    record Figures(int calls, int ownFailures, double successRate, double latencyMs, int feedback, double quality,
                   double safety, double bonus) {
        static final Figures NONE = new Figures(0, 0, Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN, 0);
    }

    private static final class Bucket {
        long index = Long.MIN_VALUE;
        int calls;
        int ownFailures;
        int successes;
        double latencySum;
        int feedback;
        int qualityN;
        double qualitySum;
        int safetyN;
        double safetySum;

        void reset(long idx) {
            index = idx;
            calls = ownFailures = successes = feedback = qualityN = safetyN = 0;
            latencySum = qualitySum = safetySum = 0;
        }
    }

    private final class Track {
        private final Bucket[] buckets = new Bucket[BUCKETS];
        final String modelId;
        final String provider;
        volatile Figures figures = Figures.NONE;

        Track(String modelId, String provider) {
            this.modelId = modelId;
            this.provider = provider;
            for (int i = 0; i < BUCKETS; i++) {
                buckets[i] = new Bucket();
            }
        }

        private Bucket bucket(long idx) {
            Bucket b = buckets[(int) Math.floorMod(idx, BUCKETS)];
            if (b.index != idx) {
                b.reset(idx);
            }
            return b;
        }

        synchronized void add(MetricRecord r, long idx, long nowIdx) {
            Bucket b = bucket(idx);
            if (r.isFeedback()) {
                b.feedback++;
                if (r.qualityScore() != null) {
                    b.qualityN++;
                    b.qualitySum += r.qualityScore();
                }
                if (r.therapeuticSafetyScore() != null) {
                    b.safetyN++;
                    b.safetySum += r.therapeuticSafetyScore();
                }
            } else if (r.succeeded()) {
                b.calls++;
                b.successes++;
                b.latencySum += r.responseTimeMs() == null ? 0 : r.responseTimeMs();
            } else if (!NOT_COUNTED.contains(r.outcome())) {
                b.calls++;
                b.ownFailures++;
            }
            recompute(nowIdx);
        }

        synchronized void recompute(long nowIdx) {
            int calls = 0;
            int failures = 0;
            int successes = 0;
            double latency = 0;
            int feedback = 0;
            int qn = 0;
            double q = 0;
            int sn = 0;
            double s = 0;
            for (Bucket b : buckets) {
                if (b.index > nowIdx - BUCKETS && b.index <= nowIdx) {
                    calls += b.calls;
                    failures += b.ownFailures;
                    successes += b.successes;
                    latency += b.latencySum;
                    feedback += b.feedback;
                    qn += b.qualityN;
                    q += b.qualitySum;
                    sn += b.safetyN;
                    s += b.safetySum;
                }
            }
            double rate = calls == 0 ? Double.NaN : (calls - failures) / (double) calls;
            double avgLatency = successes == 0 ? Double.NaN : latency / successes;
            double quality = qn == 0 ? Double.NaN : q / qn;
            double safety = sn == 0 ? Double.NaN : s / sn;
            figures = new Figures(calls, failures, rate, avgLatency, feedback, quality, safety,
                    bonus(calls, rate, avgLatency, qn, quality, sn, safety));
        }
    }

    double bonus(int calls, double rate, double latencyMs, int qualityN, double quality, int safetyN, double safety) {
        double total = 0;
        if (calls > 0) {
            double c = calls / (calls + CONFIDENCE_K);
            double success = clamp(4 * (rate - 0.95), -3, 0.2);
            double speed = Double.isNaN(latencyMs) ? 0
                    : clamp(0.5 * log2(referenceLatencyMs / Math.max(latencyMs, 0.001)), -1.5, 0.5);
            total += c * (success + speed);
        }
        if (qualityN > 0) {
            total += qualityN / (qualityN + CONFIDENCE_K) * clamp(0.2 * (quality - 7), -1, 0.6);
        }
        if (safetyN > 0) {
            total += safetyN / (safetyN + CONFIDENCE_K) * clamp(0.3 * (safety - 7), -1.5, 0.3);
        }
        return total;
    }

    void add(MetricRecord r) {
        if (r.provider() == null || r.modelId() == null) {
            return;
        }
        long idx = r.timestamp().toEpochMilli() / bucketMillis;
        long now = currentIndex();
        if (idx <= now - BUCKETS || idx > now) {
            return; // outside the window
        }
        tracks.computeIfAbsent(r.deployment(), k -> new Track(r.modelId(), r.provider())).add(r, idx, now);
    }

    /** Lets old buckets fall out of the window for deployments nobody called lately. */
    void refresh() {
        long now = currentIndex();
        tracks.values().forEach(t -> t.recompute(now));
    }

    private long currentIndex() {
        return clock.millis() / bucketMillis;
    }

    Figures figures(DeploymentKey deployment) {
        Track t = tracks.get(deployment);
        return t == null ? Figures.NONE : t.figures;
    }

    @Override
    public double historyBonus(ModelInfo model) {
        Track t = tracks.get(model.deployment());
        return t == null ? 0 : t.figures.bonus();
    }

    @Override
    public double observedLatencyMs(ModelInfo model) {
        Track t = tracks.get(model.deployment());
        return t == null ? Double.NaN : t.figures.latencyMs();
    }

    /** The figures per deployment, of one model (or all when null) and one provider (or all when null). */
    Map<String, Map<String, Object>> snapshot(String modelId, String provider) {
        Map<String, Map<String, Object>> out = new java.util.TreeMap<>();
        tracks.forEach((k, t) -> {
            Figures f = t.figures;
            if ((f.calls() == 0 && f.feedback() == 0) || (modelId != null && !modelId.equals(t.modelId))
                    || (provider != null && !provider.equals(t.provider))) {
                return;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("calls", f.calls());
            m.put("own_failures", f.ownFailures());
            m.put("success_rate", nanToNull(f.successRate()));
            m.put("average_latency_ms", nanToNull(f.latencyMs()));
            m.put("feedback", f.feedback());
            m.put("average_quality_score", nanToNull(f.quality()));
            m.put("average_therapeutic_safety_score", nanToNull(f.safety()));
            m.put("history_bonus", Math.round(f.bonus() * 1000) / 1000.0);
            out.put(k.toString(), m);
        });
        return out;
    }

    private static Double nanToNull(double d) {
        return Double.isNaN(d) ? null : Math.round(d * 1000) / 1000.0;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }
}
