package dev.switchboard.redis;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.json.Json;
import dev.switchboard.monitor.MetricRecord;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One entry of a {@code metrics:<model_id>} list, in the layout the seed's PerformanceMonitor writes and reads, with
 * Switchboard's own fields beside the seed's.
 *
 * <p>The seed's reader ({@code _get_metrics_redis}) does, per entry: {@code datetime.fromisoformat(data["timestamp"])}
 * and compares the result with {@code datetime.now() - timeframe}, a <em>naive local</em> time; then
 * {@code data.get(name, default)} for {@code response_time_ms} (0), {@code tokens_per_second} (0),
 * {@code total_tokens} (0), {@code quality_score}, {@code therapeutic_safety_score}, {@code success_rate} (1.0),
 * {@code error_count} (0) and {@code metadata} ({}), ignoring every other key. Its aggregation then compares
 * {@code response_time_ms > 0} and {@code tokens_per_second > 0} and sums {@code total_tokens} and
 * {@code error_count}, so those four must never be JSON {@code null}; and one entry it cannot take (a timestamp with
 * an offset, which makes the comparison with a naive time raise) empties its whole read of that model. So an entry
 * written here carries:
 * <ul>
 *   <li>{@code timestamp}: the local time in this store's zone (the zone the seed's {@code datetime.now()} uses when
 *       both run on one host or share {@code TZ}), without offset, always with six fractional digits, which is what
 *       Python's {@code isoformat()} writes and every {@code fromisoformat()} since 3.7 reads;</li>
 *   <li>the seed's numbers under the seed's names, left out when the record has none (the seed then takes its
 *       default, the same value its own writer would have put there); {@code error_count} always, and
 *       {@code success_rate} always: 1.0 or 0.0 for an attempt, an explicit {@code null} for feedback, which the
 *       seed leaves out of its success rate (absent, it would count it as a success); {@code metadata} {};</li>
 *   <li>then every field of the record as Switchboard has always written it ({@code kind}, {@code request_id},
 *       {@code provider}, {@code outcome}, ...), and {@code timestamp_utc}, the exact instant ({@code timestamp}
 *       as Switchboard wrote it before: UTC, to the nanosecond).</li>
 * </ul>
 *
 * <p>Reading takes both layouts from the same list. An entry with {@code kind} is Switchboard's and comes back as
 * the record it was written from ({@code timestamp_utc} when present, else {@code timestamp} with or without an
 * offset). An entry without is the seed's ({@link MetricRecord#seedEntry}).
 */
final class SeedEntries {
    static final String TIMESTAMP_UTC = "timestamp_utc";

    private static final DateTimeFormatter SEED_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
    private static final List<String> SEED_NUMBERS = List.of("response_time_ms", "tokens_per_second", "total_tokens",
            "quality_score", "therapeutic_safety_score");

    private final ZoneId zone;
    private final ObjectMapper mapper = Json.mapper();

    SeedEntries(ZoneId zone) {
        this.zone = zone;
    }

    ZoneId zone() {
        return zone;
    }

    /** The seed's timestamp for an instant: naive local time in this store's zone, to the microsecond. */
    String seedTimestamp(Instant at) {
        return SEED_TIME.format(LocalDateTime.ofInstant(at, zone));
    }

    /** The JSON entry for a record (which must have a timestamp): the seed's fields first, then Switchboard's. */
    String write(MetricRecord r) {
        ObjectNode own = mapper.valueToTree(r);
        ObjectNode out = mapper.createObjectNode();
        out.put("timestamp", seedTimestamp(r.timestamp()));
        for (String name : SEED_NUMBERS) {
            JsonNode v = own.get(name);
            if (v != null && !v.isNull()) {
                out.set(name, v);
            }
        }
        if (r.successRate() == null) {
            out.putNull("success_rate");
        } else {
            out.put("success_rate", r.successRate());
        }
        out.put("error_count", r.errorCount() == null ? 0 : r.errorCount());
        out.putObject("metadata");
        for (Iterator<Map.Entry<String, JsonNode>> it = own.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!out.has(e.getKey())) {
                out.set(e.getKey(), e.getValue());
            }
        }
        out.put(TIMESTAMP_UTC, r.timestamp().toString());
        return Json.string(out);
    }

    /**
     * The record an entry of {@code metrics:<model>} holds, or null when it has no usable timestamp. Throws when
     * the entry is not a JSON object.
     */
    MetricRecord read(String model, String json) throws JsonProcessingException {
        JsonNode node = mapper.readTree(json);
        if (!(node instanceof ObjectNode entry)) {
            throw new JsonParseException(null, "not a JSON object");
        }
        if (entry.hasNonNull("kind")) {
            Instant at = instant(entry.get(TIMESTAMP_UTC));
            if (at == null) {
                at = instant(entry.get("timestamp"));
            }
            if (at == null) {
                return null;
            }
            entry.put("timestamp", at.toString());
            return mapper.treeToValue(entry, MetricRecord.class);
        }
        Instant at = instant(entry.get("timestamp"));
        return at == null ? null : seedRecord(model, at, entry);
    }

    private static MetricRecord seedRecord(String model, Instant at, JsonNode e) {
        return MetricRecord.seedEntry(model, at, number(e, "success_rate"), number(e, "error_count"),
                number(e, "response_time_ms"), number(e, "tokens_per_second"), number(e, "total_tokens"),
                number(e, "quality_score"), number(e, "therapeutic_safety_score"));
    }

    private static Double number(JsonNode e, String name) {
        JsonNode v = e.get(name);
        if (v == null || !v.isNumber()) {
            return null;
        }
        double d = v.asDouble();
        return Double.isFinite(d) ? d : null;
    }

    /**
     * A timestamp as Python's {@code isoformat()} writes it: naive (taken as local time in this store's zone, as the
     * seed means it) or with an offset; {@code T} or a space between date and time; a date alone. Null when absent
     * or unreadable.
     */
    Instant instant(JsonNode v) {
        if (v == null || !v.isTextual()) {
            return null;
        }
        String s = v.asText().strip();
        if (s.length() > 10 && s.charAt(10) == ' ') {
            s = s.substring(0, 10) + 'T' + s.substring(11);
        }
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(zone).toInstant();
            }
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(s, ZonedDateTime::from, LocalDateTime::from);
            return t instanceof ZonedDateTime z ? z.toInstant() : ((LocalDateTime) t).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }
}
