package dev.switchboard.monitor.sqlite;

import dev.switchboard.monitor.MetricRecord;
import dev.switchboard.monitor.MetricsStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** Metric records as rows of {@code metrics}, a batch per transaction; pruned by timestamp. */
public final class SqliteMetricsStore implements MetricsStore {
    private static final String COLUMNS = "ts, kind, request_id, model_id, provider, provider_type, task_type, outcome, "
            + "response_time_ms, time_to_first_token_ms, tokens_per_second, prompt_tokens, completion_tokens, "
            + "total_tokens, cost_usd, quality_score, therapeutic_safety_score, stream, fallback_from, "
            + "fallback_from_provider, error, user";
    private static final int PRUNE_CHUNK = 10_000;

    private final SqliteDatabase db;

    public SqliteMetricsStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public boolean blocksInNativeCode() {
        return true;
    }

    @Override
    public void write(List<MetricRecord> batch) throws SQLException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO metrics (" + COLUMNS
                    + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                for (MetricRecord r : batch) {
                    int i = 1;
                    ps.setLong(i++, r.timestamp().toEpochMilli());
                    ps.setString(i++, r.kind());
                    ps.setString(i++, r.requestId());
                    ps.setString(i++, r.modelId());
                    ps.setString(i++, r.provider());
                    ps.setString(i++, r.providerType());
                    ps.setString(i++, r.taskType());
                    ps.setString(i++, r.outcome());
                    real(ps, i++, r.responseTimeMs());
                    real(ps, i++, r.timeToFirstTokenMs());
                    real(ps, i++, r.tokensPerSecond());
                    integer(ps, i++, r.promptTokens());
                    integer(ps, i++, r.completionTokens());
                    integer(ps, i++, r.totalTokens());
                    real(ps, i++, r.costUsd());
                    real(ps, i++, r.qualityScore());
                    real(ps, i++, r.therapeuticSafetyScore());
                    integer(ps, i++, r.stream() == null ? null : r.stream() ? 1 : 0);
                    ps.setString(i++, r.fallbackFrom());
                    ps.setString(i++, r.fallbackFromProvider());
                    ps.setString(i++, r.error());
                    ps.setString(i, r.user());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void scan(String modelId, Instant since, Consumer<MetricRecord> sink) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM metrics WHERE ts >= ?" + (modelId == null ? "" : " AND model_id = ?");
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, since.toEpochMilli());
                if (modelId != null) {
                    ps.setString(2, modelId);
                }
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(row(rs));
                    }
                }
            }
            return null;
        });
    }

    private static MetricRecord row(ResultSet rs) throws SQLException {
        Integer stream = integer(rs, "stream");
        return new MetricRecord(rs.getString("kind"), Instant.ofEpochMilli(rs.getLong("ts")), rs.getString("request_id"),
                rs.getString("model_id"), rs.getString("provider"), rs.getString("provider_type"),
                rs.getString("task_type"), rs.getString("outcome"), real(rs, "response_time_ms"),
                real(rs, "time_to_first_token_ms"), real(rs, "tokens_per_second"), integer(rs, "prompt_tokens"),
                integer(rs, "completion_tokens"), integer(rs, "total_tokens"), real(rs, "cost_usd"),
                real(rs, "quality_score"), real(rs, "therapeutic_safety_score"), stream == null ? null : stream == 1,
                rs.getString("fallback_from"), rs.getString("fallback_from_provider"), rs.getString("error"),
                rs.getString("user"));
    }

    /** Deletes in chunks, so a big backlog never holds the write lock for long. */
    @Override
    public void prune(Instant before) throws SQLException {
        int deleted;
        do {
            deleted = db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM metrics WHERE id IN (SELECT id FROM metrics WHERE ts < ? LIMIT " + PRUNE_CHUNK + ")")) {
                    ps.setLong(1, before.toEpochMilli());
                    return ps.executeUpdate();
                }
            });
        } while (deleted == PRUNE_CHUNK);
    }

    /** Rows in the table (all kinds), for status and tests. */
    public long count() throws SQLException {
        return db.read(c -> {
            try (var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM metrics")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    @Override
    public void close() {
        // The database is shared with the state stores; its owner closes it.
    }

    private static void real(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null || v.isNaN() || v.isInfinite()) {
            ps.setNull(i, Types.REAL);
        } else {
            ps.setDouble(i, v);
        }
    }

    private static void integer(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    private static Double real(ResultSet rs, String col) throws SQLException {
        double d = rs.getDouble(col);
        return rs.wasNull() ? null : d;
    }

    private static Integer integer(ResultSet rs, String col) throws SQLException {
        int v = rs.getInt(col);
        return rs.wasNull() ? null : v;
    }
}
