package dev.switchboard.redis;

import static dev.switchboard.redis.RedisTesting.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.switchboard.config.MonitoringConfig;
import dev.switchboard.config.SelectionStrategyConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.monitor.MetricRecord;
import dev.switchboard.monitor.PerformanceMonitor;
import dev.switchboard.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Switchboard and the seed (TTA's {@code PerformanceMonitor}) sharing one Redis: what Switchboard writes, the seed's
 * reader takes ({@link SeedReader}), field by field; what the seed writes ({@code LPUSH} of its
 * {@code json.dumps}, then {@code LTRIM} and {@code EXPIRE}), Switchboard reads and counts; and a list holding both.
 * The seed's timestamps are naive local times; the store here runs in a zone other than UTC so that a mix-up of
 * zones shows.
 */
@Timeout(60)
class RedisSeedLayoutTest {
    /** Not UTC, and without daylight saving, so the expectations hold on any date. */
    private static final ZoneId SEED_ZONE = ZoneId.of("Asia/Kolkata");
    private static final DateTimeFormatter PY_MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
    private static RedisServer redis;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;
    private static RedisCommands<String, String> raw;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        client = RedisClient.create(redis.url());
        connection = client.connect();
        raw = connection.sync();
    }

    @AfterAll
    static void stopRedis() {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown();
        }
        redis.close();
    }

    private static RedisMetricsStore open() {
        RedisLink link = RedisLink.open(config(redis.url()), RedisMetricsStoreFactory.COMMAND_TIMEOUT,
                RedisMetricsStoreFactory.CONNECT_TIMEOUT, () -> {}, "test");
        return new RedisMetricsStore(link, 1000, Duration.ofDays(30), SEED_ZONE);
    }

    /** The monitor over the store, reading aggregates from it (the store is closed with the monitor). */
    private static PerformanceMonitor monitor(RedisMetricsStore store) {
        MonitoringConfig cfg = new MonitoringConfig(List.of("redis"), null, 30, 1000, Secret.of(redis.url()), 1000,
                null, 60, 50);
        PerformanceMonitor monitor = new PerformanceMonitor(cfg, SelectionStrategyConfig.defaults(), List.of(store),
                new SimpleMeterRegistry(), Clock.systemUTC());
        monitor.start();
        return monitor;
    }

    private static MetricRecord attempt(Instant at, String requestId, String model, String outcome, Double ms,
                                        Double tps, Integer total) {
        return new MetricRecord(MetricRecord.ATTEMPT, at, requestId, model, "openrouter", "openrouter", "general",
                outcome, ms, null, tps, total == null ? null : 2, total == null ? null : total - 2, total,
                total == null ? null : 0.00042, null, null, false, null, null,
                MetricRecord.SUCCESS.equals(outcome) ? null : "upstream said: " + outcome);
    }

    /** The seed's local time now, as its {@code datetime.now()} gives it. */
    private static LocalDateTime seedNow() {
        return LocalDateTime.now(SEED_ZONE);
    }

    /** Python's {@code datetime.isoformat()} of a naive time: no fraction at all when the microseconds are 0. */
    private static String pyIso(LocalDateTime t) {
        LocalDateTime micros = t.truncatedTo(ChronoUnit.MICROS);
        return micros.getNano() == 0 ? micros.truncatedTo(ChronoUnit.SECONDS).toString().substring(0, 19)
                : PY_MICROS.format(micros);
    }

    /** Python's {@code json.dumps} of a value the seed puts in an entry. */
    private static String py(Object v) {
        return v == null ? "null" : v instanceof String s ? "\"" + s + "\"" : v.toString();
    }

    /** Exactly what the seed's {@code _store_metrics_redis} sends: LPUSH of its JSON, LTRIM, EXPIRE. */
    private static void seedWrites(String model, LocalDateTime timestamp, Object responseTimeMs, Object tokensPerSecond,
                                   Object totalTokens, Object quality, Object safety, Object successRate,
                                   Object errorCount, String metadataJson) {
        String json = "{\"timestamp\": " + py(pyIso(timestamp)) + ", \"response_time_ms\": " + py(responseTimeMs)
                + ", \"tokens_per_second\": " + py(tokensPerSecond) + ", \"total_tokens\": " + py(totalTokens)
                + ", \"quality_score\": " + py(quality) + ", \"therapeutic_safety_score\": " + py(safety)
                + ", \"success_rate\": " + py(successRate) + ", \"error_count\": " + py(errorCount)
                + ", \"metadata\": " + metadataJson + "}";
        String key = "metrics:" + model;
        raw.lpush(key, json);
        raw.ltrim(key, 0, 999);
        raw.expire(key, 30 * 24 * 3600);
    }

    private static List<MetricRecord> scan(RedisMetricsStore store, String model, Instant since) {
        List<MetricRecord> out = new ArrayList<>();
        store.scan(model, since, out::add);
        return out;
    }

    @Test
    void whatSwitchboardWritesTheSeedsReaderTakesFieldByField() throws Exception {
        Instant now = Instant.now();
        MetricRecord ok = attempt(now.minusSeconds(300).plusNanos(123_456_789), "ok", "sb", MetricRecord.SUCCESS,
                812.5, 40.0, 42);
        MetricRecord failed = attempt(now.minusSeconds(240), "failed", "sb", "timeout", 30_000.0, null, null);
        // A success without a token rate (an embedding call, say): the seed's default 0 stands in for it.
        MetricRecord embedded = attempt(now.minusSeconds(180), "embedded", "sb", MetricRecord.SUCCESS, 50.0, null, 8);
        MetricRecord scored = MetricRecord.feedback(now.minusSeconds(120), "ok", "sb", "openrouter", "openrouter",
                "general", 0.9, 0.95);
        MetricRecord yesterday = attempt(now.minus(Duration.ofHours(23)), "yesterday", "sb", MetricRecord.SUCCESS,
                100.0, 20.0, 10);
        MetricRecord older = attempt(now.minus(Duration.ofHours(25)), "older", "sb", MetricRecord.SUCCESS, 100.0,
                20.0, 10);
        List<MetricRecord> all = List.of(ok, failed, embedded, scored, yesterday, older);
        try (RedisMetricsStore store = open()) {
            store.write(all);
            // Switchboard still gets back exactly what it wrote.
            assertThat(scan(store, "sb", now.minus(Duration.ofDays(2)))).containsExactlyInAnyOrderElementsOf(all);
        }

        // The seed's 24 h window: its cutoff is a naive local time, and so are the timestamps it compares with it.
        List<SeedReader.Entry> seen = SeedReader.read(raw, "sb", seedNow().minusHours(24));
        Map<String, SeedReader.Entry> byRequest = seen.stream()
                .collect(Collectors.toMap(e -> e.raw().get("kind") + ":" + e.raw().get("request_id"),
                        Function.identity()));
        assertThat(byRequest).containsOnlyKeys("attempt:ok", "attempt:failed", "attempt:embedded", "feedback:ok",
                "attempt:yesterday");
        for (MetricRecord r : List.of(ok, failed, embedded, scored, yesterday)) {
            SeedReader.Entry e = byRequest.get(r.kind() + ":" + r.requestId());
            assertThat(e.timestamp()).as("timestamp").isEqualTo(
                    LocalDateTime.ofInstant(r.timestamp(), SEED_ZONE).truncatedTo(ChronoUnit.MICROS));
            assertThat(e.raw().get("timestamp")).asString().hasSize(26);
            assertThat(e.responseTimeMs()).as("response_time_ms").isInstanceOf(Number.class);
            assertThat(((Number) e.responseTimeMs()).doubleValue()).as("response_time_ms")
                    .isEqualTo(r.responseTimeMs() == null ? 0 : r.responseTimeMs());
            assertThat(e.tokensPerSecond()).as("tokens_per_second").isInstanceOf(Number.class);
            assertThat(((Number) e.tokensPerSecond()).doubleValue()).as("tokens_per_second")
                    .isEqualTo(r.tokensPerSecond() == null ? 0 : r.tokensPerSecond());
            assertThat(e.totalTokens()).as("total_tokens, an int").isInstanceOf(Integer.class)
                    .isEqualTo(r.totalTokens() == null ? 0 : r.totalTokens());
            assertThat(e.qualityScore()).as("quality_score").isEqualTo(r.qualityScore());
            assertThat(e.therapeuticSafetyScore()).as("therapeutic_safety_score").isEqualTo(r.therapeuticSafetyScore());
            assertThat(e.successRate()).as("success_rate").isEqualTo(r.successRate());
            assertThat(e.raw()).as("success_rate is always there: null, not the seed's 1.0, for feedback")
                    .containsKey("success_rate");
            assertThat(e.errorCount()).as("error_count, an int").isInstanceOf(Integer.class)
                    .isEqualTo(r.isFeedback() ? 0 : r.succeeded() ? 0 : 1);
            assertThat(e.metadata()).as("metadata").isEqualTo(Map.of());
            // Switchboard's own fields stay beside the seed's, which ignores them.
            assertThat(e.raw()).containsEntry("model_id", "sb").containsEntry("provider", "openrouter")
                    .containsEntry("timestamp_utc", r.timestamp().toString()).containsKey("task_type");
        }
        assertThat(byRequest.get("attempt:ok").raw()).containsEntry("outcome", "success")
                .containsEntry("prompt_tokens", 2).containsEntry("completion_tokens", 40)
                .containsEntry("cost_usd", 0.00042).containsEntry("stream", false);
        assertThat(byRequest.get("attempt:failed").raw()).containsEntry("outcome", "timeout")
                .containsEntry("error", "upstream said: timeout");

        Map<String, Object> stats = SeedReader.aggregate(seen);
        assertThat(stats).containsEntry("total_requests", 5).containsEntry("total_tokens", 60.0)
                .containsEntry("total_errors", 1.0).containsEntry("success_rate", 0.75)
                .containsEntry("average_quality_score", 0.9)
                .containsEntry("average_response_time_ms", (812.5 + 30_000 + 50 + 100) / 4);
    }

    @Test
    void whatTheSeedWritesSwitchboardReadsAndCounts() throws Exception {
        LocalDateTime local = seedNow();
        // As the seed's generate() records a call: no token rate (0), no scores, success_rate 1.0, error_count 0.
        seedWrites("seed-only", local.minusMinutes(10), 812.5, 0, 42, null, null, 1.0, 0, "{}");
        // A failure, with something in its metadata.
        seedWrites("seed-only", local.minusMinutes(9), 30000.0, 0.0, 0, null, null, 0.0, 1, "{\"error\": \"timeout\"}");
        // Nulls where a caller passed None, a whole second (isoformat writes no fraction then), scores.
        seedWrites("seed-only", local.minusMinutes(8).withNano(0), null, null, 7, 0.8, 0.9, 1.0, 0, "{}");
        // Outside a 24 h window.
        seedWrites("seed-only", local.minusHours(48), 100.0, 10.0, 5, null, null, 1.0, 0, "{}");
        assertThat(raw.smembers("switchboard:metric_models")).doesNotContain("seed-only");

        try (RedisMetricsStore store = open()) {
            Instant since = Instant.now().minus(Duration.ofHours(24));
            List<MetricRecord> records = scan(store, "seed-only", since);
            assertThat(records).hasSize(3).allSatisfy(r -> {
                assertThat(r.kind()).isEqualTo(MetricRecord.ATTEMPT);
                assertThat(r.modelId()).isEqualTo("seed-only");
                assertThat(r.provider()).isEqualTo(MetricRecord.UNKNOWN_PROVIDER);
                assertThat(r.requestId()).isNull();
            });
            assertThat(records).extracting(MetricRecord::timestamp).containsExactlyInAnyOrder(
                    local.minusMinutes(10).truncatedTo(ChronoUnit.MICROS).atZone(SEED_ZONE).toInstant(),
                    local.minusMinutes(9).truncatedTo(ChronoUnit.MICROS).atZone(SEED_ZONE).toInstant(),
                    local.minusMinutes(8).withNano(0).atZone(SEED_ZONE).toInstant());
            assertThat(records).extracting(MetricRecord::outcome, MetricRecord::responseTimeMs,
                            MetricRecord::tokensPerSecond, MetricRecord::totalTokens, MetricRecord::qualityScore,
                            MetricRecord::therapeuticSafetyScore)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("success", 812.5, null, 42, null, null),
                            org.assertj.core.groups.Tuple.tuple("error", 30000.0, null, 0, null, null),
                            org.assertj.core.groups.Tuple.tuple("success", null, null, 7, 0.8, 0.9));
            // Reading every model finds a list only the seed wrote.
            assertThat(scan(store, null, since)).filteredOn(r -> "seed-only".equals(r.modelId())).hasSize(3);

            try (PerformanceMonitor monitor = monitor(store)) {
                Map<String, Object> perf = monitor.modelPerformance("seed-only", null, 24);
                assertThat(perf).containsEntry("source", "redis").containsEntry("total_requests", 3L)
                        .containsEntry("total_errors", 1L).containsEntry("total_tokens", 49L)
                        .containsEntry("average_response_time_ms", 812.5)
                        .containsEntry("average_quality_score", 0.8);
                assertThat((Double) perf.get("success_rate")).isCloseTo(2 / 3.0, offset(1e-3));
                assertThat(perf.get("providers")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                        .containsOnlyKeys(MetricRecord.UNKNOWN_PROVIDER);

                Map<String, Object> system = monitor.systemPerformance(24);
                assertThat(system.get("models")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                        .containsKey("seed-only");
                @SuppressWarnings("unchecked")
                Map<String, Object> model = (Map<String, Object>) ((Map<String, Object>) system.get("models"))
                        .get("seed-only");
                assertThat(model).containsEntry("total_requests", 3L).containsEntry("total_errors", 1L);
            }
        }
    }

    @Test
    void aListHoldingBothLayoutsReadsWholeOnBothSides() throws Exception {
        Instant now = Instant.now();
        LocalDateTime local = seedNow();
        try (RedisMetricsStore store = open()) {
            store.write(List.of(attempt(now.minusSeconds(60), "sb-1", "mixed", MetricRecord.SUCCESS, 400.0, 50.0, 22),
                    attempt(now.minusSeconds(50), "sb-2", "mixed", "unavailable", 5.0, null, null)));
            seedWrites("mixed", local.minusSeconds(40), 600.0, 0, 30, 0.7, null, 1.0, 0, "{}");
            seedWrites("mixed", local.minusSeconds(30), 0, 0, 0, null, null, 0.0, 1, "{}");
            store.write(List.of(attempt(now.minusSeconds(20), "sb-3", "mixed", MetricRecord.SUCCESS, 200.0, 25.0, 12)));
            assertThat(raw.llen("metrics:mixed")).isEqualTo(5);

            // The seed: every entry, its own and Switchboard's, nothing it cannot take.
            List<SeedReader.Entry> seen = SeedReader.read(raw, "mixed", seedNow().minusHours(1));
            assertThat(seen).hasSize(5);
            assertThat(SeedReader.aggregate(seen)).containsEntry("total_requests", 5)
                    .containsEntry("total_errors", 2.0).containsEntry("total_tokens", 64.0)
                    .containsEntry("success_rate", 0.6).containsEntry("average_quality_score", 0.7);

            // Switchboard: every entry too, the seed's under the unknown provider.
            List<MetricRecord> records = scan(store, "mixed", now.minus(Duration.ofHours(1)));
            assertThat(records).extracting(MetricRecord::provider, MetricRecord::outcome).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("openrouter", "success"),
                    org.assertj.core.groups.Tuple.tuple("openrouter", "unavailable"),
                    org.assertj.core.groups.Tuple.tuple("openrouter", "success"),
                    org.assertj.core.groups.Tuple.tuple("unknown", "success"),
                    org.assertj.core.groups.Tuple.tuple("unknown", "error"));
            try (PerformanceMonitor monitor = monitor(store)) {
                Map<String, Object> perf = monitor.modelPerformance("mixed", null, 1);
                assertThat(perf).containsEntry("total_requests", 5L).containsEntry("total_errors", 2L)
                        .containsEntry("total_tokens", 64L).containsEntry("success_rate", 0.6);
                assertThat(perf.get("providers")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                        .containsOnlyKeys("openrouter", "unknown");
            }
        }
    }

    @Test
    void entriesSwitchboardWroteBeforeTheSeedLayoutStillRead() {
        Instant at = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS).plusNanos(987_654_321);
        raw.lpush("metrics:legacy", "{\"kind\":\"attempt\",\"timestamp\":\"" + at + "\",\"request_id\":\"old\","
                + "\"model_id\":\"legacy\",\"provider\":\"ollama\",\"outcome\":\"success\",\"response_time_ms\":12.5,"
                + "\"error_count\":0,\"success_rate\":1.0}");
        try (RedisMetricsStore store = open()) {
            assertThat(scan(store, "legacy", at)).singleElement().satisfies(r -> {
                assertThat(r.timestamp()).isEqualTo(at);
                assertThat(r.provider()).isEqualTo("ollama");
                assertThat(r.requestId()).isEqualTo("old");
                assertThat(r.responseTimeMs()).isEqualTo(12.5);
            });
        }
    }
}
