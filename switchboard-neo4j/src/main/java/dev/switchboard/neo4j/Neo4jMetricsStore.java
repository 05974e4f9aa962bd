package dev.switchboard.neo4j;

import dev.switchboard.json.Json;
import dev.switchboard.monitor.MetricRecord;
import dev.switchboard.monitor.MetricsStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Result;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics graph: {@code (:Provider)-[:SERVES]->(:Model)-[:HAS_METRIC]->(:PerformanceMetric)}, plus
 * {@code (:Model)-[:FELL_BACK_TO {count, last_at}]->(:Model)} for every attempt that was a fallback. A metric node
 * carries every field of the record under its JSON name (snake_case, the seed's names) with {@code timestamp} as a
 * DATETIME, plus the seed's {@code success_rate} and {@code error_count}, so it reads back as the record it was
 * written from.
 */
public final class Neo4jMetricsStore implements MetricsStore {
    private static final Logger log = LoggerFactory.getLogger(Neo4jMetricsStore.class);

    /** Deleting is bounded per transaction so a long retention backlog never becomes one huge transaction. */
    static final int PRUNE_CHUNK = 10_000;

    static final List<String> SCHEMA = List.of(
            "CREATE CONSTRAINT switchboard_provider_name IF NOT EXISTS FOR (p:Provider) REQUIRE p.name IS UNIQUE",
            "CREATE CONSTRAINT switchboard_model_id IF NOT EXISTS FOR (m:Model) REQUIRE m.model_id IS UNIQUE",
            "CREATE CONSTRAINT switchboard_metric_id IF NOT EXISTS FOR (x:PerformanceMetric) REQUIRE x.metric_id IS UNIQUE",
            "CREATE INDEX switchboard_metric_timestamp IF NOT EXISTS FOR (x:PerformanceMetric) ON (x.timestamp)");

    // The NOT EXISTS guard makes a repeated batch a no-op: a commit whose acknowledgement was lost (the monitor then
    // sends the batch again) neither duplicates metric nodes nor counts a fallback twice.
    static final String WRITE = """
            UNWIND $rows AS row
            WITH row WHERE NOT EXISTS { MATCH (:PerformanceMetric {metric_id: row.metric_id}) }
            MERGE (p:Provider {name: row.provider})
            SET p.provider_type = coalesce(row.provider_type, p.provider_type)
            MERGE (m:Model {model_id: row.model_id})
            MERGE (p)-[:SERVES]->(m)
            CREATE (m)-[:HAS_METRIC]->(x:PerformanceMetric)
            SET x = row.props, x.metric_id = row.metric_id, x.timestamp = row.timestamp
            WITH row, m WHERE row.fallback_from IS NOT NULL
            MERGE (f:Model {model_id: row.fallback_from})
            FOREACH (name IN CASE WHEN row.fallback_from_provider IS NULL THEN [] ELSE [row.fallback_from_provider] END |
                MERGE (fp:Provider {name: name})
                MERGE (fp)-[:SERVES]->(f))
            MERGE (f)-[e:FELL_BACK_TO]->(m)
            SET e.count = coalesce(e.count, 0) + 1,
                e.last_at = CASE WHEN e.last_at IS NULL OR e.last_at < row.timestamp THEN row.timestamp ELSE e.last_at END
            """;

    // Two shapes so each uses its own index: the model's unique constraint, or the metric timestamp range index.
    static final String SCAN_MODEL = """
            MATCH (:Model {model_id: $model_id})-[:HAS_METRIC]->(x:PerformanceMetric)
            WHERE x.timestamp >= $since
            RETURN x
            """;
    static final String SCAN_ALL = """
            MATCH (x:PerformanceMetric)
            WHERE x.timestamp >= $since
            RETURN x
            """;

    static final String PRUNE = """
            MATCH (x:PerformanceMetric) WHERE x.timestamp < $before
            WITH x LIMIT $chunk
            DETACH DELETE x
            RETURN count(*) AS deleted
            """;

    // Far enough back to include every record; Neo4j compares DATETIMEs, and a null bound would match nothing.
    private static final Instant BEGINNING = Instant.parse("0001-01-01T00:00:00Z");

    private final Driver driver;
    private final SessionConfig sessionConfig;
    private final int pruneChunk;
    private volatile boolean schemaReady;

    /** Takes ownership of {@code driver}: {@link #close()} closes it. {@code database} null means the server's default. */
    public Neo4jMetricsStore(Driver driver, String database) {
        this(driver, database, PRUNE_CHUNK);
    }

    Neo4jMetricsStore(Driver driver, String database, int pruneChunk) {
        this.driver = driver;
        this.pruneChunk = pruneChunk;
        this.sessionConfig = database == null || database.isBlank()
                ? SessionConfig.defaultConfig()
                : SessionConfig.forDatabase(database);
    }

    @Override
    public String name() {
        return "neo4j";
    }

    @Override
    public void write(List<MetricRecord> batch) throws Exception {
        List<Map<String, Object>> rows = rows(batch);
        if (rows.isEmpty()) {
            return;
        }
        ensureSchema();
        try (Session session = session()) {
            // One transaction for the whole batch: it lands entirely or not at all, which is what makes a retry safe.
            session.executeWriteWithoutResult(tx -> tx.run(WRITE, Map.of("rows", rows)).consume());
        }
    }

    @Override
    public void scan(String modelId, Instant since, Consumer<MetricRecord> sink) throws Exception {
        Map<String, Object> params = new HashMap<>();
        params.put("since", (since == null ? BEGINNING : since).atOffset(ZoneOffset.UTC));
        if (modelId != null) {
            params.put("model_id", modelId);
        }
        try (Session session = session()) {
            // An auto-commit query rather than a managed read: the driver would replay a managed transaction after a
            // transient failure, and the sink would see the records it already got a second time.
            Result result = session.run(modelId == null ? SCAN_ALL : SCAN_MODEL, params);
            while (result.hasNext()) {
                sink.accept(record(result.next().get("x")));
            }
        }
    }

    @Override
    public void prune(Instant before) throws Exception {
        Map<String, Object> params = Map.of("before", before.atOffset(ZoneOffset.UTC), "chunk", pruneChunk);
        try (Session session = session()) {
            long deleted;
            do {
                deleted = session.executeWrite(tx -> tx.run(PRUNE, params).single().get("deleted").asLong());
            } while (deleted == pruneChunk);
        }
    }

    @Override
    public void close() {
        driver.close();
    }

    private Session session() {
        return driver.session(sessionConfig);
    }

    /**
     * Creates the constraints and the timestamp index now, when Neo4j answers; the factory calls it at open. One
     * attempt without the driver's retries, so a Neo4j that is down delays the open by at most the connection
     * timeout; it then fails quietly (a warning) and the first write creates the schema instead.
     */
    boolean prepareSchema() {
        try (Session session = session()) {
            for (String statement : SCHEMA) {
                session.run(statement).consume();
            }
            schemaReady = true;
            return true;
        } catch (RuntimeException e) {
            log.warn("neo4j metrics store: schema not created at open ({}: {}); the first write will create it",
                    e.getClass().getSimpleName(), e.getMessage());
            return false;
        }
    }

    // Before the first write when the open could not do it; IF NOT EXISTS makes repeating it harmless.
    private void ensureSchema() {
        if (schemaReady) {
            return;
        }
        try (Session session = session()) {
            for (String statement : SCHEMA) {
                session.executeWriteWithoutResult(tx -> tx.run(statement).consume());
            }
        }
        schemaReady = true;
    }

    /**
     * The batch as query parameters, one row per distinct record. A record without the keys the graph hangs on
     * (model, provider, kind, timestamp) cannot be placed; it is dropped with a warning, since keeping it would make
     * the monitor retry a batch that can never succeed.
     */
    static List<Map<String, Object>> rows(List<MetricRecord> batch) {
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        int dropped = 0;
        for (MetricRecord r : batch) {
            if (r.modelId() == null || r.provider() == null || r.kind() == null || r.timestamp() == null) {
                dropped++;
                continue;
            }
            String id = metricId(r);
            byId.putIfAbsent(id, row(id, r));
        }
        if (dropped > 0) {
            log.warn("Dropped {} metric record(s) without a model, provider, kind or timestamp", dropped);
        }
        return new ArrayList<>(byId.values());
    }

    private static Map<String, Object> row(String id, MetricRecord r) {
        Map<String, Object> row = new HashMap<>();
        row.put("metric_id", id);
        row.put("props", properties(r));
        row.put("timestamp", r.timestamp().atOffset(ZoneOffset.UTC));
        row.put("provider", r.provider());
        row.put("provider_type", r.providerType());
        row.put("model_id", r.modelId());
        row.put("fallback_from", r.isAttempt() ? r.fallbackFrom() : null);
        row.put("fallback_from_provider", r.fallbackFromProvider());
        return row;
    }

    /**
     * The metric node's properties: the record's fields under their JSON names (the seed's names where it had them),
     * nulls left out, plus the seed's derived {@code success_rate} and {@code error_count}. Spelled out rather than
     * taken from Jackson, whose view of the record also holds {@code attempt} and {@code feedback} (from
     * {@code isAttempt()} and {@code isFeedback()}), and so that a field added to the record breaks
     * {@link #record(Value)} at compile time instead of vanishing from the graph. The timestamp is set separately,
     * as a DATETIME.
     */
    static Map<String, Object> properties(MetricRecord r) {
        Map<String, Object> p = new LinkedHashMap<>();
        put(p, "kind", r.kind());
        put(p, "request_id", r.requestId());
        put(p, "model_id", r.modelId());
        put(p, "provider", r.provider());
        put(p, "provider_type", r.providerType());
        put(p, "task_type", r.taskType());
        put(p, "outcome", r.outcome());
        put(p, "response_time_ms", r.responseTimeMs());
        put(p, "time_to_first_token_ms", r.timeToFirstTokenMs());
        put(p, "tokens_per_second", r.tokensPerSecond());
        put(p, "prompt_tokens", r.promptTokens());
        put(p, "completion_tokens", r.completionTokens());
        put(p, "total_tokens", r.totalTokens());
        put(p, "cost_usd", r.costUsd());
        put(p, "quality_score", r.qualityScore());
        put(p, "therapeutic_safety_score", r.therapeuticSafetyScore());
        put(p, "stream", r.stream());
        put(p, "fallback_from", r.fallbackFrom());
        put(p, "fallback_from_provider", r.fallbackFromProvider());
        put(p, "error", r.error());
        put(p, "success_rate", r.successRate());
        put(p, "error_count", r.errorCount());
        return p;
    }

    private static void put(Map<String, Object> p, String key, Object value) {
        if (value != null) {
            p.put(key, value);
        }
    }

    /**
     * A name derived from the record's content, so the same record sent twice is recognised as one. Two distinct
     * records would need every field equal, timestamp to the nanosecond included, to share it.
     */
    static String metricId(MetricRecord r) {
        return UUID.nameUUIDFromBytes(Json.bytes(r)).toString();
    }

    /** The record a metric node was written from; {@code success_rate} and {@code error_count} derive again. */
    static MetricRecord record(Value x) {
        return new MetricRecord(
                string(x, "kind"),
                x.get("timestamp").asZonedDateTime().toInstant(),
                string(x, "request_id"),
                string(x, "model_id"),
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
                string(x, "error"));
    }

    private static String string(Value x, String key) {
        Value v = x.get(key);
        return v.isNull() ? null : v.asString();
    }

    private static Double number(Value x, String key) {
        Value v = x.get(key);
        return v.isNull() ? null : v.asDouble();
    }

    private static Integer integer(Value x, String key) {
        Value v = x.get(key);
        return v.isNull() ? null : v.asInt();
    }
}
