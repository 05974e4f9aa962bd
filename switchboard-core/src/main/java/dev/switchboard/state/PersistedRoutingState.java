package dev.switchboard.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A process-local {@link RoutingState} whose cooldowns outlive a restart: a deployment that was cooling down when
 * the service stopped is still skipped until its cooldown ends, instead of taking the first requests again.
 */
public final class PersistedRoutingState implements RoutingState {
    private final RoutingState delegate;
    private final FallbackStatsStore store;

    public PersistedRoutingState(RoutingState delegate, FallbackStatsStore store, Instant now) {
        this.delegate = delegate;
        this.store = store;
        store.load().forEach((k, s) -> {
            if (s.cooldownUntil() != null && s.cooldownUntil().isAfter(now)) {
                delegate.extendCooldown(k, s.cooldownUntil());
            }
        });
    }

    @Override
    public Optional<Instant> cooldownUntil(String deployment) {
        return delegate.cooldownUntil(deployment);
    }

    @Override
    public Instant extendCooldown(String deployment, Instant until) {
        Instant effective = delegate.extendCooldown(deployment, until);
        store.saveCooldown(deployment, effective);
        return effective;
    }

    @Override
    public int recordFailure(String deployment, Instant at, Duration window) {
        return delegate.recordFailure(deployment, at, window);
    }

    @Override
    public void reset(String deployment) {
        delegate.reset(deployment);
        store.saveCooldown(deployment, null);
    }

    @Override
    public Map<String, Instant> activeCooldowns(Instant now) {
        return delegate.activeCooldowns(now);
    }

    @Override
    public boolean shared() {
        return delegate.shared();
    }
}
