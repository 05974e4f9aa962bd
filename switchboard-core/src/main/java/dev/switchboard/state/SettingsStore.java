package dev.switchboard.state;

import java.util.Optional;

/**
 * Small settings that must survive a restart (the OpenRouter free-model filter, for one), stored as JSON by
 * key. The file store is the default; the monitoring issue adds SQLite and Redis behind the same interface.
 */
public interface SettingsStore {
    <T> Optional<T> get(String key, Class<T> type);

    void put(String key, Object value);
}
