package dev.switchboard.monitor.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.state.ExpiringState;
import dev.switchboard.state.InMemoryExpiringState;
import dev.switchboard.testkit.AdjustableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The embedded database answers every sequence of calls as the one-process state does: same values, same takes,
 * same lists newest first, as time moves on. The in-memory state is small enough to read as the specification.
 */
class SqliteExpiringStateProperties {
    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static Path dir;
    private static SqliteDatabase db;

    /** One call, with times as seconds from the clock's now so generated sequences stay meaningful. */
    sealed interface Op {}

    record Put(String key, String value, int ttlSeconds) implements Op {}

    record Get(String key) implements Op {}

    record Take(String key) implements Op {}

    record Delete(String key) implements Op {}

    record Append(String list, String value, int max, int ttlSeconds) implements Op {}

    record Recent(String list, int limit) implements Op {}

    record Advance(int seconds) implements Op {}

    @BeforeContainer
    static void openDatabase() throws IOException {
        dir = Files.createTempDirectory("switchboard-expiring");
        db = SqliteDatabase.open(dir);
    }

    @AfterContainer
    static void removeDatabase() throws IOException {
        db.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Property(tries = 200)
    void answersEveryCallAsTheInMemoryStateDoes(@ForAll("sequences") List<Op> ops) {
        // One database for every try; each try's names are its own.
        String ns = UUID.randomUUID() + "/";
        AdjustableClock modelClock = new AdjustableClock(START);
        AdjustableClock clock = new AdjustableClock(START);
        ExpiringState model = new InMemoryExpiringState(modelClock);
        ExpiringState sqlite = new SqliteExpiringState(db, clock);
        for (Op op : ops) {
            if (op instanceof Advance a) {
                modelClock.advance(Duration.ofSeconds(a.seconds()));
                clock.advance(Duration.ofSeconds(a.seconds()));
                continue;
            }
            assertThat(apply(sqlite, op, ns, clock.instant())).as(op.toString())
                    .isEqualTo(apply(model, op, ns, modelClock.instant()));
        }
    }

    @Property(tries = 300)
    void anyKeyAndValueComeBackExactlyOnceFromTake(@ForAll("text") String name, @ForAll("text") String value) {
        String key = UUID.randomUUID() + name;
        ExpiringState state = new SqliteExpiringState(db, new AdjustableClock(START));
        state.put(key, value, START.plusSeconds(60));
        assertThat(state.get(key)).contains(value);
        assertThat(state.take(key)).contains(value);
        assertThat(state.take(key)).isEmpty();
        state.append(key, value, 1, START.plusSeconds(60));
        assertThat(state.recent(key, 1)).containsExactly(value);
    }

    private static Object apply(ExpiringState s, Op op, String ns, Instant now) {
        return switch (op) {
            case Put p -> {
                s.put(ns + p.key(), p.value(), now.plusSeconds(p.ttlSeconds()));
                yield "ok";
            }
            case Get g -> s.get(ns + g.key());
            case Take t -> s.take(ns + t.key());
            case Delete d -> {
                s.delete(ns + d.key());
                yield "ok";
            }
            case Append a -> {
                s.append(ns + a.list(), a.value(), a.max(), now.plusSeconds(a.ttlSeconds()));
                yield "ok";
            }
            case Recent r -> s.recent(ns + r.list(), r.limit());
            case Advance a -> throw new IllegalArgumentException("moved by the caller");
        };
    }

    @Provide
    Arbitrary<List<Op>> sequences() {
        // Few names, so calls meet the same key; lifetimes around the clock's steps, so things expire mid-sequence.
        Arbitrary<String> names = Arbitraries.of("a", "b:c", "ü 1");
        Arbitrary<String> values = Arbitraries.strings().alpha().ofMaxLength(4);
        Arbitrary<Integer> ttl = Arbitraries.integers().between(-5, 120);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Combinators.combine(names, values, ttl).as(Put::new)),
                net.jqwik.api.Tuple.of(3, names.map(Get::new)),
                net.jqwik.api.Tuple.of(2, names.map(Take::new)),
                net.jqwik.api.Tuple.of(1, names.map(Delete::new)),
                net.jqwik.api.Tuple.of(4, Combinators.combine(names, values, Arbitraries.integers().between(1, 4), ttl).as(Append::new)),
                net.jqwik.api.Tuple.of(3, Combinators.combine(names, Arbitraries.integers().between(0, 6)).as(Recent::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 90).map(Advance::new)));
        return op.list().ofMaxSize(40);
    }

    /** Any text without lone surrogates (which no UTF-8 store keeps), NUL and control characters included. */
    @Provide
    Arbitrary<String> text() {
        var bmp = Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFD');
        return Combinators.combine(bmp.ofMaxLength(40), Arbitraries.of("", "😀", " 🚀:"), bmp.ofMaxLength(5))
                .as((a, b, c) -> a + b + c);
    }
}
