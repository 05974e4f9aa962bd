package dev.switchboard.redis;

import static dev.switchboard.redis.RedisTesting.bulk;
import static dev.switchboard.redis.RedisTesting.config;
import static dev.switchboard.redis.RedisTesting.integer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.monitor.MetricRecord;
import dev.switchboard.monitor.MetricsStore;
import dev.switchboard.monitor.MetricsStoreFactory;
import dev.switchboard.state.SharedStateFactory;
import dev.switchboard.testkit.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RedisMetricsStoreTest {
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(600);
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    private static MetricsStore open(String url, int maxPerModel) {
        return new RedisMetricsStoreFactory().open(config(url, maxPerModel), Path.of("unused"), Map.of());
    }

    private static MetricRecord attempt(String model, int second, String requestId) {
        return new MetricRecord(MetricRecord.ATTEMPT, T0.plusSeconds(second).plusNanos(123_456_789), requestId, model,
                "openrouter", "openrouter", "general", second % 3 == 0 ? "timeout" : MetricRecord.SUCCESS, 812.5,
                120.25, 40.0, 12, 30, 42, 0.00012, null, null, false, null, null, null);
    }

    private static List<MetricRecord> scan(MetricsStore store, String model, Instant since) throws Exception {
        List<MetricRecord> out = new ArrayList<>();
        store.scan(model, since, out::add);
        return out;
    }

    @Test
    void bothFactoriesAreFoundByTheirKind() {
        assertThat(ServiceLoader.load(MetricsStoreFactory.class).stream().map(p -> p.get().kind())).contains("redis");
        assertThat(ServiceLoader.load(SharedStateFactory.class).stream().map(p -> p.get().kind())).contains("redis");
    }

    @Test
    void recordsGoIntoTheSeedsListsAndComeBackWhole() throws Exception {
        try (MetricsStore store = open(redis.url(), 100)) {
            assertThat(store.name()).isEqualTo("redis");
            MetricRecord a1 = attempt("rt-a", 1, "r1");
            MetricRecord a2 = attempt("rt-a", 2, "r2");
            MetricRecord b1 = MetricRecord.feedback(T0.plusSeconds(3), "r9", "rt-b", "ollama", "ollama", "chat", 0.9,
                    0.95);
            store.write(List.of(a1, a2, b1));

            assertThat(integer(redis.command("LLEN", "metrics:rt-a"))).isEqualTo(2);
            assertThat(integer(redis.command("LLEN", "metrics:rt-b"))).isEqualTo(1);
            assertThat(integer(redis.command("TTL", "metrics:rt-a"))).isBetween(1L, 86_400L);
            assertThat(redis.command("SMEMBERS", "switchboard:metric_models")).contains("rt-a", "rt-b");
            String newest = bulk(redis.command("LINDEX", "metrics:rt-a", "0"));
            assertThat(newest).contains("\"request_id\":\"r2\"", "\"model_id\":\"rt-a\"", "\"response_time_ms\":812.5",
                    "\"success_rate\":1.0", "\"error_count\":0");

            assertThat(scan(store, "rt-a", T0)).containsExactlyInAnyOrder(a1, a2);
            assertThat(scan(store, "rt-a", a2.timestamp())).containsExactly(a2);
            assertThat(scan(store, null, T0.plusSeconds(2))).contains(a2, b1).doesNotContain(a1);
            assertThat(scan(store, "nobody", T0)).isEmpty();
        }
    }

    @Test
    void eachListKeepsOnlyTheNewestEntries() throws Exception {
        try (MetricsStore store = open(redis.url(), 5)) {
            List<MetricRecord> first = IntStream.range(0, 8).mapToObj(i -> attempt("trim", i, "t" + i)).toList();
            store.write(first);
            assertThat(integer(redis.command("LLEN", "metrics:trim"))).isEqualTo(5);
            assertThat(scan(store, "trim", T0)).containsExactlyInAnyOrderElementsOf(first.subList(3, 8));

            store.write(List.of(attempt("trim", 8, "t8"), attempt("trim", 9, "t9")));
            assertThat(integer(redis.command("LLEN", "metrics:trim"))).isEqualTo(5);
            assertThat(bulk(redis.command("LINDEX", "metrics:trim", "0"))).contains("\"request_id\":\"t9\"");
            assertThat(scan(store, "trim", T0)).extracting(MetricRecord::requestId)
                    .containsExactlyInAnyOrder("t5", "t6", "t7", "t8", "t9");
        }
    }

    @Test
    void aBatchRetriedAfterItLandedIsNotAddedTwice() throws Exception {
        try (MetricsStore store = open(redis.url(), 100)) {
            List<MetricRecord> batch = List.of(attempt("retry", 1, "x1"), attempt("retry", 2, "x2"));
            store.write(batch);
            store.write(batch);
            assertThat(integer(redis.command("LLEN", "metrics:retry"))).isEqualTo(2);
            store.write(List.of(attempt("retry", 3, "x3")));
            assertThat(integer(redis.command("LLEN", "metrics:retry"))).isEqualTo(3);
        }
    }

    @Test
    void unreadableEntriesAreSkipped() throws Exception {
        try (MetricsStore store = open(redis.url(), 100)) {
            MetricRecord good = attempt("bad", 1, "g1");
            store.write(List.of(good));
            redis.command("LPUSH", "metrics:bad", "not json", "{\"timestamp\":\"yesterday\"}", "{\"kind\":\"attempt\"}");
            assertThat(scan(store, "bad", T0)).containsExactly(good);
            assertThat(scan(store, null, T0)).contains(good);
        }
    }

    @Test
    void pruneForgetsModelsWhoseListExpired() throws Exception {
        try (MetricsStore store = open(redis.url(), 100)) {
            store.write(List.of(attempt("gone", 1, "p1"), attempt("kept", 1, "p2")));
            redis.command("DEL", "metrics:gone");
            store.prune(Instant.now());
            String members = redis.command("SMEMBERS", "switchboard:metric_models");
            assertThat(members).contains("kept").doesNotContain("gone");
        }
    }

    @Test
    void writesFailFastWhileRedisIsDownAndLandOnceWhenItIsBack() throws Exception {
        try (RedisServer own = RedisServer.start(true); MetricsStore store = open(own.url(), 100)) {
            List<MetricRecord> before = List.of(attempt("outage", 1, "o1"), attempt("outage", 2, "o2"));
            store.write(before);
            own.kill();

            List<MetricRecord> during = List.of(attempt("outage", 3, "o3"), attempt("outage", 4, "o4"));
            long start = System.nanoTime();
            assertThatThrownBy(() -> store.write(during)).isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> scan(store, "outage", T0)).isInstanceOf(RuntimeException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

            own.restart();
            int attempts = writeUntilAccepted(store, during);
            assertThat(integer(own.command("LLEN", "metrics:outage"))).isEqualTo(4);
            assertThat(scan(store, "outage", T0)).containsExactlyInAnyOrder(
                    before.get(0), before.get(1), during.get(0), during.get(1));
            System.out.printf("redis metrics store accepted the batch again after %d attempt(s)%n", attempts);
        }
    }

    @Test
    void opensWhileRedisIsDownAndWritesOnceItIsUp() throws Exception {
        try (RedisServer own = RedisServer.start()) {
            own.kill();
            try (MetricsStore store = open(own.url(), 100)) {
                List<MetricRecord> batch = List.of(attempt("late", 1, "l1"));
                assertThatThrownBy(() -> store.write(batch)).isInstanceOf(RuntimeException.class);
                own.restart();
                writeUntilAccepted(store, batch);
                assertThat(integer(own.command("LLEN", "metrics:late"))).isEqualTo(1);
            }
        }
    }

    /** Retries as the monitor's writer does, with the same batch each time. */
    private static int writeUntilAccepted(MetricsStore store, List<MetricRecord> batch) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                store.write(batch);
                return attempt;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the store did not accept writes again", e);
                }
                Thread.sleep(50);
            }
        }
    }
}
