package dev.switchboard.monitor.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded database ({@code switchboard.db} in the data directory): metrics, spend, fallback statistics,
 * settings, and expiring values and event lists. WAL mode, one connection for writes and one for reads, so a long
 * aggregate read never waits behind a write. State that changes on every request (spend, failure counts) is written
 * behind, every 200 ms, by one platform thread: SQLite runs in native code, which would pin a virtual thread to one
 * of the few carriers.
 */
public final class SqliteDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SqliteDatabase.class);
    // 2 adds expiring values and event lists. Every table is created IF NOT EXISTS, so running the whole schema
    // again brings a version 1 database up to date.
    private static final int SCHEMA_VERSION = 3;

    /**
     * Something with changes held in memory, saved by the write-behind thread: {@code flush} writes them in the
     * open transaction and returns what to forget once it commits (nothing is forgotten if it rolls back).
     */
    interface Deferred {
        Runnable flush(Connection c) throws SQLException;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final Path file;
    private final Connection writer;
    private final Connection reader;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock readLock = new ReentrantLock();
    private final List<Deferred> deferred = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService writeBehind;
    private volatile boolean closed;

    private SqliteDatabase(Path file) throws SQLException {
        this.file = file;
        this.writer = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = writer.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            // NORMAL in WAL mode: a power cut may lose the last transactions, never corrupt the file.
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA busy_timeout=5000");
        }
        migrate();
        this.reader = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = reader.createStatement()) {
            s.execute("PRAGMA busy_timeout=5000");
        }
        this.writeBehind = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("switchboard-sqlite-write-behind").factory());
        writeBehind.scheduleWithFixedDelay(this::flushDeferred, 200, 200, TimeUnit.MILLISECONDS);
    }

    /** Opens (creating if needed) {@code switchboard.db} under {@code dataDir}. */
    public static SqliteDatabase open(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            return new SqliteDatabase(dataDir.resolve("switchboard.db"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open " + dataDir.resolve("switchboard.db") + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    private void migrate() throws SQLException {
        int version;
        try (Statement s = writer.createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > SCHEMA_VERSION) {
            throw new SQLException("the database was written by a newer Switchboard (schema " + version
                    + ", this build knows " + SCHEMA_VERSION + ")");
        }
        if (version == SCHEMA_VERSION) {
            return;
        }
        transaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("""
                        CREATE TABLE IF NOT EXISTS metrics (
                          id INTEGER PRIMARY KEY,
                          ts INTEGER NOT NULL,
                          kind TEXT NOT NULL,
                          request_id TEXT,
                          model_id TEXT NOT NULL,
                          provider TEXT,
                          provider_type TEXT,
                          task_type TEXT,
                          outcome TEXT,
                          response_time_ms REAL,
                          time_to_first_token_ms REAL,
                          tokens_per_second REAL,
                          prompt_tokens INTEGER,
                          completion_tokens INTEGER,
                          total_tokens INTEGER,
                          cost_usd REAL,
                          quality_score REAL,
                          therapeutic_safety_score REAL,
                          stream INTEGER,
                          fallback_from TEXT,
                          fallback_from_provider TEXT,
                          error TEXT,
                          user TEXT)""");
                s.execute("CREATE INDEX IF NOT EXISTS metrics_model_ts ON metrics(model_id, ts)");
                s.execute("CREATE INDEX IF NOT EXISTS metrics_ts ON metrics(ts)");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS spend (
                          scope TEXT NOT NULL,
                          period TEXT NOT NULL,
                          usd REAL NOT NULL,
                          PRIMARY KEY (scope, period))""");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS deployment_stats (
                          deployment TEXT PRIMARY KEY,
                          failures INTEGER NOT NULL DEFAULT 0,
                          last_failure INTEGER,
                          last_failure_kind TEXT,
                          last_error TEXT,
                          cooldown_until INTEGER)""");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS settings (
                          key TEXT PRIMARY KEY,
                          value TEXT NOT NULL,
                          updated_at INTEGER NOT NULL)""");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS expiring (
                          key TEXT PRIMARY KEY,
                          value TEXT NOT NULL,
                          expires_at INTEGER NOT NULL)""");
                s.execute("CREATE INDEX IF NOT EXISTS expiring_expires_at ON expiring(expires_at)");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS event_log (
                          id INTEGER PRIMARY KEY,
                          list TEXT NOT NULL,
                          at INTEGER NOT NULL,
                          value TEXT NOT NULL)""");
                s.execute("CREATE INDEX IF NOT EXISTS event_log_list_id ON event_log(list, id)");
                // A list lives until its last append's expiry: one row per list rather than a copy on every event.
                s.execute("""
                        CREATE TABLE IF NOT EXISTS event_lists (
                          list TEXT PRIMARY KEY,
                          expires_at INTEGER NOT NULL)""");
                if (!hasColumn(s, "metrics", "user")) {
                    // Schema 3: the user whose own key paid for a call (metrics made before it have none).
                    s.execute("ALTER TABLE metrics ADD COLUMN user TEXT");
                }
                s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
            }
            return null;
        });
    }

    private static boolean hasColumn(Statement s, String table, String column) throws SQLException {
        try (var rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) {
                if (column.equalsIgnoreCase(rs.getString("name"))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Runs {@code work} in one write transaction: all of it commits or none of it. */
    public <T> T transaction(Work<T> work) throws SQLException {
        writeLock.lock();
        try {
            requireOpen();
            writer.setAutoCommit(false);
            try {
                T result = work.run(writer);
                writer.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                writer.rollback();
                throw e;
            } finally {
                writer.setAutoCommit(true);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code work} on the read connection (a consistent snapshot in WAL mode). */
    public <T> T read(Work<T> work) throws SQLException {
        readLock.lock();
        try {
            requireOpen();
            return work.run(reader);
        } finally {
            readLock.unlock();
        }
    }

    void defer(Deferred d) {
        deferred.add(d);
    }

    private void flushDeferred() {
        if (deferred.isEmpty()) {
            return;
        }
        try {
            List<Runnable> committed = transaction(c -> {
                List<Runnable> after = new java.util.ArrayList<>(deferred.size());
                for (Deferred d : deferred) {
                    after.add(d.flush(c));
                }
                return after;
            });
            committed.forEach(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            log.warn("saving state to {} failed (will retry): {}", file, e.getMessage());
        }
    }

    private void requireOpen() throws SQLException {
        if (closed) {
            throw new SQLException("the database is closed");
        }
    }

    /** Saves what is still held in memory, then closes both connections. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        writeBehind.shutdown();
        try {
            writeBehind.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushDeferred();
        closed = true;
        writeLock.lock();
        readLock.lock();
        try {
            reader.close();
            writer.close();
        } catch (SQLException e) {
            log.warn("closing {} failed: {}", file, e.getMessage());
        } finally {
            readLock.unlock();
            writeLock.unlock();
        }
    }
}
