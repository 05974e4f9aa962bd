package dev.switchboard.monitor.sqlite;

import dev.switchboard.state.ExpiringState;
import dev.switchboard.state.StateUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ExpiringState} in the embedded database: values in {@code expiring}, events in {@code event_log} with each
 * list's expiry in {@code event_lists}. Written through, not behind: a session or a one-time state must be there
 * for the next request, and {@code take} must be one step.
 *
 * <p>An expired row reads as absent at once. It is removed later, by a sweep that a write runs at most once a
 * {@linkplain #SWEEP_EVERY minute}, bounded to {@value #SWEEP_LIMIT} values and as many events so a backlog never
 * holds up one request. Expired rows therefore do not pile up: new ones reuse their space, and the file grows only
 * with what is live (sessions, and at most the capped events of each list).
 */
public final class SqliteExpiringState implements ExpiringState {
    static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
    static final int SWEEP_LIMIT = 1000;

    private final SqliteDatabase db;
    private final Clock clock;
    private volatile Instant lastSweep = Instant.EPOCH;

    public SqliteExpiringState(SqliteDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void put(String key, String value, Instant expiresAt) {
        write("save an expiring value", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO expiring (key, value, expires_at) VALUES (?, ?, ?) "
                    + "ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at")) {
                ps.setString(1, key);
                ps.setString(2, value);
                ps.setLong(3, expiresAt.toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(read("read an expiring value", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM expiring WHERE key = ? AND expires_at > ?")) {
                ps.setString(1, key);
                ps.setLong(2, now());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        }));
    }

    /** One statement on the one write connection: of two callers racing for the same key, one gets the value. */
    @Override
    public Optional<String> take(String key) {
        return Optional.ofNullable(write("take an expiring value", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM expiring WHERE key = ? RETURNING value, expires_at")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    // An expired value is removed all the same, and reads as absent.
                    return rs.next() && rs.getLong(2) > now() ? rs.getString(1) : null;
                }
            }
        }));
    }

    @Override
    public void delete(String key) {
        write("delete an expiring value", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM expiring WHERE key = ?")) {
                ps.setString(1, key);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void append(String list, String value, int max, Instant expiresAt) {
        long now = now();
        write("append to event list " + list, c -> {
            // A list that expired starts again empty, whether or not the sweep has removed its events yet.
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM event_log WHERE list = ? "
                    + "AND EXISTS (SELECT 1 FROM event_lists WHERE list = ? AND expires_at <= ?)")) {
                ps.setString(1, list);
                ps.setString(2, list);
                ps.setLong(3, now);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO event_log (list, at, value) VALUES (?, ?, ?)")) {
                ps.setString(1, list);
                ps.setLong(2, now);
                ps.setString(3, value);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO event_lists (list, expires_at) VALUES (?, ?) "
                    + "ON CONFLICT(list) DO UPDATE SET expires_at = excluded.expires_at")) {
                ps.setString(1, list);
                ps.setLong(2, expiresAt.toEpochMilli());
                ps.executeUpdate();
            }
            // Ids grow with each insert, so the newest max are the highest ids; drop the rest through the index.
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM event_log WHERE list = ? AND id <= "
                    + "(SELECT id FROM event_log WHERE list = ? ORDER BY id DESC LIMIT 1 OFFSET ?)")) {
                ps.setString(1, list);
                ps.setString(2, list);
                ps.setInt(3, Math.max(0, max));
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<String> recent(String list, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return read("read event list " + list, c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT e.value FROM event_log e WHERE e.list = ? "
                    + "AND EXISTS (SELECT 1 FROM event_lists l WHERE l.list = ? AND l.expires_at > ?) ORDER BY e.id DESC LIMIT ?")) {
                ps.setString(1, list);
                ps.setString(2, list);
                ps.setLong(3, now());
                ps.setInt(4, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /** Removes expired rows now, up to {@value #SWEEP_LIMIT} of each kind; returns how many went. */
    int sweep() {
        try {
            return db.transaction(c -> sweep(c, now()));
        } catch (SQLException e) {
            throw unavailable("remove expired values", e);
        }
    }

    private int sweep(Connection c, long now) throws SQLException {
        int removed;
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM expiring WHERE key IN (SELECT key FROM expiring WHERE expires_at <= ? LIMIT ?)")) {
            ps.setLong(1, now);
            ps.setInt(2, SWEEP_LIMIT);
            removed = ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM event_log WHERE id IN (SELECT e.id FROM event_log e "
                + "JOIN event_lists l ON l.list = e.list WHERE l.expires_at <= ? LIMIT ?)")) {
            ps.setLong(1, now);
            ps.setInt(2, SWEEP_LIMIT);
            removed += ps.executeUpdate();
        }
        // A list's row goes with its last event, so a list whose events are not all removed yet is found again.
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM event_lists WHERE expires_at <= ? "
                + "AND NOT EXISTS (SELECT 1 FROM event_log e WHERE e.list = event_lists.list)")) {
            ps.setLong(1, now);
            removed += ps.executeUpdate();
        }
        return removed;
    }

    private long now() {
        return clock.millis();
    }

    /** Runs {@code work} in one transaction, with a sweep first when one is due. */
    private <T> T write(String what, SqliteDatabase.Work<T> work) {
        Instant now = clock.instant();
        boolean sweepDue = !now.isBefore(lastSweep.plus(SWEEP_EVERY));
        if (sweepDue) {
            lastSweep = now;
        }
        try {
            return db.transaction(c -> {
                if (sweepDue) {
                    sweep(c, now.toEpochMilli());
                }
                return work.run(c);
            });
        } catch (SQLException e) {
            throw unavailable(what, e);
        }
    }

    private <T> T read(String what, SqliteDatabase.Work<T> work) {
        try {
            return db.read(work);
        } catch (SQLException e) {
            throw unavailable(what, e);
        }
    }

    // Keys are left out of the message: a key may be a session id, and the message reaches the log.
    private StateUnavailableException unavailable(String what, SQLException e) {
        return new StateUnavailableException("cannot " + what + " in " + db.file() + ": " + e.getMessage(), e);
    }
}
