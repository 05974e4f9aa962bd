package dev.switchboard.redis;

import dev.switchboard.monitor.sqlite.SqliteDatabase;
import dev.switchboard.monitor.sqlite.SqliteExpiringState;
import dev.switchboard.state.ExpiringState;
import dev.switchboard.testkit.AdjustableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link ExpiringStateContract} for the embedded database, a fresh one in a temporary data directory per test,
 * on a clock the test moves. What only SQLite promises (surviving a restart, removing expired rows) is tested in
 * core, beside it.
 */
class SqliteExpiringStateContractTest extends ExpiringStateContract {
    private final AdjustableClock clock = new AdjustableClock(Instant.parse("2026-11-26T10:00:00Z"));
    @TempDir
    Path dataDir;
    private SqliteDatabase db;
    private ExpiringState state;

    @BeforeEach
    void open() {
        db = SqliteDatabase.open(dataDir);
        state = new SqliteExpiringState(db, clock);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Override
    protected ExpiringState state() {
        return state;
    }

    @Override
    protected Instant now() {
        return clock.instant();
    }

    @Override
    protected void advance(Duration d) {
        clock.advance(d);
    }
}
