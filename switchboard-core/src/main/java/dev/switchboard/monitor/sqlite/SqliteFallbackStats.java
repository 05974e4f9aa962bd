package dev.switchboard.monitor.sqlite;

import dev.switchboard.state.FallbackStatsStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failure counts and cooldowns per deployment in {@code deployment_stats}, written behind: the fallback statistics
 * and the cooldowns in force survive a restart.
 */
public final class SqliteFallbackStats implements FallbackStatsStore {
    private final SqliteDatabase db;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    /** What is waiting to be written for one deployment; cooldown is Optional.empty() when lifted. */
    private record Pending(Snapshot failures, Optional<Instant> cooldown, boolean remove) {
        Pending merge(Pending newer) {
            if (newer.remove) {
                return newer;
            }
            return new Pending(newer.failures != null ? newer.failures : (remove ? null : failures),
                    newer.cooldown != null ? newer.cooldown : (remove ? null : cooldown), false);
        }
    }

    public SqliteFallbackStats(SqliteDatabase db) {
        this.db = db;
        db.defer(this::flush);
    }

    @Override
    public Map<String, Snapshot> load() {
        try {
            return db.read(c -> {
                Map<String, Snapshot> out = new LinkedHashMap<>();
                try (var s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT deployment, failures, last_failure, last_failure_kind, last_error, cooldown_until FROM deployment_stats")) {
                    while (rs.next()) {
                        long lf = rs.getLong(3);
                        Instant lastFailure = rs.wasNull() ? null : Instant.ofEpochMilli(lf);
                        long cu = rs.getLong(6);
                        Instant cooldown = rs.wasNull() ? null : Instant.ofEpochMilli(cu);
                        out.put(rs.getString(1), new Snapshot(rs.getLong(2), lastFailure, rs.getString(4), rs.getString(5), cooldown));
                    }
                }
                return out;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read fallback statistics from " + db.file() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void saveFailures(String deployment, Snapshot snapshot) {
        pending.merge(deployment, new Pending(snapshot, null, false), Pending::merge);
    }

    @Override
    public void saveCooldown(String deployment, Instant until) {
        pending.merge(deployment, new Pending(null, Optional.ofNullable(until), false), Pending::merge);
    }

    @Override
    public void remove(String deployment) {
        pending.put(deployment, new Pending(null, null, true));
    }

    private Runnable flush(Connection c) throws SQLException {
        if (pending.isEmpty()) {
            return () -> { };
        }
        List<Map.Entry<String, Pending>> written = new ArrayList<>(pending.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList());
        try (PreparedStatement upsertFailures = c.prepareStatement("INSERT INTO deployment_stats "
                + "(deployment, failures, last_failure, last_failure_kind, last_error) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT(deployment) DO UPDATE SET failures = excluded.failures, last_failure = excluded.last_failure, "
                + "last_failure_kind = excluded.last_failure_kind, last_error = excluded.last_error");
             PreparedStatement upsertCooldown = c.prepareStatement("INSERT INTO deployment_stats (deployment, cooldown_until) "
                + "VALUES (?, ?) ON CONFLICT(deployment) DO UPDATE SET cooldown_until = excluded.cooldown_until");
             PreparedStatement delete = c.prepareStatement("DELETE FROM deployment_stats WHERE deployment = ?")) {
            for (Map.Entry<String, Pending> e : written) {
                Pending p = e.getValue();
                if (p.remove()) {
                    delete.setString(1, e.getKey());
                    delete.executeUpdate();
                    continue;
                }
                if (p.failures() != null) {
                    Snapshot s = p.failures();
                    upsertFailures.setString(1, e.getKey());
                    upsertFailures.setLong(2, s.failures());
                    if (s.lastFailure() == null) {
                        upsertFailures.setNull(3, Types.INTEGER);
                    } else {
                        upsertFailures.setLong(3, s.lastFailure().toEpochMilli());
                    }
                    upsertFailures.setString(4, s.lastFailureKind());
                    upsertFailures.setString(5, s.lastError());
                    upsertFailures.executeUpdate();
                }
                if (p.cooldown() != null) {
                    upsertCooldown.setString(1, e.getKey());
                    if (p.cooldown().isEmpty()) {
                        upsertCooldown.setNull(2, Types.INTEGER);
                    } else {
                        upsertCooldown.setLong(2, p.cooldown().get().toEpochMilli());
                    }
                    upsertCooldown.executeUpdate();
                }
            }
        }
        // Forget only entries that were not replaced while being written (records compare by value; identity here).
        return () -> written.forEach(e -> pending.computeIfPresent(e.getKey(), (k, now) -> now == e.getValue() ? null : now));
    }
}
