package dev.switchboard.redis;

import static dev.switchboard.redis.RedisTesting.await;
import static dev.switchboard.redis.RedisTesting.bulk;
import static dev.switchboard.redis.RedisTesting.config;
import static dev.switchboard.redis.RedisTesting.integer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.MonitoringConfig;
import dev.switchboard.monitor.MetricRecord;
import dev.switchboard.state.SharedState;
import dev.switchboard.testkit.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RedisSharedStateTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static RedisServer redis;
    private final List<SharedState> opened = new ArrayList<>();
    private final List<RedisServer> ownServers = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    /** Replicas first: a server that goes away under a live replica would only set it reconnecting. */
    @AfterEach
    void closeReplicasThenServers() {
        opened.forEach(SharedState::close);
        ownServers.forEach(RedisServer::close);
    }

    /** A server of the test's own, for tests that stop it. */
    private RedisServer ownServer(boolean durable) {
        RedisServer r = RedisServer.start(durable);
        ownServers.add(r);
        return r;
    }

    /**
     * A replica as {@code shared_state: redis} opens it, with the request path's tight command timeout. For tests
     * where Redis is down or refuses: those fail at once, whatever the timeout.
     */
    private SharedState productionReplica(MonitoringConfig config) {
        SharedState s = new RedisSharedStateFactory().open(config, Map.of());
        opened.add(s);
        return s;
    }

    private SharedState productionReplica(String url) {
        return productionReplica(config(url));
    }

    /**
     * A replica whose commands may take a second, for tests that check what Redis answered: on a loaded machine a
     * pause past the production timeout would make a replica fall back to its own view, which is right for
     * requests and wrong for such a test.
     */
    private SharedState replica(String url) {
        return replica(url, RedisRateLimits.WINDOW);
    }

    private SharedState replica(String url, Duration rateWindow) {
        SharedState s = new RedisSharedState(config(url), rateWindow, Duration.ofSeconds(1));
        opened.add(s);
        return s;
    }

    private static String unique(String prefix) {
        return prefix + ":" + UUID.randomUUID();
    }

    @Test
    void aCooldownSetOnOneReplicaIsSeenByAnotherAtOnce() {
        SharedState a = replica(redis.url());
        SharedState b = replica(redis.url());
        assertThat(a.routing().shared()).isTrue();
        String d = unique("openrouter");
        Instant until = Instant.now().plusSeconds(30);

        a.routing().extendCooldown(d, until);
        Duration took = await("the cooldown reaching replica B", DEADLINE,
                () -> b.routing().cooldownUntil(d).isPresent());
        System.out.printf("cooldown reached the other replica after %.3f ms%n", took.toNanos() / 1e6);

        assertThat(b.routing().cooldownUntil(d).orElseThrow()).isAfterOrEqualTo(until)
                .isBefore(until.plusMillis(2));
        assertThat(b.routing().activeCooldowns(Instant.now())).containsKey(d);
        assertThat(b.routing().activeCooldowns(until.plusSeconds(1))).doesNotContainKey(d);
        assertThat(integer(redis.command("PTTL", RedisRoutingState.COOLDOWN_PREFIX + d))).isBetween(20_000L, 30_001L);
    }

    @Test
    void aCooldownIsNeverShortened() {
        SharedState a = replica(redis.url());
        SharedState b = replica(redis.url());
        String d = unique("anthropic");
        Instant now = Instant.now();
        Instant long1 = now.plusSeconds(60);

        assertThat(a.routing().extendCooldown(d, long1)).isAfterOrEqualTo(long1);
        // B may not have heard of A's cooldown yet; Redis has, and keeps the longer one.
        assertThat(b.routing().extendCooldown(d, now.plusSeconds(10))).isAfterOrEqualTo(long1);
        assertThat(Long.parseLong(bulk(redis.command("GET", RedisRoutingState.COOLDOWN_PREFIX + d))))
                .isGreaterThanOrEqualTo(long1.toEpochMilli());
        assertThat(integer(redis.command("PTTL", RedisRoutingState.COOLDOWN_PREFIX + d))).isGreaterThan(50_000L);

        Instant longer = now.plusSeconds(90);
        b.routing().extendCooldown(d, longer);
        await("the longer cooldown reaching A", DEADLINE,
                () -> !a.routing().cooldownUntil(d).orElseThrow().isBefore(longer));
        assertThat(b.routing().cooldownUntil(d).orElseThrow()).isAfterOrEqualTo(longer);
    }

    @Test
    void aResetReachesEveryReplica() {
        SharedState a = replica(redis.url());
        SharedState b = replica(redis.url());
        String d = unique("ollama");
        a.routing().extendCooldown(d, Instant.now().plusSeconds(30));
        a.routing().recordFailure(d, Instant.now(), Duration.ofMinutes(1));
        await("the cooldown reaching B", DEADLINE, () -> b.routing().cooldownUntil(d).isPresent());

        b.routing().reset(d);
        assertThat(b.routing().cooldownUntil(d)).isEmpty();
        await("the reset reaching A", DEADLINE, () -> a.routing().cooldownUntil(d).isEmpty());
        assertThat(integer(redis.command("EXISTS", RedisRoutingState.COOLDOWN_PREFIX + d,
                RedisRoutingState.FAILURES_PREFIX + d))).isZero();
        assertThat(a.routing().recordFailure(d, Instant.now(), Duration.ofMinutes(1))).isEqualTo(1);
    }

    @Test
    void aReplicaStartedLaterKnowsTheCurrentCooldowns() {
        SharedState a = replica(redis.url());
        String d = unique("lmstudio");
        Instant until = Instant.now().plusSeconds(30);
        a.routing().extendCooldown(d, until);

        SharedState late = replica(redis.url());
        assertThat(late.routing().cooldownUntil(d)).hasValueSatisfying(t -> assertThat(t).isAfterOrEqualTo(until));
    }

    @Test
    void failuresAreCountedOverTheWindowAcrossReplicas() {
        SharedState a = replica(redis.url());
        SharedState b = replica(redis.url());
        String d = unique("openai");
        Duration minute = Duration.ofMinutes(1);
        Instant t = Instant.now();

        assertThat(a.routing().recordFailure(d, t, minute)).isEqualTo(1);
        assertThat(b.routing().recordFailure(d, t.plusSeconds(10), minute)).isEqualTo(2);
        // t falls out of the window that starts at t+5s; t+10s stays.
        assertThat(a.routing().recordFailure(d, t.plusSeconds(65), minute)).isEqualTo(2);
        // A failure exactly at the window's start still counts.
        assertThat(b.routing().recordFailure(d, t.plusSeconds(70), minute)).isEqualTo(3);
        assertThat(integer(redis.command("PTTL", RedisRoutingState.FAILURES_PREFIX + d))).isBetween(1L, 60_000L);
    }

    @Test
    void aLimitHoldsExactlyAcrossReplicasUnderContention() throws Exception {
        SharedState a = replica(redis.url());
        SharedState b = replica(redis.url());
        String key = unique("openrouter") + "#rpm";
        int limit = 50;
        int threadsPerReplica = 4;
        int triesPerThread = 40;
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerReplica)) {
            List<Future<?>> done = new ArrayList<>();
            for (SharedState replica : List.of(a, b)) {
                for (int i = 0; i < threadsPerReplica; i++) {
                    done.add(pool.submit(() -> {
                        go.await();
                        for (int n = 0; n < triesPerThread; n++) {
                            if (replica.rateLimits().tryAcquire(key, limit, 1)) {
                                admitted.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertThat(admitted.get()).isEqualTo(limit);
        assertThat(Long.parseLong(bulk(redis.command("GET", RedisRateLimits.USED_PREFIX + key)))).isEqualTo(limit);
        assertThat(integer(redis.command("ZCARD", RedisRateLimits.ENTRIES_PREFIX + key))).isEqualTo(limit);
    }

    @Test
    void tokenLimitsTakeSeveralPermitsOrNone() {
        SharedState a = replica(redis.url());
        SharedState b = replica(redis.url());
        String key = unique("anthropic") + "#tpm";

        assertThat(a.rateLimits().tryAcquire(key, 100, 30)).isTrue();
        assertThat(b.rateLimits().tryAcquire(key, 100, 30)).isTrue();
        assertThat(a.rateLimits().tryAcquire(key, 100, 30)).isTrue();
        assertThat(b.rateLimits().tryAcquire(key, 100, 30)).isFalse();
        assertThat(a.rateLimits().tryAcquire(key, 100, 10)).isTrue();
        assertThat(b.rateLimits().tryAcquire(key, 100, 1)).isFalse();
        assertThat(a.rateLimits().tryAcquire(unique("other"), 100, 101)).isFalse();
        assertThat(Long.parseLong(bulk(redis.command("GET", RedisRateLimits.USED_PREFIX + key)))).isEqualTo(100);
    }

    @Test
    void permitsComeBackAsTheWindowSlides() {
        // A window long enough that the first three calls fall in it even on a slow machine.
        SharedState a = replica(redis.url(), Duration.ofSeconds(1));
        SharedState b = replica(redis.url(), Duration.ofSeconds(1));
        String key = unique("slide") + "#rpm";
        assertThat(a.rateLimits().tryAcquire(key, 2, 1)).isTrue();
        assertThat(b.rateLimits().tryAcquire(key, 2, 1)).isTrue();
        assertThat(a.rateLimits().tryAcquire(key, 2, 1)).isFalse();

        await("a permit coming back", DEADLINE, () -> b.rateLimits().tryAcquire(key, 2, 2));
        assertThat(a.rateLimits().tryAcquire(key, 2, 1)).isFalse();
    }

    @Test
    void spendAddsUpAcrossReplicas() {
        SharedState a = replica(redis.url());
        SharedState b = replica(redis.url());
        String scope = unique("provider");

        assertThat(a.spend().add(scope, "2026-11-26", 0.5)).isCloseTo(0.5, within(1e-9));
        assertThat(b.spend().add(scope, "2026-11-26", 0.25)).isCloseTo(0.75, within(1e-9));
        assertThat(a.spend().spent(scope, "2026-11-26")).isCloseTo(0.75, within(1e-9));
        assertThat(b.spend().spent(scope, "2026-11")).isZero();
        assertThat(Double.parseDouble(bulk(redis.command("GET", "switchboard:spend:" + scope + ":2026-11-26"))))
                .isCloseTo(0.75, within(1e-9));
    }

    record FreeFilter(boolean showFreeOnly, Double maxPricePerToken) {}

    @Test
    void settingsAreSharedAcrossReplicas() {
        SharedState a = replica(redis.url());
        SharedState b = replica(redis.url());
        String key = unique("openrouter_filter");

        assertThat(b.settings().get(key, FreeFilter.class)).isEmpty();
        a.settings().put(key, new FreeFilter(true, 0.000002));
        assertThat(b.settings().get(key, FreeFilter.class)).contains(new FreeFilter(true, 0.000002));
        assertThat(bulk(redis.command("HGET", RedisSettingsStore.HASH, key))).contains("\"show_free_only\":true");

        b.settings().put(key, new FreeFilter(false, null));
        assertThat(a.settings().get(key, FreeFilter.class)).contains(new FreeFilter(false, null));
    }

    @Test
    void statusShowsTheAddressWithoutItsPassword() {
        RedisServer own = ownServer(false);
        own.command("CONFIG", "SET", "requirepass", "s3cret-pw");
        String host = "127.0.0.1:" + own.port();

        MonitoringConfig good = config("redis://:s3cret-pw@" + host);
        SharedState ok = productionReplica(good);
        Map<String, Object> status = ok.status();
        assertThat(status).containsEntry("kind", "redis").containsEntry("url", good.redisUrlForDisplay())
                .containsEntry("reachable", true).containsEntry("url", "redis://" + host);
        assertThat(status.toString()).doesNotContain("s3cret");

        SharedState refused = productionReplica(config("redis://someone:wrong-s3cret@" + host));
        assertThat(refused.status()).containsEntry("reachable", false).containsEntry("url", "redis://" + host);
        assertThat(refused.status().get("last_error")).isNotNull();
        assertThat(refused.status().toString()).doesNotContain("s3cret");
        try (var store = new RedisMetricsStoreFactory().open(config("redis://someone:wrong-s3cret@" + host),
                Path.of("unused"), Map.of())) {
            var rec = MetricRecord.feedback(Instant.now(), "r1", "m", "p", "p", "chat", 1.0, 1.0);
            assertThatThrownBy(() -> store.write(List.of(rec))).hasMessageNotContaining("s3cret");
            assertThatThrownBy(() -> store.scan(null, Instant.EPOCH, r -> {})).hasMessageNotContaining("s3cret");
        }

        own.kill();
        await("the loss of Redis showing", DEADLINE, () -> Boolean.FALSE.equals(ok.status().get("reachable")));
        assertThat(ok.status().toString()).doesNotContain("s3cret");
    }

    @Test
    void anUnusableUrlIsAConfigurationErrorThatQuotesNoPassword() {
        for (String url : List.of("http://user:hunter2@127.0.0.1:6379", "redis://user:hunter2@127.0.0.1:notaport")) {
            assertThatThrownBy(() -> productionReplica(url)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("monitoring.redis_url").hasMessageNotContaining("hunter2").hasNoCause();
            assertThatThrownBy(() -> new RedisMetricsStoreFactory().open(config(url), Path.of("unused"), Map.of()))
                    .isInstanceOf(ConfigException.class).hasMessageNotContaining("hunter2");
        }
    }

    @Test
    void everythingKeepsWorkingWhileRedisIsDownAndCatchesUpAfter() {
        RedisServer own = ownServer(true);
        SharedState a = replica(own.url());
        SharedState b = replica(own.url());
        String scope = unique("budget");
        String spendKey = "switchboard:spend:" + scope + ":2026-11";
        String cooled = unique("openrouter");
        String limited = unique("ollama") + "#rpm";
        String setting = unique("filter");
        a.spend().add(scope, "2026-11", 1.0);
        a.settings().put(setting, new FreeFilter(false, 1.0));
        own.kill();

        long start = System.nanoTime();
        int admitted = 0;
        for (int i = 0; i < 6; i++) {
            admitted += a.rateLimits().tryAcquire(limited, 5, 1) ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(5);
        Instant until = Instant.now().plusSeconds(30);
        assertThat(a.routing().extendCooldown(cooled, until)).isEqualTo(until);
        assertThat(a.routing().cooldownUntil(cooled)).contains(until);
        assertThat(a.routing().recordFailure(cooled, Instant.now(), Duration.ofMinutes(1))).isEqualTo(1);
        for (int i = 0; i < 4; i++) {
            a.spend().add(scope, "2026-11", 0.5);
        }
        assertThat(a.spend().spent(scope, "2026-11")).isCloseTo(3.0, within(1e-9));
        assertThat(b.spend().add(scope, "2026-11", 0.25)).isCloseTo(0.25, within(1e-9));
        a.settings().put(setting, new FreeFilter(true, null));
        assertThat(a.settings().get(setting, FreeFilter.class)).contains(new FreeFilter(true, null));
        Map<String, Object> down = a.status();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("twenty shared-state calls with Redis down took %.1f ms%n", took.toNanos() / 1e6);
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(down).containsEntry("reachable", false).containsEntry("pending_spend_increments", 4)
                .containsEntry("pending_cooldown_changes", 1).containsEntry("pending_settings", 1);
        own.restart();
        await("the replicas replaying what they kept", Duration.ofSeconds(20),
                () -> a.status().get("pending_spend_increments").equals(0)
                        && b.status().get("pending_spend_increments").equals(0)
                        && a.status().get("pending_cooldown_changes").equals(0)
                        && a.status().get("pending_settings").equals(0));
        assertThat(Double.parseDouble(bulk(own.command("GET", spendKey)))).isCloseTo(3.25, within(1e-9));
        assertThat(a.spend().spent(scope, "2026-11")).isCloseTo(3.25, within(1e-9));
        assertThat(b.spend().spent(scope, "2026-11")).isCloseTo(3.25, within(1e-9));
        assertThat(integer(own.command("EXISTS", RedisRoutingState.COOLDOWN_PREFIX + cooled))).isEqualTo(1);
        await("the replayed cooldown reaching B", DEADLINE, () -> b.routing().cooldownUntil(cooled).isPresent());
        assertThat(b.settings().get(setting, FreeFilter.class)).contains(new FreeFilter(true, null));

        // Both subscriptions are back: a new cooldown travels again.
        String next = unique("anthropic");
        await("B's subscription coming back", DEADLINE, () -> "live".equals(b.status().get("cooldown_updates")));
        a.routing().extendCooldown(next, Instant.now().plusSeconds(30));
        await("a cooldown after the restart reaching B", DEADLINE,
                () -> b.routing().cooldownUntil(next).isPresent());
    }

    @Test
    void opensWhileRedisIsDownAndJoinsWhenItIsUp() {
        RedisServer own = ownServer(false);
        own.kill();
        long start = System.nanoTime();
        SharedState a = productionReplica(own.url());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(a.status()).containsEntry("reachable", false);
        String d = unique("openrouter");
        a.routing().extendCooldown(d, Instant.now().plusSeconds(30));
        assertThat(a.rateLimits().tryAcquire(unique("k"), 1, 1)).isTrue();

        own.restart();
        await("A connecting", Duration.ofSeconds(20), () -> Boolean.TRUE.equals(a.status().get("reachable"))
                && "live".equals(a.status().get("cooldown_updates"))
                && a.status().get("pending_cooldown_changes").equals(0));
        SharedState b = replica(own.url());
        assertThat(b.routing().cooldownUntil(d)).isPresent();
        String next = unique("ollama");
        a.routing().extendCooldown(next, Instant.now().plusSeconds(30));
        await("a cooldown reaching B", DEADLINE, () -> b.routing().cooldownUntil(next).isPresent());
    }
}
