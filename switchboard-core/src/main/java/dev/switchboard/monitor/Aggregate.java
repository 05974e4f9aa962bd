package dev.switchboard.monitor;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The seed's per-model performance figures, accumulated from a stream of records: counts, tokens, errors, response
 * time (average, min, max; p95 and p99 from an HdrHistogram at three significant digits), tokens per second,
 * time to first token, quality and safety averages, success rate, cost. Response-time figures are of successful
 * attempts: a refused connection that fails in a millisecond says nothing about how fast a model answers.
 */
final class Aggregate {
    private long requests;
    private long errors;
    private long successes;
    private long tokens;
    private long promptTokens;
    private long completionTokens;
    private double cost;
    private final Histogram latencyMicros = new Histogram(3);
    private double latencySum;
    private double latencyMin = Double.POSITIVE_INFINITY;
    private double latencyMax = Double.NEGATIVE_INFINITY;
    private final Histogram ttftMicros = new Histogram(3);
    private double ttftSum;
    private long tpsN;
    private double tpsSum;
    private double tpsMax;
    private long qualityN;
    private double qualitySum;
    private double qualityMin = Double.POSITIVE_INFINITY;
    private double qualityMax = Double.NEGATIVE_INFINITY;
    private long safetyN;
    private double safetySum;
    private double safetyMin = Double.POSITIVE_INFINITY;
    private double safetyMax = Double.NEGATIVE_INFINITY;
    private long feedback;
    private final Map<String, Long> outcomes = new TreeMap<>();
    private Instant first;
    private Instant last;

    void add(MetricRecord r) {
        if (r.timestamp() != null) {
            first = first == null || r.timestamp().isBefore(first) ? r.timestamp() : first;
            last = last == null || r.timestamp().isAfter(last) ? r.timestamp() : last;
        }
        if (r.qualityScore() != null) {
            double q = r.qualityScore();
            qualityN++;
            qualitySum += q;
            qualityMin = Math.min(qualityMin, q);
            qualityMax = Math.max(qualityMax, q);
        }
        if (r.therapeuticSafetyScore() != null) {
            double s = r.therapeuticSafetyScore();
            safetyN++;
            safetySum += s;
            safetyMin = Math.min(safetyMin, s);
            safetyMax = Math.max(safetyMax, s);
        }
        if (r.isFeedback()) {
            feedback++;
            return;
        }
        requests++;
        outcomes.merge(r.outcome() == null ? "unknown" : r.outcome(), 1L, Long::sum);
        tokens += r.totalTokens() == null ? 0 : r.totalTokens();
        promptTokens += r.promptTokens() == null ? 0 : r.promptTokens();
        completionTokens += r.completionTokens() == null ? 0 : r.completionTokens();
        cost += r.costUsd() == null ? 0 : r.costUsd();
        if (!r.succeeded()) {
            errors++;
            return;
        }
        successes++;
        if (r.responseTimeMs() != null) {
            double ms = r.responseTimeMs();
            latencyMicros.recordValue(Math.max(0, Math.round(ms * 1000)));
            latencySum += ms;
            latencyMin = Math.min(latencyMin, ms);
            latencyMax = Math.max(latencyMax, ms);
        }
        if (r.timeToFirstTokenMs() != null) {
            ttftMicros.recordValue(Math.max(0, Math.round(r.timeToFirstTokenMs() * 1000)));
            ttftSum += r.timeToFirstTokenMs();
        }
        if (r.tokensPerSecond() != null) {
            tpsN++;
            tpsSum += r.tokensPerSecond();
            tpsMax = Math.max(tpsMax, r.tokensPerSecond());
        }
    }

    void merge(Aggregate o) {
        requests += o.requests;
        errors += o.errors;
        successes += o.successes;
        tokens += o.tokens;
        promptTokens += o.promptTokens;
        completionTokens += o.completionTokens;
        cost += o.cost;
        latencyMicros.add(o.latencyMicros);
        latencySum += o.latencySum;
        latencyMin = Math.min(latencyMin, o.latencyMin);
        latencyMax = Math.max(latencyMax, o.latencyMax);
        ttftMicros.add(o.ttftMicros);
        ttftSum += o.ttftSum;
        tpsN += o.tpsN;
        tpsSum += o.tpsSum;
        tpsMax = Math.max(tpsMax, o.tpsMax);
        qualityN += o.qualityN;
        qualitySum += o.qualitySum;
        qualityMin = Math.min(qualityMin, o.qualityMin);
        qualityMax = Math.max(qualityMax, o.qualityMax);
        safetyN += o.safetyN;
        safetySum += o.safetySum;
        safetyMin = Math.min(safetyMin, o.safetyMin);
        safetyMax = Math.max(safetyMax, o.safetyMax);
        feedback += o.feedback;
        o.outcomes.forEach((k, v) -> outcomes.merge(k, v, Long::sum));
        first = first == null || (o.first != null && o.first.isBefore(first)) ? o.first : first;
        last = last == null || (o.last != null && o.last.isAfter(last)) ? o.last : last;
    }

    long requests() {
        return requests;
    }

    /** Records of every kind taken in: requests (attempts) and feedback. The seed's {@code metrics_count}. */
    long records() {
        return requests + feedback;
    }

    /** The average quality score, null when no record carried one. */
    Double averageQuality() {
        return qualityN == 0 ? null : qualitySum / qualityN;
    }

    /**
     * The seed's field names ({@code _calculate_aggregated_stats} and the window figures {@code get_model_performance}
     * adds: {@code metrics_count}, {@code period_start}, {@code period_end}), plus percentiles, TTFT, cost and the
     * outcome breakdown. Figures with nothing behind them are null where the seed leaves the key out.
     */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metrics_count", records());
        m.put("period_start", first == null ? null : first.toString());
        m.put("period_end", last == null ? null : last.toString());
        m.put("total_requests", requests);
        m.put("total_tokens", tokens);
        m.put("total_errors", errors);
        m.put("success_rate", requests == 0 ? null : round(successes / (double) requests, 4));
        long timed = latencyMicros.getTotalCount();
        m.put("average_response_time_ms", timed == 0 ? null : round(latencySum / timed, 3));
        m.put("min_response_time_ms", timed == 0 ? null : round(latencyMin, 3));
        m.put("max_response_time_ms", timed == 0 ? null : round(latencyMax, 3));
        m.put("p50_response_time_ms", timed == 0 ? null : latencyMicros.getValueAtPercentile(50) / 1000.0);
        m.put("p95_response_time_ms", timed == 0 ? null : latencyMicros.getValueAtPercentile(95) / 1000.0);
        m.put("p99_response_time_ms", timed == 0 ? null : latencyMicros.getValueAtPercentile(99) / 1000.0);
        long ttfts = ttftMicros.getTotalCount();
        m.put("average_time_to_first_token_ms", ttfts == 0 ? null : round(ttftSum / ttfts, 3));
        m.put("p95_time_to_first_token_ms", ttfts == 0 ? null : ttftMicros.getValueAtPercentile(95) / 1000.0);
        m.put("average_tokens_per_second", tpsN == 0 ? null : round(tpsSum / tpsN, 3));
        m.put("max_tokens_per_second", tpsN == 0 ? null : round(tpsMax, 3));
        m.put("average_quality_score", qualityN == 0 ? null : round(qualitySum / qualityN, 3));
        m.put("min_quality_score", qualityN == 0 ? null : qualityMin);
        m.put("max_quality_score", qualityN == 0 ? null : qualityMax);
        Double safety = safetyN == 0 ? null : round(safetySum / safetyN, 3);
        m.put("average_safety_score", safety);
        m.put("min_safety_score", safetyN == 0 ? null : safetyMin);
        m.put("max_safety_score", safetyN == 0 ? null : safetyMax);
        // The name Switchboard answered before it took the seed's; the same figure.
        m.put("average_therapeutic_safety_score", safety);
        m.put("feedback_count", feedback);
        m.put("prompt_tokens", promptTokens);
        m.put("completion_tokens", completionTokens);
        m.put("total_cost_usd", round(cost, 8));
        m.put("outcomes", new LinkedHashMap<>(outcomes));
        m.put("first_request", first == null ? null : first.toString());
        m.put("last_request", last == null ? null : last.toString());
        return m;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
