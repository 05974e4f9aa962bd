package dev.switchboard.redis;

import static dev.switchboard.redis.RedisTesting.await;
import static dev.switchboard.redis.RedisTesting.config;
import static dev.switchboard.redis.RedisTesting.integer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.state.ExpiringState;
import dev.switchboard.state.SharedState;
import dev.switchboard.state.StateUnavailableException;
import dev.switchboard.testkit.RedisServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link ExpiringStateContract} against a real redis-server, and what only Redis does: it removes values itself
 * at the instant given (checked with {@code PEXPIRETIME} rather than by waiting), keeps its keys apart from the
 * seed's, and fails closed while it is down.
 */
@Timeout(60)
class RedisExpiringStateTest extends ExpiringStateContract {
    private static RedisServer redis;
    private static SharedState shared;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        // A second per command: on a loaded machine the production 250 ms could make a contract check see an outage.
        shared = new RedisSharedState(config(redis.url()), RedisRateLimits.WINDOW, Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        shared.close();
        redis.close();
    }

    @Override
    protected ExpiringState state() {
        return shared.expiring();
    }

    @Override
    protected Instant now() {
        return Instant.now();
    }

    @Override
    protected void advance(Duration d) {
        Assumptions.abort("Redis keeps its own time; the expiry it was given is checked with PEXPIRETIME instead");
    }

    @Test
    void redisRemovesValuesAndListsAtTheInstantGiven() {
        Instant at = Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS);
        String k = key("session");
        state().put(k, "v", at);
        assertThat(integer(redis.command("PEXPIRETIME", RedisExpiringState.valueKey(k)))).isEqualTo(at.toEpochMilli());
        state().put(k, "v2", at.plusSeconds(1));
        assertThat(integer(redis.command("PEXPIRETIME", RedisExpiringState.valueKey(k))))
                .as("a replaced value takes the new expiry").isEqualTo(at.plusSeconds(1).toEpochMilli());

        String list = key("events");
        state().append(list, "e1", 10, at);
        assertThat(integer(redis.command("PEXPIRETIME", RedisExpiringState.listKey(list)))).isEqualTo(at.toEpochMilli());
        Instant later = at.plus(Duration.ofDays(30));
        state().append(list, "e2", 10, later);
        assertThat(integer(redis.command("PEXPIRETIME", RedisExpiringState.listKey(list)))).isEqualTo(later.toEpochMilli());
        assertThat(integer(redis.command("LLEN", RedisExpiringState.listKey(list)))).isEqualTo(2);
    }

    @Test
    void theSeedsMetricsKeysAreNeverTouched() {
        String seedKey = "metrics:" + UUID.randomUUID();
        redis.command("RPUSH", seedKey, "seed-entry");

        state().append(seedKey, "event", 10, Instant.now().plusSeconds(600));
        state().put(seedKey, "value", Instant.now().plusSeconds(600));
        state().delete(seedKey);

        assertThat(redis.command("TYPE", seedKey)).startsWith("+list");
        assertThat(integer(redis.command("LLEN", seedKey))).isEqualTo(1);
        assertThat(integer(redis.command("LLEN", RedisExpiringState.LIST_PREFIX + seedKey))).isEqualTo(1);
    }

    @Test
    void whileRedisIsDownEveryCallFailsAndWorksAgainOnceItIsBack() {
        try (RedisServer own = RedisServer.start(true)) {
            SharedState replica = new RedisSharedStateFactory().open(config(own.url()), Map.of());
            try {
                ExpiringState s = replica.expiring();
                String k = key("session");
                s.put(k, "sealed", Instant.now().plusSeconds(600));

                own.kill();
                for (Consumer<ExpiringState> call : everyCall(k)) {
                    assertThatThrownBy(() -> call.accept(s)).isInstanceOf(StateUnavailableException.class)
                            .hasMessageContaining("unavailable");
                }

                own.restart();
                await("Redis answering again", Duration.ofSeconds(20), () -> answers(s, k));
                assertThat(s.get(k)).as("what Redis kept through the restart").contains("sealed");
            } finally {
                replica.close();
            }
        }
    }

    @Test
    void theUrlsPasswordNeverReachesTheMessage() throws IOException {
        String url = "redis://:s3cret-pw@127.0.0.1:" + portNobodyListensOn();
        SharedState replica = new RedisSharedStateFactory().open(config(url), Map.of());
        try {
            for (Consumer<ExpiringState> call : everyCall(key("k"))) {
                assertThatThrownBy(() -> call.accept(replica.expiring())).isInstanceOf(StateUnavailableException.class)
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-pw"));
            }
        } finally {
            replica.close();
        }
    }

    private static List<Consumer<ExpiringState>> everyCall(String k) {
        return List.of(
                s -> s.put(k, "v", Instant.now().plusSeconds(60)),
                s -> s.get(k),
                s -> s.take(k),
                s -> s.delete(k),
                s -> s.append(k, "e", 10, Instant.now().plusSeconds(60)),
                s -> s.recent(k, 10));
    }

    private static int portNobodyListensOn() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean answers(ExpiringState s, String k) {
        try {
            s.get(k);
            return true;
        } catch (StateUnavailableException e) {
            return false;
        }
    }
}
