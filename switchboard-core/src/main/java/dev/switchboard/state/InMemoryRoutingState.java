package dev.switchboard.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** {@link RoutingState} for one process. */
public final class InMemoryRoutingState implements RoutingState {
    private final Map<String, Instant> cooldowns = new ConcurrentHashMap<>();
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    @Override
    public Optional<Instant> cooldownUntil(String deployment) {
        return Optional.ofNullable(cooldowns.get(deployment));
    }

    @Override
    public Instant extendCooldown(String deployment, Instant until) {
        return cooldowns.merge(deployment, until, (old, neu) -> neu.isAfter(old) ? neu : old);
    }

    @Override
    public int recordFailure(String deployment, Instant at, Duration window) {
        Deque<Instant> times = failures.computeIfAbsent(deployment, k -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(at);
            Instant from = at.minus(window);
            while (!times.isEmpty() && times.peekFirst().isBefore(from)) {
                times.removeFirst();
            }
            return times.size();
        }
    }

    @Override
    public void reset(String deployment) {
        cooldowns.remove(deployment);
        failures.remove(deployment);
    }

    @Override
    public Map<String, Instant> activeCooldowns(Instant now) {
        Map<String, Instant> out = new TreeMap<>();
        cooldowns.forEach((k, v) -> {
            if (v.isAfter(now)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
