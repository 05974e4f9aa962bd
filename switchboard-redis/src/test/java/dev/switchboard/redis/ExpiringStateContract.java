package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.state.ExpiringState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ExpiringState} promises, run against each implementation by a subclass: the in-memory one,
 * SQLite and Redis. It lives in the Redis module's tests because that is the one module that sees all three (core
 * cannot see Redis), and sharing it through a test jar would break builds that skip tests.
 *
 * <p>Each test names its keys under a fresh prefix, so implementations that share one store between tests (one
 * Redis server per class) need no cleaning up.
 */
abstract class ExpiringStateContract {
    private static final Duration HOUR = Duration.ofHours(1);
    private final String ns = UUID.randomUUID() + "/";

    /** The state under test. */
    protected abstract ExpiringState state();

    /** Now, as the state under test tells time. */
    protected abstract Instant now();

    /** Moves the state's time on; an implementation that keeps its own time (Redis) aborts the test instead. */
    protected abstract void advance(Duration d);

    protected String key(String name) {
        return ns + name;
    }

    @Test
    void aValueReadsBackUntilItIsReplaced() {
        String k = key("session");
        state().put(k, "sealed-1", now().plus(HOUR));
        assertThat(state().get(k)).contains("sealed-1");
        assertThat(state().get(k)).as("reading does not use it up").contains("sealed-1");

        state().put(k, "sealed-2", now().plus(HOUR));
        assertThat(state().get(k)).contains("sealed-2");
        assertThat(state().get(key("never-written"))).isEmpty();
    }

    @Test
    void aValueWhoseExpiryHasPassedReadsAsAbsent() {
        String k = key("stale");
        state().put(k, "v", now().minusSeconds(1));
        assertThat(state().get(k)).isEmpty();
        assertThat(state().take(k)).isEmpty();

        String live = key("live");
        state().put(live, "v", now().plus(HOUR));
        state().put(live, "v2", now().minusMillis(1));
        assertThat(state().get(live)).as("replaced by a value that had already expired").isEmpty();
    }

    @Test
    void aValueExpiresWhenItsTimeComes() {
        String k = key("oauth-state");
        state().put(k, "verifier", now().plus(Duration.ofMinutes(10)));
        advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(state().get(k)).contains("verifier");
        advance(Duration.ofMillis(1));
        assertThat(state().get(k)).as("gone at its expiry instant").isEmpty();
        assertThat(state().take(k)).isEmpty();
    }

    @Test
    void replacingAValueReplacesItsExpiryToo() {
        String k = key("renewed");
        state().put(k, "v", now().plus(Duration.ofMinutes(1)));
        state().put(k, "v", now().plus(HOUR));
        advance(Duration.ofMinutes(2));
        assertThat(state().get(k)).contains("v");
    }

    @Test
    void aTakenValueIsGoneForEveryone() {
        String k = key("one-time");
        state().put(k, "code-verifier", now().plus(HOUR));
        assertThat(state().take(k)).contains("code-verifier");
        assertThat(state().take(k)).isEmpty();
        assertThat(state().get(k)).isEmpty();
    }

    @Test
    void ofManyTakersExactlyOneGetsTheValue() throws Exception {
        int keys = 20;
        int takers = 8;
        for (int i = 0; i < keys; i++) {
            state().put(key("race-" + i), "v" + i, now().plus(HOUR));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<String>>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(takers)) {
            for (int t = 0; t < takers; t++) {
                results.add(pool.submit(() -> {
                    go.await();
                    List<String> won = new ArrayList<>();
                    for (int i = 0; i < keys; i++) {
                        state().take(key("race-" + i)).ifPresent(won::add);
                    }
                    return won;
                }));
            }
            go.countDown();
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : results) {
                all.addAll(f.get());
            }
            assertThat(all).containsExactlyInAnyOrderElementsOf(IntStream.range(0, keys).mapToObj(i -> "v" + i).toList());
        }
    }

    @Test
    void deleteRemovesAValueAndMindsNoMissingOne() {
        String k = key("signed-out");
        state().put(k, "v", now().plus(HOUR));
        state().delete(k);
        assertThat(state().get(k)).isEmpty();
        state().delete(k);
        state().delete(key("never-written"));
    }

    @Test
    void aListKeepsTheNewestMaxNewestFirst() {
        String list = key("analytics:model-selection");
        for (int i = 1; i <= 10; i++) {
            state().append(list, "e" + i, 3, now().plus(HOUR));
        }
        assertThat(state().recent(list, 100)).containsExactly("e10", "e9", "e8");
    }

    @Test
    void recentGivesAtMostLimit() {
        String list = key("events");
        for (int i = 1; i <= 5; i++) {
            state().append(list, "e" + i, 100, now().plus(HOUR));
        }
        assertThat(state().recent(list, 2)).containsExactly("e5", "e4");
        assertThat(state().recent(list, 5)).containsExactly("e5", "e4", "e3", "e2", "e1");
        assertThat(state().recent(list, 50)).hasSize(5);
        assertThat(state().recent(list, 0)).isEmpty();
        assertThat(state().recent(key("no-such-list"), 10)).isEmpty();
    }

    @Test
    void aListWhoseExpiryHasPassedReadsAsEmpty() {
        String list = key("old-events");
        state().append(list, "e1", 10, now().minusSeconds(1));
        assertThat(state().recent(list, 10)).isEmpty();
    }

    @Test
    void aListLivesUntilItsLastAppendsExpiry() {
        String list = key("frontend-events");
        Duration month = Duration.ofDays(30);
        state().append(list, "e1", 10, now().plus(month));
        advance(Duration.ofDays(29));
        state().append(list, "e2", 10, now().plus(month));
        advance(Duration.ofDays(2));
        assertThat(state().recent(list, 10)).as("the second append moved the expiry on").containsExactly("e2", "e1");

        advance(month);
        assertThat(state().recent(list, 10)).isEmpty();
        state().append(list, "e3", 10, now().plus(month));
        assertThat(state().recent(list, 10)).as("an expired list starts again empty").containsExactly("e3");
    }

    @Test
    void oddKeysAndValuesRoundTrip() {
        List<String> odd = List.of("a:b:c", "with spaces", "tab\tand\nnewline", "ünïcödé ✓ 日本語 🚀", "quote'\"`",
                "'; DROP TABLE expiring; --", "redis.call('FLUSHALL')", "%_*?[]{}\\", "*", "");
        for (String name : odd) {
            String value = "{\"name\":\"" + name.replace("\"", "\\\"") + "\",\"emoji\":\"🚀\"}";
            state().put(key(name), value, now().plus(HOUR));
            state().append(key(name), value, 5, now().plus(HOUR));
        }
        for (String name : odd) {
            String value = "{\"name\":\"" + name.replace("\"", "\\\"") + "\",\"emoji\":\"🚀\"}";
            assertThat(state().get(key(name))).as(name).contains(value);
            assertThat(state().recent(key(name), 5)).as(name).containsExactly(value);
        }
        assertThat(state().take(key("*"))).contains("{\"name\":\"*\",\"emoji\":\"🚀\"}");
        assertThat(state().get(key("a:b:c"))).as("a pattern-like key names only itself").isPresent();
    }

    @Test
    void valuesAndListsOfTheSameNameAndDifferentListsAreApart() {
        String name = key("same");
        state().put(name, "value", now().plus(HOUR));
        state().append(name, "event", 10, now().plus(HOUR));
        state().append(key("other"), "other-event", 10, now().plus(HOUR));

        assertThat(state().get(name)).contains("value");
        assertThat(state().recent(name, 10)).containsExactly("event");
        state().delete(name);
        assertThat(state().recent(name, 10)).containsExactly("event");
        assertThat(state().recent(key("other"), 10)).containsExactly("other-event");
        assertThat(state().take(name)).isEqualTo(Optional.empty());
    }
}
