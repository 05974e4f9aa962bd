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
 *
 * <p>The seed (TTA's PerformanceMonitor) writes the same graph its own way: {@code MERGE (m:Model {id: $model_id})
 * CREATE (m)-[:HAS_METRIC]->(:PerformanceMetric {timestamp: datetime($timestamp), response_time_ms,
 * tokens_per_second, total_tokens, quality_score, therapeutic_safety_score, success_rate, error_count})}. So a model
 * is one node for both: Switchboard finds it by the seed's key {@code id}, sets {@code id} and {@code model_id} on
 * it, and the seed's MERGE finds it in turn; {@code id} is unique, which also makes the seed's MERGE safe when both
 * write at once. Reading takes the seed's metric nodes too (no {@code kind}: an attempt by an unknown provider, its
 * model from the node it hangs on). Nodes written before this layout are brought to it when the store opens
 * ({@code UNIFY_MODELS}).
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

    /**
     * One node per model, keyed by the seed's {@code id}: nodes of one model (by {@code id}, or {@code model_id}
     * where a node has no {@code id}: Switchboard's before it set {@code id}) are folded into one, the one Switchboard
     * wrote when there is one. Its metrics, the providers serving it and its fallback edges (counts added) move to
     * the node kept, which gets {@code id}; the others go. Only the seed's MERGE without a constraint behind it, and
     * Switchboard before it set {@code id}, leave such twins; with none this changes nothing. Runs at open, before
     * {@link #MODEL_KEY}, which twins would make fail.
     */
    static final String UNIFY_MODELS = """
            MATCH (m:Model)
            WITH coalesce(m.id, m.model_id) AS key, m
            WHERE key IS NOT NULL
            WITH key, m ORDER BY m.model_id IS NULL, elementId(m)
            WITH key, collect(m) AS nodes
            WHERE size(nodes) > 1 OR head(nodes).id IS NULL
            WITH key, head(nodes) AS keep, tail(nodes) AS twins
            CALL {
                WITH keep, twins
                UNWIND twins AS twin
                CALL {
                    WITH keep, twin
                    MATCH (twin)-[r:HAS_METRIC]->(x)
                    CREATE (keep)-[:HAS_METRIC]->(x)
                    DELETE r
                }
                CALL {
                    WITH keep, twin
                    MATCH (p)-[r:SERVES]->(twin)
                    MERGE (p)-[:SERVES]->(keep)
                    DELETE r
                }
                CALL {
                    WITH keep, twin
                    MATCH (twin)-[r:FELL_BACK_TO]->(to) WHERE to <> twin AND to <> keep
                    MERGE (keep)-[e:FELL_BACK_TO]->(to)
                    SET e.count = coalesce(e.count, 0) + coalesce(r.count, 0),
                        e.last_at = CASE WHEN e.last_at IS NULL OR e.last_at < r.last_at THEN r.last_at ELSE e.last_at END
                    DELETE r
                }
                CALL {
                    WITH keep, twin
                    MATCH (from)-[r:FELL_BACK_TO]->(twin) WHERE from <> twin AND from <> keep
                    MERGE (from)-[e:FELL_BACK_TO]->(keep)
                    SET e.count = coalesce(e.count, 0) + coalesce(r.count, 0),
                        e.last_at = CASE WHEN e.last_at IS NULL OR e.last_at < r.last_at THEN r.last_at ELSE e.last_at END
                    DELETE r
                }
                DETACH DELETE twin
            }
            SET keep.id = key
            RETURN count(keep) AS unified
            """;

    /**
     * The seed's key, unique: its {@code MERGE (m:Model {id: ...})} finds the one node (a uniqueness constraint does
     * not stop a MERGE, it makes it safe against a concurrent one). Created after {@link #UNIFY_MODELS}; when it
     * still cannot be (another index on the same property, a twin the fold could not remove), the store goes on
     * without it.
     */
    static final String MODEL_KEY =
            "CREATE CONSTRAINT switchboard_model_key IF NOT EXISTS FOR (m:Model) REQUIRE m.id IS UNIQUE";

    // The NOT EXISTS guard makes a repeated batch a no-op: a commit whose acknowledgement was lost (the monitor then
    // sends the batch again) neither duplicates metric nodes nor counts a fallback twice.
    //
    // A model node is found by the seed's key, id, and gets model_id too. A node that has model_id but no id (one
    // written before, by a Switchboard that did not set it) is given the id first, unless another node already
    // has it; model_id is set only where no other node holds it. So no write trips either uniqueness constraint, and
    // a twin that could not be avoided is folded at the next open.
    static final String WRITE = """
            UNWIND $rows AS row
            WITH row WHERE NOT EXISTS { MATCH (:PerformanceMetric {metric_id: row.metric_id}) }
            MERGE (p:Provider {name: row.provider})
            SET p.provider_type = coalesce(row.provider_type, p.provider_type)
            WITH row, p
            OPTIONAL MATCH (held:Model {model_id: row.model_id})
            FOREACH (h IN CASE WHEN held IS NOT NULL AND held.id IS NULL
                               AND NOT EXISTS { MATCH (:Model {id: row.model_id}) } THEN [held] ELSE [] END |
                SET h.id = row.model_id)
            MERGE (m:Model {id: row.model_id})
            SET m.model_id = CASE WHEN held IS NULL OR held = m THEN row.model_id ELSE m.model_id END
            MERGE (p)-[:SERVES]->(m)
            CREATE (m)-[:HAS_METRIC]->(x:PerformanceMetric)
            SET x = row.props, x.metric_id = row.metric_id, x.timestamp = row.timestamp
            WITH row, m WHERE row.fallback_from IS NOT NULL
            OPTIONAL MATCH (fheld:Model {model_id: row.fallback_from})
            FOREACH (h IN CASE WHEN fheld IS NOT NULL AND fheld.id IS NULL
                               AND NOT EXISTS { MATCH (:Model {id: row.fallback_from}) } THEN [fheld] ELSE [] END |
                SET h.id = row.fallback_from)
            MERGE (f:Model {id: row.fallback_from})
            SET f.model_id = CASE WHEN fheld IS NULL OR fheld = f THEN row.fallback_from ELSE f.model_id END
            FOREACH (name IN CASE WHEN row.fallback_from_provider IS NULL THEN [] ELSE [row.fallback_from_provider] END |
                MERGE (fp:Provider {name: name})
                MERGE (fp)-[:SERVES]->(f))
            MERGE (f)-[e:FELL_BACK_TO]->(m)
            SET e.count = coalesce(e.count, 0) + 1,
                e.last_at = CASE WHEN e.last_at IS NULL OR e.last_at < row.timestamp THEN row.timestamp ELSE e.last_at END
            """;

    // Two shapes so each uses its own index: the model's unique constraints, or the metric timestamp range index.
    // The model's name comes along for the seed's metric nodes, which do not carry it.
    static final String SCAN_MODEL = """
            MATCH (m:Model) WHERE m.id = $model_id OR m.model_id = $model_id
            MATCH (m)-[:HAS_METRIC]->(x:PerformanceMetric)
            WHERE x.timestamp >= $since
            RETURN x, coalesce(m.model_id, m.id) AS model
            """;
    static final String SCAN_ALL = """
            MATCH (x:PerformanceMetric)
            WHERE x.timestamp >= $since
            OPTIONAL MATCH (m:Model)-[:HAS_METRIC]->(x)
            RETURN x, coalesce(m.model_id, m.id) AS model
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
                org.neo4j.driver.Record row = result.next();
                Value model = row.get("model");
                MetricRecord r = MetricNodes.record(row.get("x"), model.isNull() ? null : model.asString());
                if (r != null) {
                    sink.accept(r);
                }
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
        } catch (RuntimeException e) {
            log.warn("neo4j metrics store: schema not created at open ({}: {}); the first write will create it",
                    e.getClass().getSimpleName(), e.getMessage());
            return false;
        }
        prepareModelKey();
        schemaReady = true;
        return true;
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
        prepareModelKey();
        schemaReady = true;
    }

    /**
     * Folds twin model nodes, then makes the seed's {@code id} unique. Neither is needed for a write to succeed (the
     * write never trips a constraint), so a failure here is a warning, not a reason to hold the metrics back.
     */
    private void prepareModelKey() {
        try (Session session = session()) {
            long unified = session.executeWrite(tx -> tx.run(UNIFY_MODELS).single().get("unified").asLong());
            if (unified > 0) {
                log.info("neo4j metrics store: {} model node(s) given the seed's id (twins folded into one)", unified);
            }
            session.executeWriteWithoutResult(tx -> tx.run(MODEL_KEY).consume());
        } catch (RuntimeException e) {
            log.warn("neo4j metrics store: model nodes not made unique by id ({}: {}); writes go on, and the next "
                    + "open tries again", e.getClass().getSimpleName(), e.getMessage());
        }
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
     * {@link MetricNodes#record} at compile time instead of vanishing from the graph. The timestamp is set separately,
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
        put(p, "user", r.user());
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
}
