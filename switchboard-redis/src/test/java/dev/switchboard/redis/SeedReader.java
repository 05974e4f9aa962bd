package dev.switchboard.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The seed's reading of {@code metrics:<model_id>} (TTA's {@code PerformanceMonitor._get_metrics_redis} and the parts
 * of {@code _calculate_aggregated_stats} that touch the entries), re-expressed for tests with Python's semantics:
 * {@code json.loads} of each entry of {@code LRANGE key 0 -1}; {@code datetime.fromisoformat(data["timestamp"])},
 * which must give a naive time since it is compared with the naive {@code datetime.now() - timeframe} (an offset
 * raises {@code TypeError}); {@code data.get(name, default)} for the fields; then {@code > 0} on the response time
 * and token rate and {@code sum} over the tokens and error counts, which raise on a JSON null. Anything the seed
 * would raise on fails here too, naming the entry: in the seed it empties the whole read of the model.
 */
final class SeedReader {
    private SeedReader() {}

    /**
     * What every Python since 3.7 reads with {@code fromisoformat} (3.11 reads more), without an offset:
     * {@code YYYY-MM-DD[THH[:MM[:SS[.fff[fff]]]]]}, as {@code isoformat()} writes a naive datetime.
     */
    private static final Pattern NAIVE_ISO =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}(T\\d{2}(:\\d{2}(:\\d{2}(\\.\\d{3}|\\.\\d{6})?)?)?)?");

    /** One entry as the seed's PerformanceMetrics gets it (the raw values: a JSON null stays null). */
    record Entry(LocalDateTime timestamp, Object responseTimeMs, Object tokensPerSecond, Object totalTokens,
                 Object qualityScore, Object therapeuticSafetyScore, Object successRate, Object errorCount,
                 Object metadata, Map<String, Object> raw) {}

    static List<Entry> read(RedisCommands<String, String> redis, String modelId, LocalDateTime cutoff)
            throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<Entry> out = new ArrayList<>();
        for (String rawEntry : redis.lrange("metrics:" + modelId, 0, -1)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> data = json.readValue(rawEntry, LinkedHashMap.class);
            if (!data.containsKey("timestamp")) {
                throw new AssertionError("KeyError 'timestamp' in " + rawEntry);
            }
            if (!(data.get("timestamp") instanceof String ts) || !NAIVE_ISO.matcher(ts).matches()) {
                throw new AssertionError("fromisoformat would fail, or give an aware time that cannot be compared"
                        + " with datetime.now(): " + rawEntry);
            }
            LocalDateTime timestamp = LocalDateTime.parse(ts.length() == 10 ? ts + "T00:00" : ts);
            if (timestamp.isAfter(cutoff)) {
                out.add(new Entry(timestamp, get(data, "response_time_ms", 0), get(data, "tokens_per_second", 0),
                        get(data, "total_tokens", 0), get(data, "quality_score", null),
                        get(data, "therapeutic_safety_score", null), get(data, "success_rate", 1.0),
                        get(data, "error_count", 0), get(data, "metadata", Map.of()), data));
            }
        }
        return out;
    }

    /** {@code dict.get(key, default)}: the default only when the key is absent, not when it holds null. */
    private static Object get(Map<String, Object> data, String key, Object fallback) {
        return data.containsKey(key) ? data.get(key) : fallback;
    }

    /** The seed's figures over the entries, as far as they come from the fields it reads. */
    static Map<String, Object> aggregate(List<Entry> entries) {
        List<Double> responseTimes = new ArrayList<>();
        List<Double> successRates = new ArrayList<>();
        List<Double> qualityScores = new ArrayList<>();
        double totalTokens = 0;
        double totalErrors = 0;
        for (Entry e : entries) {
            double rt = number(e, e.responseTimeMs(), "response_time_ms");
            if (rt > 0) {
                responseTimes.add(rt);
            }
            number(e, e.tokensPerSecond(), "tokens_per_second");
            totalTokens += number(e, e.totalTokens(), "total_tokens");
            totalErrors += number(e, e.errorCount(), "error_count");
            if (e.successRate() != null) {
                successRates.add(number(e, e.successRate(), "success_rate"));
            }
            if (e.qualityScore() != null) {
                qualityScores.add(number(e, e.qualityScore(), "quality_score"));
            }
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("total_requests", entries.size());
        stats.put("total_tokens", totalTokens);
        stats.put("total_errors", totalErrors);
        stats.put("average_response_time_ms", average(responseTimes));
        stats.put("success_rate", average(successRates));
        stats.put("average_quality_score", average(qualityScores));
        return stats;
    }

    private static double number(Entry e, Object v, String name) {
        if (!(v instanceof Number n)) {
            throw new AssertionError("TypeError: " + name + " is " + v + " in " + e.raw());
        }
        return n.doubleValue();
    }

    private static Double average(List<Double> values) {
        return values.isEmpty() ? null : values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
