package dev.switchboard.state;

import java.util.Map;

/**
 * State that replicas share ({@code shared_state: redis}): cooldowns and failure windows, rpm/tpm counters, spend,
 * small settings. Every part must keep requests flowing when the backing service is down, falling back to this
 * process's own view until it returns.
 */
public interface SharedState extends AutoCloseable {
    RoutingState routing();

    RateLimits rateLimits();

    SpendStore spend();

    SettingsStore settings();

    /** For {@code /status}: the kind, the address without credentials, whether it is reachable, the last error. */
    Map<String, Object> status();

    @Override
    void close();
}
