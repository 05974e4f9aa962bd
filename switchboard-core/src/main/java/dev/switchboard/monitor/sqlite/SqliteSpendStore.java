package dev.switchboard.monitor.sqlite;

import dev.switchboard.state.SpendStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spend totals held in memory (a request reads and adds to them without touching the disk) and written behind to
 * the {@code spend} table, so budgets and the spend report survive a restart.
 */
public final class SqliteSpendStore implements SpendStore {
    private final Map<String, Double> totals = new ConcurrentHashMap<>();
    private final Map<String, Long> dirty = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    public SqliteSpendStore(SqliteDatabase db) {
        try {
            db.read(c -> {
                try (var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT scope, period, usd FROM spend")) {
                    while (rs.next()) {
                        totals.put(key(rs.getString(1), rs.getString(2)), rs.getDouble(3));
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read spend totals from " + db.file() + ": " + e.getMessage(), e);
        }
        db.defer(this::flush);
    }

    private static String key(String scope, String period) {
        return scope + '\u0000' + period;
    }

    @Override
    public double add(String scope, String period, double usd) {
        String k = key(scope, period);
        double total = totals.merge(k, usd, Double::sum);
        dirty.put(k, versions.incrementAndGet());
        return total;
    }

    @Override
    public double spent(String scope, String period) {
        return totals.getOrDefault(key(scope, period), 0.0);
    }

    private Runnable flush(java.sql.Connection c) throws SQLException {
        if (dirty.isEmpty()) {
            return () -> { };
        }
        List<Map.Entry<String, Long>> written = new ArrayList<>(dirty.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList());
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO spend (scope, period, usd) VALUES (?, ?, ?) ON CONFLICT(scope, period) DO UPDATE SET usd = excluded.usd")) {
            for (Map.Entry<String, Long> e : written) {
                int sep = e.getKey().indexOf('\u0000');
                ps.setString(1, e.getKey().substring(0, sep));
                ps.setString(2, e.getKey().substring(sep + 1));
                ps.setDouble(3, totals.get(e.getKey()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        // Forget only what did not change again while it was being written.
        return () -> written.forEach(e -> dirty.remove(e.getKey(), e.getValue()));
    }
}
