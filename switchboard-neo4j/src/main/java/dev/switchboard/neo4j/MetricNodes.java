package dev.switchboard.neo4j;

import dev.switchboard.monitor.MetricRecord;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import org.neo4j.driver.Value;

/**
 * Reads a {@code PerformanceMetric} node back into the record it stands for: one Switchboard wrote (every field of
 * the record under its JSON name) or one the seed wrote (its eight fields, no {@code kind}). Numbers and times are
 * read loosely, since the seed stores what Python had at hand.
 */
final class MetricNodes {
    private MetricNodes() {}

    /**
     * The record a metric node was written from; {@code success_rate} and {@code error_count} derive again. A node
     * without {@code kind} is the seed's ({@link #seedRecord}). Null for a node that cannot be placed in time (no
     * timestamp), or a seed node hanging off no model.
     */
    static MetricRecord record(Value x, String model) {
        Instant at = instant(x.get("timestamp"));
        if (at == null) {
            return null;
        }
        if (x.get("kind").isNull()) {
            return model == null ? null : seedRecord(x, at, model);
        }
        String modelId = string(x, "model_id");
        return new MetricRecord(
                string(x, "kind"),
                at,
                string(x, "request_id"),
                modelId == null ? model : modelId,
                string(x, "provider"),
                string(x, "provider_type"),
                string(x, "task_type"),
                string(x, "outcome"),
                number(x, "response_time_ms"),
                number(x, "time_to_first_token_ms"),
                number(x, "tokens_per_second"),
                integer(x, "prompt_tokens"),
                integer(x, "completion_tokens"),
                integer(x, "total_tokens"),
                number(x, "cost_usd"),
                number(x, "quality_score"),
                number(x, "therapeutic_safety_score"),
                x.get("stream").isNull() ? null : x.get("stream").asBoolean(),
                string(x, "fallback_from"),
                string(x, "fallback_from_provider"),
                string(x, "error"),
                string(x, "user"));
    }

    /** A metric node the seed wrote ({@link MetricRecord#seedEntry}). */
    static MetricRecord seedRecord(Value x, Instant at, String model) {
        return MetricRecord.seedEntry(model, at, number(x, "success_rate"), number(x, "error_count"),
                number(x, "response_time_ms"), number(x, "tokens_per_second"), number(x, "total_tokens"),
                number(x, "quality_score"), number(x, "therapeutic_safety_score"));
    }

    /**
     * A DATETIME (what both writers store); a LOCAL DATETIME or a DATE read in UTC, the server's default zone for
     * {@code datetime()}; an ISO string. Null otherwise.
     */
    private static Instant instant(Value v) {
        Object o = v.isNull() ? null : v.asObject();
        try {
            return switch (o) {
                case ZonedDateTime z -> z.toInstant();
                case OffsetDateTime z -> z.toInstant();
                case LocalDateTime l -> l.toInstant(ZoneOffset.UTC);
                case LocalDate d -> d.atStartOfDay(ZoneOffset.UTC).toInstant();
                case String s -> {
                    TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME
                            .parseBest(s.strip(), ZonedDateTime::from, LocalDateTime::from);
                    yield t instanceof ZonedDateTime z ? z.toInstant()
                            : ((LocalDateTime) t).toInstant(ZoneOffset.UTC);
                }
                case null, default -> null;
            };
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static String string(Value x, String key) {
        Value v = x.get(key);
        return v.isNull() ? null : v.asString();
    }

    /** A number of either Neo4j type (the seed stores what Python had: an int where a float was meant, or the reverse). */
    private static Double number(Value x, String key) {
        Value v = x.get(key);
        if (v.isNull() || !(v.asObject() instanceof Number n)) {
            return null;
        }
        double d = n.doubleValue();
        return Double.isFinite(d) ? d : null;
    }

    private static Integer integer(Value x, String key) {
        Double d = number(x, key);
        return d == null ? null : (int) Math.round(d);
    }
}
