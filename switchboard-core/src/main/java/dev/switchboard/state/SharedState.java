package dev.switchboard.state;

import java.util.Map;

/**
 * State that replicas share ({@code shared_state: redis}): cooldowns and failure windows, rpm/tpm counters, spend,
 * small settings, expiring values and event lists. Every part but {@link #expiring()} must keep requests flowing
 * when the backing service is down, falling back to this process's own view until it returns.
 */
public interface SharedState extends AutoCloseable {
    RoutingState routing();

    RateLimits rateLimits();

    SpendStore spend();

    SettingsStore settings();

    /**
     * Sessions, one-time sign-in states and frontend events, seen alike by every replica. The one part that does not
     * fall back to this process's own view while the backing service is down: it throws
     * {@link StateUnavailableException}, because a session revoked elsewhere or a one-time state already used
     * elsewhere must not be honoured here.
     */
    ExpiringState expiring();

    /** For {@code /status}: the kind, the address without credentials, whether it is reachable, the last error. */
    Map<String, Object> status();

    @Override
    void close();
}
