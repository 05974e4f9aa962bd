package dev.switchboard.neo4j;

import static dev.switchboard.neo4j.Records.attempt;
import static dev.switchboard.neo4j.Records.feedback;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.offset;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.MonitoringConfig;
import dev.switchboard.config.MonitoringConfig.Neo4jConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.monitor.MetricRecord;
import dev.switchboard.monitor.MetricsStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Record;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.graphdb.event.LabelEntry;
import org.neo4j.graphdb.event.TransactionData;
import org.neo4j.graphdb.event.TransactionEventListener;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Against one in-process Neo4j for the whole class, reached over Bolt like a real one: it takes 10 s or more to
 * start and some seconds to stop, so every test that needs a server lives here.
 */
class Neo4jMetricsStoreTest {
    private static final Logger log = LoggerFactory.getLogger(Neo4jMetricsStoreTest.class);
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00.123456789Z");
    /** The harness runs without authentication and takes any credentials; the store must still never show them. */
    private static final String PASSWORD = "hunter2-s3cret-neo4j";

    /** The one query for the graph's shape, logged with its result by {@link #theGraphShapeInOneQuery}. */
    static final String GRAPH_SHAPE = """
            MATCH (p:Provider)-[:SERVES]->(m:Model)-[:HAS_METRIC]->(x:PerformanceMetric {kind: 'attempt'})
            WHERE x.provider = p.name
            WITH p, m, count(x) AS attempts, avg(x.success_rate) AS success_rate, sum(x.error_count) AS errors,
                 avg(x.response_time_ms) AS avg_response_time_ms, avg(x.tokens_per_second) AS avg_tokens_per_second
            OPTIONAL MATCH (m)-[f:FELL_BACK_TO]->(next:Model)
            RETURN p.name AS provider, m.model_id AS model, attempts, success_rate, errors, avg_response_time_ms,
                   avg_tokens_per_second, collect(next.model_id + ' x' + f.count) AS fell_back_to
            ORDER BY provider, model""";

    private static Neo4j neo4j;
    /** The test's own view of the graph, independent of the store under test. */
    private static Driver cypher;
    /** Opened by the factory from a configuration, with credentials and a database name, after Neo4j was up. */
    private static MetricsStore store;
    private static Set<String> schemaAtOpen;
    /** Opened by the factory before Neo4j was up, on the port it then started on (without the driver's retries). */
    private static MetricsStore earlyStore;
    private static Exception earlyWriteFailure;
    private static Exception earlyScanFailure;
    /** A write with the production timeouts to a port nothing ever listens on, run while the harness starts. */
    private static Throwable unreachableWriteFailure;
    /** PerformanceMetric nodes created, and deleted, per committed transaction (none listed when none). */
    private static final List<Integer> committedMetricNodes = new CopyOnWriteArrayList<>();
    private static final List<Integer> deletedMetricNodes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        int[] ports = freePorts(2);
        int port = ports[0];
        // The driver retries a refused connection for up to RETRY_TIME: seconds of waiting, spent while Neo4j starts.
        CompletableFuture<Throwable> unreachable = CompletableFuture.supplyAsync(() -> {
            try (MetricsStore nowhere = open("bolt://127.0.0.1:" + ports[1])) {
                nowhere.write(List.of(attempt(NOW, "lost", "openrouter", "gpt-4o", "success")));
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        earlyStore = Neo4jMetricsStoreFactory.openStore(new Neo4jConfig("bolt://127.0.0.1:" + port, null, null, null),
                Duration.ZERO, Neo4jMetricsStoreFactory.CONNECT_TIMEOUT);
        try {
            earlyStore.write(List.of(attempt(NOW, "early", "openrouter", "early/model", "success")));
        } catch (Exception e) {
            earlyWriteFailure = e;
        }
        try {
            earlyStore.scan(null, NOW, r -> {});
        } catch (Exception e) {
            earlyScanFailure = e;
        }

        long started = System.nanoTime();
        neo4j = Neo4jBuilders.newInProcessBuilder()
                .withDisabledServer()
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                // The Bolt server otherwise waits out a 2 s quiet period per event loop group when it stops.
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                // No transaction log space reserved up front: a test database stays small on disk.
                .withConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .build();
        log.info("Neo4j harness started in {} ms", (System.nanoTime() - started) / 1_000_000);
        unreachableWriteFailure = unreachable.join();
        neo4j.databaseManagementService().registerTransactionEventListener("neo4j", new MetricNodeCounter());
        cypher = GraphDatabase.driver(neo4j.boltURI());

        store = fromYaml(neo4j.boltURI().toString());
        // Before any write: what open alone put in place.
        schemaAtOpen = new HashSet<>();
        for (String show : List.of("SHOW CONSTRAINTS YIELD name", "SHOW INDEXES YIELD name")) {
            cypher.executableQuery(show).execute().records().forEach(r -> schemaAtOpen.add(r.get("name").asString()));
        }
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {store, earlyStore, cypher}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                log.warn("closing {} failed", c, e);
            }
        }
        if (neo4j != null) {
            long started = System.nanoTime();
            neo4j.close();
            log.info("Neo4j harness closed in {} ms", (System.nanoTime() - started) / 1_000_000);
        }
    }

    @BeforeEach
    void emptyGraph() {
        cypher.executableQuery("MATCH (n) DETACH DELETE n").execute();
        committedMetricNodes.clear();
        deletedMetricNodes.clear();
    }

    @Test
    void openCreatesTheUniquenessConstraintsAndTheTimestampIndex() {
        assertThat(schemaAtOpen).contains("switchboard_provider_name", "switchboard_model_id", "switchboard_model_key",
                "switchboard_metric_id", "switchboard_metric_timestamp");
        List<Record> constraints = cypher.executableQuery("""
                SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties WHERE name STARTS WITH 'switchboard_'
                RETURN name, type, labelsOrTypes[0] AS label, properties[0] AS property ORDER BY name""")
                .execute().records();
        assertThat(constraints).extracting(r -> List.of(r.get("type").asString(), r.get("label").asString(),
                        r.get("property").asString()))
                .containsExactly(
                        List.of("UNIQUENESS", "PerformanceMetric", "metric_id"),
                        List.of("UNIQUENESS", "Model", "model_id"),
                        List.of("UNIQUENESS", "Model", "id"),
                        List.of("UNIQUENESS", "Provider", "name"));
    }

    @Test
    void attemptsAndFeedbackComeBackWithEveryField() throws Exception {
        MetricRecord ok = attempt(NOW, "r1", "openrouter", "gpt-4o", "success");
        MetricRecord failed = attempt(NOW.plusMillis(1), "r2", "openrouter", "gpt-4o", "rate_limited");
        MetricRecord fallback = attempt(NOW.plusMillis(2), "r2", "lmstudio", "llama-3", "success", "gpt-4o", "openrouter");
        MetricRecord scored = feedback(NOW.plusSeconds(5), "r1", "openrouter", "gpt-4o");
        store.write(List.of(ok, failed, fallback, scored));

        assertThat(scan(null, NOW)).containsExactlyInAnyOrder(ok, failed, fallback, scored);
        assertThat(scan(null, Instant.EPOCH)).containsExactlyInAnyOrder(ok, failed, fallback, scored);
        // The model filter.
        assertThat(scan("gpt-4o", NOW)).containsExactlyInAnyOrder(ok, failed, scored);
        assertThat(scan("llama-3", NOW)).containsExactly(fallback);
        assertThat(scan("unknown", NOW)).isEmpty();
        // The since filter: at or after, to the nanosecond.
        assertThat(scan(null, NOW.plusNanos(1))).containsExactlyInAnyOrder(failed, fallback, scored);
        assertThat(scan(null, NOW.plusMillis(1))).containsExactlyInAnyOrder(failed, fallback, scored);
        assertThat(scan("gpt-4o", NOW.plusSeconds(5))).containsExactly(scored);
        assertThat(scan("gpt-4o", NOW.plusSeconds(6))).isEmpty();
    }

    @Test
    void metricNodesCarryTheSeedPropertyNames() throws Exception {
        MetricRecord timeout = attempt(NOW, "r1", "openrouter", "gpt-4o", "timeout");
        store.write(List.of(timeout, feedback(NOW.plusSeconds(1), "r1", "openrouter", "gpt-4o")));

        Record attempt = cypher.executableQuery("""
                MATCH (x:PerformanceMetric {kind: 'attempt'})
                RETURN x.timestamp AS timestamp, x.response_time_ms AS response_time_ms,
                       x.tokens_per_second AS tokens_per_second, x.total_tokens AS total_tokens,
                       x.quality_score AS quality_score, x.therapeutic_safety_score AS therapeutic_safety_score,
                       x.success_rate AS success_rate, x.error_count AS error_count, keys(x) AS keys
                """).execute().records().getFirst();
        assertThat(attempt.get("timestamp").asZonedDateTime().toInstant()).isEqualTo(NOW);
        assertThat(attempt.get("response_time_ms").asDouble()).isEqualTo(812.5);
        assertThat(attempt.get("tokens_per_second").asDouble()).isEqualTo(42.125);
        assertThat(attempt.get("total_tokens").asLong()).isEqualTo(120);
        assertThat(attempt.get("quality_score").asDouble()).isEqualTo(0.75);
        assertThat(attempt.get("therapeutic_safety_score").asDouble()).isEqualTo(0.9);
        assertThat(attempt.get("success_rate").asDouble()).isEqualTo(0.0);
        assertThat(attempt.get("error_count").asLong()).isEqualTo(1);
        assertThat(attempt.get("keys").asList(v -> v.asString())).containsExactlyInAnyOrder("metric_id", "kind",
                "timestamp", "request_id", "model_id", "provider", "provider_type", "task_type", "outcome",
                "response_time_ms", "time_to_first_token_ms", "tokens_per_second", "prompt_tokens", "completion_tokens",
                "total_tokens", "cost_usd", "quality_score", "therapeutic_safety_score", "stream", "error",
                "success_rate", "error_count");

        Record feedback = cypher.executableQuery("""
                MATCH (x:PerformanceMetric {kind: 'feedback'})
                RETURN x.quality_score AS quality, x.therapeutic_safety_score AS safety, x.success_rate AS success_rate
                """).execute().records().getFirst();
        assertThat(feedback.get("quality").asDouble()).isEqualTo(0.8);
        assertThat(feedback.get("safety").asDouble()).isEqualTo(0.95);
        assertThat(feedback.get("success_rate").isNull()).isTrue();
    }

    @Test
    void twoProvidersServingOneModelShareItsNode() throws Exception {
        List<MetricRecord> batch = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            batch.add(attempt(NOW.plusMillis(i), "or-" + i, "openrouter", "meta-llama/llama-3.1-8b-instruct",
                    i == 2 ? "timeout" : "success"));
        }
        for (int i = 0; i < 2; i++) {
            batch.add(attempt(NOW.plusMillis(10 + i), "lm-" + i, "lmstudio", "meta-llama/llama-3.1-8b-instruct",
                    "success"));
        }
        batch.add(attempt(NOW.plusMillis(20), "or-9", "openrouter", "openai/gpt-4o-mini", "success"));
        store.write(batch);

        assertThat(count("MATCH (m:Model {model_id: 'meta-llama/llama-3.1-8b-instruct'}) RETURN count(m)"))
                .isEqualTo(1);
        assertThat(count("MATCH (:Provider)-[s:SERVES]->(:Model {model_id: 'meta-llama/llama-3.1-8b-instruct'}) "
                + "RETURN count(s)")).isEqualTo(2);
        assertThat(count("MATCH (:Model)-[h:HAS_METRIC]->(:PerformanceMetric) RETURN count(h)")).isEqualTo(6);
        assertThat(count("MATCH (p:Provider) RETURN count(p)")).isEqualTo(2);
        assertThat(cypher.executableQuery("MATCH (p:Provider {name: 'lmstudio'}) RETURN p.provider_type").execute()
                .records().getFirst().get(0).asString()).isEqualTo("lmstudio-type");

        // A second batch reuses the nodes rather than adding copies.
        store.write(List.of(attempt(NOW.plusSeconds(1), "lm-9", "lmstudio", "meta-llama/llama-3.1-8b-instruct",
                "success")));
        assertThat(count("MATCH (m:Model) RETURN count(m)")).isEqualTo(2);
        assertThat(count("MATCH (p:Provider) RETURN count(p)")).isEqualTo(2);
        assertThat(count("MATCH (:Provider)-[s:SERVES]->(:Model) RETURN count(s)")).isEqualTo(3);
    }

    @Test
    void fallbacksCountOnTheEdgeBetweenModelsAndARetriedBatchCountsNothingTwice() throws Exception {
        List<MetricRecord> batch = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Instant at = NOW.plusSeconds(i);
            batch.add(attempt(at, "r" + i, "openrouter", "gpt-4o", "rate_limited"));
            batch.add(attempt(at.plusMillis(5), "r" + i, "anthropic", "claude-sonnet", "success", "gpt-4o", "openrouter"));
        }
        batch.add(attempt(NOW.plusSeconds(10), "r9", "anthropic", "claude-sonnet", "unavailable"));
        batch.add(attempt(NOW.plusSeconds(10).plusMillis(5), "r9", "lmstudio", "llama-3", "success",
                "claude-sonnet", "anthropic"));
        // Feedback adds a metric, never a fallback.
        batch.add(feedback(NOW.plusSeconds(11), "r9", "lmstudio", "llama-3"));
        store.write(batch.subList(0, 4));
        store.write(batch.subList(4, batch.size()));
        assertThat(committedMetricNodes).containsExactly(4, batch.size() - 4);

        // The monitor resends a batch whose commit it could not confirm (it landed, the acknowledgement did not):
        // neither the metric nodes nor the fallback counts may change.
        store.write(batch.subList(4, batch.size()));
        store.write(batch);
        assertThat(committedMetricNodes).containsExactly(4, batch.size() - 4);

        List<Record> edges = cypher.executableQuery("""
                MATCH (a:Model)-[e:FELL_BACK_TO]->(b:Model)
                RETURN a.model_id AS from, b.model_id AS to, e.count AS count, e.last_at AS last_at
                ORDER BY from""").execute().records();
        assertThat(edges).extracting(r -> List.of(r.get("from").asString(), r.get("to").asString(),
                        r.get("count").asLong(), r.get("last_at").asZonedDateTime().toInstant()))
                .containsExactly(
                        List.of("claude-sonnet", "llama-3", 1L, NOW.plusSeconds(10).plusMillis(5)),
                        List.of("gpt-4o", "claude-sonnet", 3L, NOW.plusSeconds(2).plusMillis(5)));
        assertThat(count("MATCH (x:PerformanceMetric) RETURN count(x)")).isEqualTo(batch.size());
        assertThat(scan(null, Instant.EPOCH)).containsExactlyInAnyOrderElementsOf(batch);
        // The provider a fallback came from is known to serve the model it fell back from.
        assertThat(count("MATCH (:Provider {name: 'openrouter'})-[s:SERVES]->(:Model {model_id: 'gpt-4o'}) "
                + "RETURN count(s)")).isEqualTo(1);
    }

    @Test
    void theGraphShapeInOneQuery() throws Exception {
        List<MetricRecord> batch = List.of(
                attempt(NOW, "r1", "openrouter", "gpt-4o", "success"),
                attempt(NOW.plusSeconds(1), "r2", "openrouter", "gpt-4o", "rate_limited"),
                attempt(NOW.plusSeconds(1).plusMillis(300), "r2", "anthropic", "claude-sonnet", "success",
                        "gpt-4o", "openrouter"),
                attempt(NOW.plusSeconds(2), "r3", "openrouter", "gpt-4o", "rate_limited"),
                attempt(NOW.plusSeconds(2).plusMillis(300), "r3", "anthropic", "claude-sonnet", "unavailable",
                        "gpt-4o", "openrouter"),
                attempt(NOW.plusSeconds(2).plusMillis(600), "r3", "lmstudio", "llama-3", "success",
                        "claude-sonnet", "anthropic"),
                attempt(NOW.plusSeconds(3), "r4", "openrouter", "llama-3", "success"),
                feedback(NOW.plusSeconds(4), "r1", "openrouter", "gpt-4o"));
        store.write(batch);
        store.write(batch); // a retry: the result below is the same as after one write

        List<Record> rows = cypher.executableQuery(GRAPH_SHAPE).execute().records();
        StringBuilder table = new StringBuilder();
        table.append(String.join(" | ", rows.getFirst().keys()));
        for (Record r : rows) {
            table.append("\n").append(r.values().stream().map(v -> String.valueOf(v.asObject()))
                    .collect(Collectors.joining(" | ")));
        }
        log.info("Graph shape query:\n{}\nResult:\n{}", GRAPH_SHAPE, table);

        assertThat(rows).extracting(r -> List.of(r.get("provider").asString(), r.get("model").asString(),
                        r.get("attempts").asLong(), r.get("errors").asLong(), r.get("fell_back_to").asObject()))
                .containsExactly(
                        List.of("anthropic", "claude-sonnet", 2L, 1L, List.of("llama-3 x1")),
                        List.of("lmstudio", "llama-3", 1L, 0L, List.of()),
                        List.of("openrouter", "gpt-4o", 3L, 2L, List.of("claude-sonnet x2")),
                        List.of("openrouter", "llama-3", 1L, 0L, List.of()));
        assertThat(rows.get(2).get("success_rate").asDouble()).isCloseTo(1.0 / 3, offset(1e-9));
    }

    @Test
    void aBatchIsOneTransaction() throws Exception {
        store.write(batch(2_000, "bulk"));

        assertThat(committedMetricNodes).containsExactly(2_000);
        assertThat(count("MATCH (:Provider {name: 'bulk'})-[:SERVES]->(:Model)-[:HAS_METRIC]->(x) RETURN count(x)"))
                .isEqualTo(2_000);
    }

    @Test
    void aBatchWithOneRowNeo4jRejectsLeavesNothingBehind() throws Exception {
        // A constraint only this test has, which the batch's last row breaks after 1,999 rows went in.
        cypher.executableQuery("CREATE CONSTRAINT test_unique_request IF NOT EXISTS "
                + "FOR (x:PerformanceMetric) REQUIRE x.request_id IS UNIQUE").execute();
        try {
            List<MetricRecord> batch = new ArrayList<>(batch(1_999, "doomed"));
            batch.add(attempt(NOW.plusSeconds(60), "doomed-0", "doomed", "doomed-model-0", "success"));

            assertThatThrownBy(() -> store.write(batch)).isInstanceOf(ClientException.class)
                    .hasMessageContaining("doomed-0");
            assertThat(committedMetricNodes).isEmpty();
            assertThat(count("MATCH (p:Provider {name: 'doomed'}) RETURN count(p)")).isZero();
            assertThat(count("MATCH (m:Model) WHERE m.model_id STARTS WITH 'doomed' RETURN count(m)")).isZero();
            assertThat(count("MATCH (x:PerformanceMetric {provider: 'doomed'}) RETURN count(x)")).isZero();
        } finally {
            cypher.executableQuery("DROP CONSTRAINT test_unique_request").execute();
        }
    }

    @Test
    void pruneDeletesExactlyTheOldMetricsInChunks() throws Exception {
        Instant cutoff = NOW.minus(1, ChronoUnit.DAYS);
        List<MetricRecord> old = IntStream.range(0, 25).mapToObj(i -> attempt(cutoff.minusSeconds(1 + i * 3600L),
                "old-" + i, "openrouter", "gpt-4o", "success")).toList();
        MetricRecord atCutoff = attempt(cutoff, "edge", "openrouter", "gpt-4o", "success");
        MetricRecord recent = attempt(NOW, "new", "lmstudio", "llama-3", "success", "gpt-4o", "openrouter");
        List<MetricRecord> all = new ArrayList<>(old);
        all.add(atCutoff);
        all.add(recent);
        store.write(all);
        try (MetricsStore smallChunks = new Neo4jMetricsStore(GraphDatabase.driver(neo4j.boltURI()), null, 10)) {
            smallChunks.prune(cutoff);
        }

        assertThat(deletedMetricNodes).as("one transaction per chunk of 10").containsExactly(10, 10, 5);
        assertThat(scan(null, Instant.EPOCH)).containsExactlyInAnyOrder(atCutoff, recent);
        assertThat(count("MATCH (x:PerformanceMetric) RETURN count(x)")).isEqualTo(2);
        // Models, providers and fallback history stay: they describe the deployments, not a time window.
        assertThat(count("MATCH (m:Model) RETURN count(m)")).isEqualTo(2);
        assertThat(count("MATCH (p:Provider) RETURN count(p)")).isEqualTo(2);
        assertThat(count("MATCH ()-[e:FELL_BACK_TO]->() RETURN sum(e.count)")).isEqualTo(1);

        store.prune(cutoff); // nothing left to prune: a no-op
        assertThat(count("MATCH (x:PerformanceMetric) RETURN count(x)")).isEqualTo(2);
    }

    @Test
    void withTheProductionTimeoutsAWriteToAPortWhereNothingListensFails() {
        assertThat(unreachableWriteFailure).isInstanceOf(ServiceUnavailableException.class);
    }

    @Test
    void aStoreOpenedWhileNeo4jWasDownFailedItsWritesAndWorksOnceItIsUp() throws Exception {
        assertThat(earlyWriteFailure).as("write before Neo4j was up").isInstanceOf(ServiceUnavailableException.class);
        assertThat(earlyScanFailure).as("scan before Neo4j was up").isInstanceOf(ServiceUnavailableException.class);

        earlyStore.write(List.of(attempt(NOW, "late", "openrouter", "gpt-4o", "success")));
        assertThat(scan("gpt-4o", NOW)).extracting(MetricRecord::requestId).containsExactly("late");
        store.write(List.of(attempt(NOW.plusSeconds(1), "still", "openrouter", "gpt-4o", "success")));
        List<MetricRecord> seen = new ArrayList<>();
        earlyStore.scan("gpt-4o", NOW, seen::add);
        assertThat(seen).extracting(MetricRecord::requestId).containsExactlyInAnyOrder("late", "still");
    }

    @Test
    void thePasswordAppearsInNoLogLineAndNoError() throws Exception {
        List<ILoggingEvent> events = LogCapture.capture(() -> {
            Neo4jConfig down = new Neo4jConfig("bolt://127.0.0.1:" + freePort(), "neo4j", Secret.of(PASSWORD), null);
            try (MetricsStore unreachable = Neo4jMetricsStoreFactory.openStore(down, Duration.ZERO,
                    Neo4jMetricsStoreFactory.CONNECT_TIMEOUT)) {
                Throwable failure = catchThrowable(() -> unreachable.write(
                        List.of(attempt(NOW, "lost", "openrouter", "gpt-4o", "success"))));
                assertThat(failure).isNotNull();
                for (Throwable t = failure; t != null; t = t.getCause()) {
                    assertThat(String.valueOf(t)).doesNotContain(PASSWORD);
                }
            }
            Neo4jConfig up = new Neo4jConfig(neo4j.boltURI().toString(), "neo4j", Secret.of(PASSWORD), "neo4j");
            try (MetricsStore reachable = Neo4jMetricsStoreFactory.openStore(up, Duration.ZERO,
                    Neo4jMetricsStoreFactory.CONNECT_TIMEOUT)) {
                reachable.write(List.of(attempt(NOW, "kept", "openrouter", "gpt-4o", "success")));
                reachable.scan(null, NOW, r -> {});
            }
        });

        assertThat(events).as("the capture works: the failed schema attempt at open warns")
                .anyMatch(e -> e.getLevel() == Level.WARN && e.getLoggerName().equals(Neo4jMetricsStore.class.getName()));
        assertThat(events).as("the driver's own debug logging was captured too")
                .anyMatch(e -> e.getLoggerName().startsWith("org.neo4j.driver"));
        for (ILoggingEvent e : events) {
            assertThat(e.getFormattedMessage()).doesNotContain(PASSWORD);
            if (e.getThrowableProxy() != null) {
                assertThat(ThrowableProxyUtil.asString(e.getThrowableProxy())).doesNotContain(PASSWORD);
            }
        }
        assertThat(scan(null, NOW)).extracting(MetricRecord::requestId).containsExactly("kept");
    }

    /**
     * The whole path: requests through a started ModelManager (a mock OpenAI-compatible upstream that fails once,
     * so one request falls back) with Neo4j as its only metrics store; the performance figures are read back from
     * Neo4j, and the graph holds the attempts and the fallback edge.
     */
    @Test
    void metricsRecordedThroughTheManagerReadBackFromNeo4j(@org.junit.jupiter.api.io.TempDir Path home) {
        try (dev.switchboard.testkit.MockOpenAiServer upstream =
                     dev.switchboard.testkit.MockOpenAiServer.start(null, "storyteller", "backup")) {
            String yaml = """
                    model_management:
                      health_check_interval_seconds: 3600
                      fallback_config: {max_retries: 0, retry_delay_seconds: 0.001}
                      monitoring:
                        stores: [neo4j]
                        neo4j: {uri: "%s", user: neo4j, password: "${NEO4J_PASSWORD}"}
                      providers:
                        custom_api:
                          custom_providers:
                            up: {base_url: "%s"}
                      models:
                        storyteller: {performance_score: 9, therapeutic_safety_score: 9}
                        backup: {performance_score: 6, therapeutic_safety_score: 8}
                    """.formatted(neo4j.boltURI(), upstream.baseUrl());
            var cfg = ConfigLoader.parse(yaml, "t", Map.of("NEO4J_PASSWORD", PASSWORD)).config().modelManagement();
            var manager = new dev.switchboard.manager.ModelManager(cfg, dev.switchboard.manager.ProviderRegistry.discover(),
                    Map.of("SWITCHBOARD_HOME", home.toString()));
            manager.start();
            try {
                upstream.enqueue(dev.switchboard.testkit.Fault.openAiError(503, "busy", "server_error", null, Map.of()));
                for (int i = 0; i < 3; i++) {
                    manager.chat().generate(dev.switchboard.model.ChatRequest.builder().prompt("once upon " + i)
                            .taskType(dev.switchboard.model.TaskType.NARRATIVE_GENERATION).maxTokens(20).build());
                }
                Map<String, Object> perf = manager.feedback().modelPerformance("storyteller", 1);
                assertThat(perf).containsEntry("source", "neo4j").containsEntry("total_requests", 3L)
                        .containsEntry("total_errors", 1L);
                assertThat(manager.feedback().systemPerformance(1)).containsEntry("total_requests", 4L);
            } finally {
                manager.stop();
            }
            assertThat(count("MATCH (:Provider {name: 'custom_api:up'})-[:SERVES]->(:Model {model_id: 'storyteller'})"
                    + "-[:HAS_METRIC]->(x:PerformanceMetric) RETURN count(x)")).isEqualTo(3);
            assertThat(count("MATCH (:Model {model_id: 'storyteller'})-[f:FELL_BACK_TO]->(:Model {model_id: 'backup'})"
                    + " RETURN f.count")).isEqualTo(1);
        }
    }

    // ---- The seed's graph: TTA's PerformanceMonitor._store_metrics_neo4j writes into the same database. ----

    /** The seed's query, as its {@code _store_metrics_neo4j} sends it. */
    static final String SEED_WRITE = """
            MERGE (m:Model {id: $model_id})
            CREATE (m)-[:HAS_METRIC]->(metric:PerformanceMetric {
                timestamp: datetime($timestamp),
                response_time_ms: $response_time_ms,
                tokens_per_second: $tokens_per_second,
                total_tokens: $total_tokens,
                quality_score: $quality_score,
                therapeutic_safety_score: $therapeutic_safety_score,
                success_rate: $success_rate,
                error_count: $error_count
            })""";
    static final List<String> SEED_PROPERTIES = List.of("timestamp", "response_time_ms", "tokens_per_second",
            "total_tokens", "quality_score", "therapeutic_safety_score", "success_rate", "error_count");

    /**
     * One metric written as the seed writes it: {@code timestamp} is Python's naive {@code isoformat()} (here of a
     * UTC time, the server's default zone for {@code datetime()}), the numbers as Python has them (a JSON-less int
     * or float, or None).
     */
    private static void seedWrites(String model, Instant at, Object responseTimeMs, Object tokensPerSecond,
                                   Object totalTokens, Object quality, Object safety, Object successRate,
                                   Object errorCount) {
        java.time.LocalDateTime local = java.time.LocalDateTime.ofInstant(at, java.time.ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.MICROS);
        String iso = local.getNano() == 0 ? local.toString().substring(0, 19)
                : java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS").format(local);
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("model_id", model);
        params.put("timestamp", iso);
        params.put("response_time_ms", responseTimeMs);
        params.put("tokens_per_second", tokensPerSecond);
        params.put("total_tokens", totalTokens);
        params.put("quality_score", quality);
        params.put("therapeutic_safety_score", safety);
        params.put("success_rate", successRate);
        params.put("error_count", errorCount);
        try (org.neo4j.driver.Session session = cypher.session()) {
            session.run(SEED_WRITE, params).consume();
        }
    }

    /** A monitor reading its aggregates from its own store on this Neo4j (closing the monitor closes that store). */
    private static dev.switchboard.monitor.PerformanceMonitor monitor() {
        MonitoringConfig cfg = new MonitoringConfig(List.of("neo4j"), null, 30, 1000, null, 1000,
                new Neo4jConfig(neo4j.boltURI().toString(), null, null, null), 60, 50);
        dev.switchboard.monitor.PerformanceMonitor monitor = new dev.switchboard.monitor.PerformanceMonitor(cfg,
                dev.switchboard.config.SelectionStrategyConfig.defaults(),
                List.of(new Neo4jMetricsStore(GraphDatabase.driver(neo4j.boltURI()), null)),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), java.time.Clock.systemUTC());
        monitor.start();
        return monitor;
    }

    @Test
    void theSeedsMergeFindsTheModelSwitchboardWroteAndItsMetricsHaveTheSeedsNamesAndTypes() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        MetricRecord ok = attempt(now.minusSeconds(30), "r1", "openrouter", "gpt-4o", "success");
        MetricRecord failed = attempt(now.minusSeconds(20), "r2", "openrouter", "gpt-4o", "timeout");
        MetricRecord fallback = attempt(now.minusSeconds(19), "r2", "lmstudio", "llama-3", "success", "gpt-4o",
                "openrouter");
        MetricRecord scored = feedback(now.minusSeconds(10), "r1", "openrouter", "gpt-4o");
        store.write(List.of(ok, failed, fallback, scored));

        // Every model node carries the seed's key beside Switchboard's, the one a fallback names included.
        List<Record> models = cypher.executableQuery("MATCH (m:Model) RETURN m.id AS id, m.model_id AS model_id "
                + "ORDER BY id").execute().records();
        assertThat(models).extracting(r -> r.get("id").asString() + "=" + r.get("model_id").asString())
                .containsExactly("gpt-4o=gpt-4o", "llama-3=llama-3");

        // The seed's MERGE then finds those nodes: no twin, its metric beside Switchboard's.
        seedWrites("gpt-4o", now.minusSeconds(5), 640.25, 31.5, 77, 0.7, 0.8, 1.0, 0);
        seedWrites("llama-3", now.minusSeconds(4), 90.0, 0, 12, null, null, 0.0, 1);
        seedWrites("brand-new", now.minusSeconds(3), 10.0, 0, 1, null, null, 1.0, 0);
        assertThat(count("MATCH (m:Model) RETURN count(m)")).isEqualTo(3);
        assertThat(count("MATCH (m:Model) WHERE m.id = 'gpt-4o' OR m.model_id = 'gpt-4o' RETURN count(m)"))
                .isEqualTo(1);
        assertThat(count("MATCH (:Provider {name: 'openrouter'})-[:SERVES]->(m:Model {id: 'gpt-4o'})"
                + "-[:HAS_METRIC]->(x:PerformanceMetric) RETURN count(x)")).isEqualTo(4);
        assertThat(count("MATCH (:Model {id: 'gpt-4o'})-[:FELL_BACK_TO]->(:Model {id: 'llama-3'}) RETURN count(*)"))
                .isEqualTo(1);

        // Switchboard's attempt node has every property the seed writes, under its name, of the seed's type.
        Record seeds = cypher.executableQuery("MATCH (:Model {id: 'gpt-4o'})-[:HAS_METRIC]->(x:PerformanceMetric) "
                + "WHERE x.kind IS NULL RETURN x").execute().records().getFirst();
        Record ours = cypher.executableQuery("MATCH (:Model {id: 'gpt-4o'})-[:HAS_METRIC]->(x:PerformanceMetric "
                + "{request_id: 'r1', kind: 'attempt'}) RETURN x").execute().records().getFirst();
        for (String name : SEED_PROPERTIES) {
            org.neo4j.driver.Value theirs = seeds.get("x").get(name);
            org.neo4j.driver.Value mine = ours.get("x").get(name);
            assertThat(mine.isNull()).as(name).isFalse();
            assertThat(mine.type().name()).as(name).isEqualTo(theirs.type().name());
        }
        assertThat(ours.get("x").get("timestamp").asZonedDateTime().toInstant()).isEqualTo(ok.timestamp());
        assertThat(ours.get("x").get("success_rate").asDouble()).isEqualTo(1.0);
        assertThat(ours.get("x").get("error_count").asLong()).isZero();

        // Switchboard reads the seed's metrics along with its own.
        assertThat(scan("gpt-4o", now.minusSeconds(60))).hasSize(4).contains(ok, failed, scored)
                .filteredOn(r -> r.requestId() == null).singleElement().satisfies(r -> {
                    assertThat(r.provider()).isEqualTo(MetricRecord.UNKNOWN_PROVIDER);
                    assertThat(r.modelId()).isEqualTo("gpt-4o");
                    assertThat(r.outcome()).isEqualTo("success");
                    assertThat(r.timestamp()).isEqualTo(now.minusSeconds(5));
                    assertThat(r.responseTimeMs()).isEqualTo(640.25);
                    assertThat(r.tokensPerSecond()).isEqualTo(31.5);
                    assertThat(r.totalTokens()).isEqualTo(77);
                    assertThat(r.qualityScore()).isEqualTo(0.7);
                    assertThat(r.therapeuticSafetyScore()).isEqualTo(0.8);
                });
        assertThat(scan(null, now.minusSeconds(60))).hasSize(7)
                .filteredOn(r -> r.requestId() == null).extracting(MetricRecord::modelId, MetricRecord::outcome)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("gpt-4o", "success"),
                        org.assertj.core.groups.Tuple.tuple("llama-3", "error"),
                        org.assertj.core.groups.Tuple.tuple("brand-new", "success"));
    }

    @Test
    void whatTheSeedWritesSwitchboardReadsAndCountsAndBothShareTheModelAfterwards() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // As the seed's generate() records a call: no token rate (int 0), no scores.
        seedWrites("seed-model", now.minusSeconds(600), 812.5, 0, 42, null, null, 1.0, 0);
        seedWrites("seed-model", now.minusSeconds(540), 30000.0, 0.0, 0, null, null, 0.0, 1);
        // None where a caller passed None (the property is then absent), scores, a whole second.
        seedWrites("seed-model", now.minusSeconds(480).truncatedTo(ChronoUnit.SECONDS), null, null, 7, 0.8, 0.9,
                1.0, 0);
        seedWrites("seed-model", now.minus(Duration.ofHours(48)), 100.0, 10.0, 5, null, null, 1.0, 0);

        List<MetricRecord> records = scan("seed-model", now.minus(Duration.ofHours(24)));
        assertThat(records).hasSize(3).allSatisfy(r -> {
            assertThat(r.kind()).isEqualTo(MetricRecord.ATTEMPT);
            assertThat(r.modelId()).isEqualTo("seed-model");
            assertThat(r.provider()).isEqualTo(MetricRecord.UNKNOWN_PROVIDER);
        });
        assertThat(records).extracting(MetricRecord::outcome, MetricRecord::responseTimeMs, MetricRecord::totalTokens,
                        MetricRecord::qualityScore)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("success", 812.5, 42, null),
                        org.assertj.core.groups.Tuple.tuple("error", 30000.0, 0, null),
                        org.assertj.core.groups.Tuple.tuple("success", null, 7, 0.8));

        try (dev.switchboard.monitor.PerformanceMonitor monitor = monitor()) {
            Map<String, Object> perf = monitor.modelPerformance("seed-model", null, 24);
            assertThat(perf).containsEntry("source", "neo4j").containsEntry("total_requests", 3L)
                    .containsEntry("total_errors", 1L).containsEntry("total_tokens", 49L)
                    .containsEntry("average_response_time_ms", 812.5).containsEntry("average_quality_score", 0.8);
            assertThat(perf.get("providers")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsOnlyKeys(MetricRecord.UNKNOWN_PROVIDER);
            @SuppressWarnings("unchecked")
            Map<String, Object> models = (Map<String, Object>) monitor.systemPerformance(24).get("models");
            assertThat(models).containsKey("seed-model");
        }

        // Switchboard then serves the model: it takes the seed's node (no twin) and the seed keeps finding it.
        MetricRecord ours = attempt(now.minusSeconds(60), "sb-1", "openrouter", "seed-model", "success");
        store.write(List.of(ours));
        seedWrites("seed-model", now.minusSeconds(30), 500.0, 0, 10, null, null, 1.0, 0);
        assertThat(count("MATCH (m:Model) RETURN count(m)")).isEqualTo(1);
        assertThat(cypher.executableQuery("MATCH (m:Model) RETURN m.id AS id, m.model_id AS model_id").execute()
                .records().getFirst()).satisfies(r -> {
                    assertThat(r.get("id").asString()).isEqualTo("seed-model");
                    assertThat(r.get("model_id").asString()).isEqualTo("seed-model");
                });
        assertThat(count("MATCH (:Provider {name: 'openrouter'})-[:SERVES]->(:Model {id: 'seed-model'})"
                + "-[:HAS_METRIC]->(x) RETURN count(x)")).isEqualTo(6);

        // Both kinds on one model node, read and counted together.
        assertThat(scan("seed-model", now.minus(Duration.ofHours(24)))).hasSize(5).contains(ours)
                .extracting(MetricRecord::provider).containsOnly("openrouter", MetricRecord.UNKNOWN_PROVIDER);
        try (dev.switchboard.monitor.PerformanceMonitor monitor = monitor()) {
            Map<String, Object> perf = monitor.modelPerformance("seed-model", null, 24);
            assertThat(perf).containsEntry("total_requests", 5L).containsEntry("total_errors", 1L);
            assertThat(perf.get("providers")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsOnlyKeys("openrouter", MetricRecord.UNKNOWN_PROVIDER);
        }
    }

    @Test
    void aWriteNeverTripsAConstraintOnAModelNodeWrittenTheOldWay() throws Exception {
        // A Switchboard without the seed's key (an older replica, say) wrote these after this one opened.
        cypher.executableQuery("CREATE (:Model {model_id: 'old-only'}), (:Model {model_id: 'both'})").execute();
        seedWrites("both", NOW.minusSeconds(10), 10.0, 0, 1, null, null, 1.0, 0);

        MetricRecord a = attempt(NOW, "a", "openrouter", "old-only", "success");
        MetricRecord b = attempt(NOW, "b", "openrouter", "both", "success");
        store.write(List.of(a, b));

        // The old node took the seed's key; where the seed's node already had it, the metric went there and the
        // twins stay readable as one model until the next open folds them.
        assertThat(count("MATCH (m:Model {id: 'old-only', model_id: 'old-only'}) RETURN count(m)")).isEqualTo(1);
        assertThat(count("MATCH (m:Model) WHERE m.id = 'old-only' OR m.model_id = 'old-only' RETURN count(m)"))
                .isEqualTo(1);
        assertThat(scan("old-only", NOW)).containsExactly(a);
        assertThat(scan("both", NOW.minusSeconds(60))).hasSize(2).contains(b);

        try (MetricsStore reopened = open(neo4j.boltURI().toString())) {
            assertThat(count("MATCH (m:Model) WHERE m.id = 'both' OR m.model_id = 'both' RETURN count(m)"))
                    .isEqualTo(1);
            assertThat(count("MATCH (m:Model {id: 'both', model_id: 'both'})-[:HAS_METRIC]->(x) RETURN count(x)"))
                    .isEqualTo(2);
        }
    }

    @Test
    void twinModelNodesLeftByEarlierWritersAreFoldedIntoOneAtOpen() throws Exception {
        // Without the constraint on id, as before this layout: the seed's unguarded MERGE could leave twins.
        cypher.executableQuery("DROP CONSTRAINT switchboard_model_key IF EXISTS").execute();
        try {
            // Switchboard's graph as an earlier version wrote it: model_id only.
            cypher.executableQuery("""
                    CREATE (p:Provider {name: 'openrouter'})-[:SERVES]->(g:Model {model_id: 'gpt-4o'})
                    CREATE (g)-[:HAS_METRIC]->(:PerformanceMetric {metric_id: 'm1', kind: 'attempt', request_id: 'old',
                        model_id: 'gpt-4o', provider: 'openrouter', outcome: 'success', response_time_ms: 100.0,
                        success_rate: 1.0, error_count: 0, timestamp: datetime($at)})
                    CREATE (g)-[:FELL_BACK_TO {count: 2, last_at: datetime($at)}]->(:Model {model_id: 'claude'})
                    """).withParameters(Map.of("at", NOW.atOffset(java.time.ZoneOffset.UTC))).execute();
            // The seed's, written beside it: a twin of gpt-4o, and two nodes for one model.
            seedWrites("gpt-4o", NOW.plusSeconds(1), 200.0, 0, 5, null, null, 1.0, 0);
            cypher.executableQuery("""
                    CREATE (:Model {id: 'mistral'})-[:HAS_METRIC]->(:PerformanceMetric {timestamp: datetime($at),
                        response_time_ms: 1.0, success_rate: 1.0, error_count: 0})
                    CREATE (:Model {id: 'mistral'})-[:HAS_METRIC]->(:PerformanceMetric {timestamp: datetime($at),
                        response_time_ms: 2.0, success_rate: 0.0, error_count: 1})
                    """).withParameters(Map.of("at", NOW.atOffset(java.time.ZoneOffset.UTC))).execute();
            assertThat(count("MATCH (m:Model) RETURN count(m)")).isEqualTo(5);

            try (MetricsStore reopened = open(neo4j.boltURI().toString())) {
                List<Record> models = cypher.executableQuery("""
                        MATCH (m:Model)
                        RETURN m.id AS id, m.model_id AS model_id, COUNT { (m)-[:HAS_METRIC]->() } AS metrics,
                               COUNT { (:Provider)-[:SERVES]->(m) } AS providers
                        ORDER BY id""").execute().records();
                assertThat(models).extracting(r -> List.of(r.get("id").asString(),
                                String.valueOf(r.get("model_id").asObject()), r.get("metrics").asLong(),
                                r.get("providers").asLong()))
                        .containsExactly(List.of("claude", "claude", 0L, 0L), List.of("gpt-4o", "gpt-4o", 2L, 1L),
                                List.of("mistral", "null", 2L, 0L));
                assertThat(count("MATCH (:Model {id: 'gpt-4o'})-[e:FELL_BACK_TO]->(:Model {id: 'claude'}) "
                        + "RETURN e.count")).isEqualTo(2);
                assertThat(cypher.executableQuery("SHOW CONSTRAINTS YIELD name WHERE name = 'switchboard_model_key' "
                        + "RETURN name").execute().records()).hasSize(1);

                // The seed's next write lands on the one node, and everything reads back.
                seedWrites("gpt-4o", NOW.plusSeconds(2), 300.0, 0, 5, null, null, 1.0, 0);
                seedWrites("mistral", NOW.plusSeconds(2), 300.0, 0, 5, null, null, 1.0, 0);
                assertThat(count("MATCH (m:Model) RETURN count(m)")).isEqualTo(3);
                List<MetricRecord> seen = new ArrayList<>();
                reopened.scan(null, NOW, seen::add);
                assertThat(seen).extracting(MetricRecord::modelId, MetricRecord::outcome).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("gpt-4o", "success"),
                        org.assertj.core.groups.Tuple.tuple("gpt-4o", "success"),
                        org.assertj.core.groups.Tuple.tuple("gpt-4o", "success"),
                        org.assertj.core.groups.Tuple.tuple("mistral", "success"),
                        org.assertj.core.groups.Tuple.tuple("mistral", "error"),
                        org.assertj.core.groups.Tuple.tuple("mistral", "success"));
            }
        } finally {
            cypher.executableQuery("MATCH (n) DETACH DELETE n").execute();
            cypher.executableQuery(Neo4jMetricsStore.MODEL_KEY).execute();
        }
    }

    private static List<MetricRecord> batch(int size, String provider) {
        return IntStream.range(0, size).mapToObj(i -> attempt(NOW.plusMillis(i), provider + "-" + i, provider,
                provider + "-model-" + (i % 7), i % 10 == 0 ? "timeout" : "success")).toList();
    }

    private static List<MetricRecord> scan(String model, Instant since) throws Exception {
        List<MetricRecord> seen = new ArrayList<>();
        store.scan(model, since, seen::add);
        return seen;
    }

    private static long count(String query) {
        return cypher.executableQuery(query).execute().records().getFirst().get(0).asLong();
    }

    /** Through the factory with its production timeouts. */
    private static MetricsStore open(String uri) {
        MonitoringConfig config = new MonitoringConfig(List.of("neo4j"), null, null, null, null, null,
                new Neo4jConfig(uri, null, null, null), null, null);
        return new Neo4jMetricsStoreFactory().open(config, Path.of("unused"), Map.of());
    }

    /** The way the service gets there: YAML, the password from the environment, then the factory. */
    private static MetricsStore fromYaml(String uri) {
        String yaml = """
                model_management:
                  monitoring:
                    stores: [neo4j]
                    neo4j:
                      uri: %s
                      user: switchboard
                      password: ${NEO4J_PASSWORD}
                      database: neo4j
                """.formatted(uri);
        MonitoringConfig config = ConfigLoader.parse(yaml, "test.yaml", Map.of("NEO4J_PASSWORD", PASSWORD))
                .config().modelManagement().monitoring();
        assertThat(config.neo4j().password().reveal()).isEqualTo(PASSWORD);
        assertThat(config.neo4j().database()).isEqualTo("neo4j");
        return new Neo4jMetricsStoreFactory().open(config, Path.of("unused"), Map.of());
    }

    private static int freePort() throws IOException {
        return freePorts(1)[0];
    }

    /** Distinct ports: all the sockets are open at once while their numbers are taken. */
    private static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }

    /** How many PerformanceMetric nodes each committed transaction created and deleted, straight from the database. */
    private static final class MetricNodeCounter implements TransactionEventListener<int[]> {
        @Override
        public int[] beforeCommit(TransactionData data, Transaction transaction, GraphDatabaseService db) {
            return new int[] {metricLabels(data.assignedLabels()), metricLabels(data.removedLabels())};
        }

        private static int metricLabels(Iterable<LabelEntry> entries) {
            int n = 0;
            for (LabelEntry entry : entries) {
                if (entry.label().name().equals("PerformanceMetric")) {
                    n++;
                }
            }
            return n;
        }

        @Override
        public void afterCommit(TransactionData data, int[] counts, GraphDatabaseService db) {
            if (counts[0] > 0) {
                committedMetricNodes.add(counts[0]);
            }
            if (counts[1] > 0) {
                deletedMetricNodes.add(counts[1]);
            }
        }

        @Override
        public void afterRollback(TransactionData data, int[] counts, GraphDatabaseService db) {
        }
    }
}
