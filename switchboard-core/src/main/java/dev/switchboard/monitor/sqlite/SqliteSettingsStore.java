package dev.switchboard.monitor.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.json.Json;
import dev.switchboard.state.SettingsStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settings as JSON rows of {@code settings}. A key not found here is looked for in {@code legacy} (the JSON files
 * an earlier version kept under {@code settings/}) and moved over, so an upgrade keeps what the user had set.
 */
public final class SqliteSettingsStore implements SettingsStore {
    private static final Logger log = LoggerFactory.getLogger(SqliteSettingsStore.class);

    private final SqliteDatabase db;
    private final SettingsStore legacy;

    public SqliteSettingsStore(SqliteDatabase db, SettingsStore legacy) {
        this.db = db;
        this.legacy = legacy;
    }

    @Override
    public <T> Optional<T> get(String key, Class<T> type) {
        String json;
        try {
            json = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT value FROM settings WHERE key = ?")) {
                    ps.setString(1, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getString(1) : null;
                    }
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read setting '" + key + "' from " + db.file() + ": " + e.getMessage(), e);
        }
        if (json == null) {
            Optional<T> old = legacy == null ? Optional.empty() : legacy.get(key, type);
            old.ifPresent(v -> {
                put(key, v);
                log.info("moved setting '{}' from the settings directory into {}", key, db.file());
            });
            return old;
        }
        try {
            return Optional.ofNullable(Json.mapper().readValue(json, type));
        } catch (JsonProcessingException e) {
            log.warn("ignoring unreadable setting '{}': {}", key, e.getOriginalMessage());
            return Optional.empty();
        }
    }

    @Override
    public void put(String key, Object value) {
        String json = Json.string(value);
        try {
            db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
                        + "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")) {
                    ps.setString(1, key);
                    ps.setString(2, json);
                    ps.setLong(3, System.currentTimeMillis());
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot save setting '" + key + "' to " + db.file() + ": " + e.getMessage(), e);
        }
    }
}
