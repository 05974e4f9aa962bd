package dev.switchboard.state;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ExpiringState} for one process (tests, and an embedding application that keeps no state). */
public final class InMemoryExpiringState implements ExpiringState {
    private record Entry(String value, Instant expiresAt) {}

    private record Capped(Deque<String> values, Instant expiresAt) {}

    private final Map<String, Entry> values = new ConcurrentHashMap<>();
    private final Map<String, Capped> lists = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryExpiringState(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void put(String key, String value, Instant expiresAt) {
        values.put(key, new Entry(value, expiresAt));
    }

    @Override
    public Optional<String> get(String key) {
        Entry e = values.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (!e.expiresAt().isAfter(clock.instant())) {
            values.remove(key, e);
            return Optional.empty();
        }
        return Optional.of(e.value());
    }

    @Override
    public Optional<String> take(String key) {
        Entry e = values.remove(key);
        return e == null || !e.expiresAt().isAfter(clock.instant()) ? Optional.empty() : Optional.of(e.value());
    }

    @Override
    public void delete(String key) {
        values.remove(key);
    }

    @Override
    public void append(String list, String value, int max, Instant expiresAt) {
        lists.compute(list, (k, old) -> {
            Deque<String> d = old == null || !old.expiresAt().isAfter(clock.instant()) ? new ArrayDeque<>() : old.values();
            d.addFirst(value);
            while (d.size() > max) {
                d.removeLast();
            }
            return new Capped(d, expiresAt);
        });
    }

    @Override
    public List<String> recent(String list, int limit) {
        List<String> out = new ArrayList<>();
        lists.computeIfPresent(list, (k, c) -> {
            if (!c.expiresAt().isAfter(clock.instant())) {
                return null;
            }
            for (String v : c.values()) {
                if (out.size() >= limit) {
                    break;
                }
                out.add(v);
            }
            return c;
        });
        return out;
    }
}
