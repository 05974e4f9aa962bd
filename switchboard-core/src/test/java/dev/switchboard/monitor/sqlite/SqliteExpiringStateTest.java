package dev.switchboard.monitor.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.AdjustableClock;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the embedded database adds to the expiring-state contract (which runs against it in the Redis module's
 * tests): values and lists survive a restart, expired rows leave the file, a database from before the tables
 * existed gets them, and a one-time value is taken once however many threads race for it.
 */
class SqliteExpiringStateTest {
    private static final Duration HOUR = Duration.ofHours(1);
    @TempDir
    Path dataDir;
    private final AdjustableClock clock = new AdjustableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final List<SqliteDatabase> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(SqliteDatabase::close);
    }

    private SqliteDatabase open() {
        SqliteDatabase db = SqliteDatabase.open(dataDir);
        opened.add(db);
        return db;
    }

    @Test
    void valuesAndListsSurviveReopeningTheDatabase() {
        SqliteDatabase first = open();
        SqliteExpiringState before = new SqliteExpiringState(first, clock);
        before.put("session:abc", "sealed-key", clock.instant().plus(HOUR));
        before.put("oauth:xyz", "verifier", clock.instant().plus(HOUR));
        for (int i = 1; i <= 3; i++) {
            before.append("analytics:filter-usage", "e" + i, 10, clock.instant().plus(HOUR));
        }
        first.close();

        SqliteExpiringState after = new SqliteExpiringState(open(), clock);
        assertThat(after.get("session:abc")).contains("sealed-key");
        assertThat(after.take("oauth:xyz")).contains("verifier");
        assertThat(after.take("oauth:xyz")).isEmpty();
        assertThat(after.recent("analytics:filter-usage", 10)).containsExactly("e3", "e2", "e1");
        clock.advance(HOUR);
        assertThat(after.get("session:abc")).as("expiry survives too").isEmpty();
    }

    @Test
    void expiredRowsLeaveTheFile() throws Exception {
        SqliteDatabase db = open();
        SqliteExpiringState state = new SqliteExpiringState(db, clock);
        for (int i = 0; i < 10; i++) {
            state.put("gone-" + i, "v", clock.instant().plus(Duration.ofMinutes(5)));
            state.append("old-list", "e" + i, 100, clock.instant().plus(Duration.ofMinutes(5)));
        }
        state.put("kept", "v", clock.instant().plus(HOUR));
        assertThat(rows(db, "expiring")).isEqualTo(11);

        clock.advance(Duration.ofMinutes(10));
        state.put("new", "v", clock.instant().plus(HOUR)); // a write past the sweep interval sweeps

        assertThat(rows(db, "expiring")).isEqualTo(2);
        assertThat(rows(db, "event_log")).isZero();
        assertThat(rows(db, "event_lists")).isZero();
        assertThat(state.get("kept")).contains("v");
    }

    @Test
    void aSweepIsBoundedAndTheNextOneFinishes() throws Exception {
        SqliteDatabase db = open();
        SqliteExpiringState state = new SqliteExpiringState(db, clock);
        int total = SqliteExpiringState.SWEEP_LIMIT + 200;
        db.transaction(c -> {
            try (var ps = c.prepareStatement("INSERT INTO expiring (key, value, expires_at) VALUES (?, 'v', ?)")) {
                for (int i = 0; i < total; i++) {
                    ps.setString(1, "k" + i);
                    ps.setLong(2, clock.millis() - 1);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });

        assertThat(state.sweep()).isEqualTo(SqliteExpiringState.SWEEP_LIMIT);
        assertThat(rows(db, "expiring")).isEqualTo(200);
        assertThat(state.sweep()).isEqualTo(200);
        assertThat(rows(db, "expiring")).isZero();
    }

    @Test
    void aDatabaseFromBeforeTheTablesExistedGetsThem() throws Exception {
        SqliteDatabase old = open();
        old.transaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE expiring");
                s.execute("DROP TABLE event_log");
                s.execute("DROP TABLE event_lists");
                s.execute("PRAGMA user_version=1");
            }
            return null;
        });
        old.close();

        SqliteExpiringState state = new SqliteExpiringState(open(), clock);
        state.put("k", "v", clock.instant().plus(HOUR));
        state.append("l", "e", 10, clock.instant().plus(HOUR));
        assertThat(state.get("k")).contains("v");
        assertThat(state.recent("l", 10)).containsExactly("e");
    }

    @Test
    void ofManyThreadsTakingOneValueExactlyOneGetsIt() throws Exception {
        SqliteExpiringState state = new SqliteExpiringState(open(), clock);
        int rounds = 50;
        int takers = 8;
        for (int round = 0; round < rounds; round++) {
            state.put("state-" + round, "v" + round, clock.instant().plus(HOUR));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> wins = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(takers)) {
            for (int t = 0; t < takers; t++) {
                wins.add(pool.submit(() -> {
                    go.await();
                    int won = 0;
                    for (int round = 0; round < rounds; round++) {
                        won += state.take("state-" + round).isPresent() ? 1 : 0;
                    }
                    return won;
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> f : wins) {
                total += f.get();
            }
            assertThat(total).isEqualTo(rounds);
        }
    }

    private static long rows(SqliteDatabase db, String table) throws Exception {
        return db.read(c -> {
            try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
