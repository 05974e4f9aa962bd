package dev.switchboard.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the router remembers about deployments between requests: cooldowns and recent failures. Kept behind this
 * interface so several replicas can share it (the monitoring issue adds a Redis implementation).
 */
public interface RoutingState {
    Optional<Instant> cooldownUntil(String deployment);

    /** Cools a deployment down until {@code until}, or longer if it already is: a cooldown is never shortened. */
    Instant extendCooldown(String deployment, Instant until);

    /** Records a failure at {@code at}; returns how many failures fall within {@code window} before it. */
    int recordFailure(String deployment, Instant at, Duration window);

    /** Forgets a deployment's failures and cooldown. */
    void reset(String deployment);

    /** Cooldowns that have not ended at {@code now}. */
    Map<String, Instant> activeCooldowns(Instant now);

    /**
     * True when other replicas see this state: the router then also publishes a deployment whose circuit breaker
     * opened here as a cooldown, so the other replicas stop sending to it too.
     */
    default boolean shared() {
        return false;
    }
}
