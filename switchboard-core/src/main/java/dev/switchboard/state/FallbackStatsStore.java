package dev.switchboard.state;

import java.time.Instant;
import java.util.Map;

/**
 * Keeps the fallback statistics (failure counts, last failure) and cooldowns across restarts. The SQLite store is
 * the default; {@link #NONE} keeps nothing. Saves may be written behind: they must not block a request.
 */
public interface FallbackStatsStore {
    FallbackStatsStore NONE = new FallbackStatsStore() {
        @Override
        public Map<String, Snapshot> load() {
            return Map.of();
        }

        @Override
        public void saveFailures(String deployment, Snapshot snapshot) {
        }

        @Override
        public void saveCooldown(String deployment, Instant until) {
        }

        @Override
        public void remove(String deployment) {
        }
    };

    /** What a deployment's record held at the last save. {@code cooldownUntil} is null when it was not cooling. */
    record Snapshot(long failures, Instant lastFailure, String lastFailureKind, String lastError, Instant cooldownUntil) {}

    Map<String, Snapshot> load();

    void saveFailures(String deployment, Snapshot snapshot);

    /** Records a deployment's cooldown end, or null when it was lifted. */
    void saveCooldown(String deployment, Instant until);

    void remove(String deployment);
}
