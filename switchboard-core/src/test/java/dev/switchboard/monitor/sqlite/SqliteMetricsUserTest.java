package dev.switchboard.monitor.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.monitor.MetricRecord;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user whose own key paid for a call is kept with its metric, also in a database made before that column. */
class SqliteMetricsUserTest {
    static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");

    @TempDir
    Path dir;

    static MetricRecord paidBy(String user) {
        return new MetricRecord(MetricRecord.ATTEMPT, AT, "req-1", "m", "openrouter", "openrouter", "general_chat",
                "success", 120.0, null, 40.0, 10, 20, 30, 0.0001, null, null, false, null, null, null, user);
    }

    @Test
    void aUsersCallKeepsItsUserAndAnOperatorsCallHasNone() throws Exception {
        try (SqliteDatabase db = SqliteDatabase.open(dir)) {
            SqliteMetricsStore store = new SqliteMetricsStore(db);
            store.write(List.of(paidBy("user_42"), paidBy(null)));
            List<MetricRecord> read = new ArrayList<>();
            store.scan("m", AT.minusSeconds(1), read::add);
            assertThat(read).extracting(MetricRecord::user).containsExactlyInAnyOrder("user_42", null);
        }
    }

    @Test
    void aDatabaseFromBeforeTheUserColumnGetsIt() throws Exception {
        try (SqliteDatabase db = SqliteDatabase.open(dir)) {
            db.transaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("ALTER TABLE metrics DROP COLUMN user");
                    s.execute("PRAGMA user_version=2");
                }
                return null;
            });
        }
        try (SqliteDatabase db = SqliteDatabase.open(dir)) {
            SqliteMetricsStore store = new SqliteMetricsStore(db);
            store.write(List.of(paidBy("user_7")));
            List<MetricRecord> read = new ArrayList<>();
            store.scan(null, AT.minusSeconds(1), read::add);
            assertThat(read).extracting(MetricRecord::user).containsExactly("user_7");
        }
    }
}
