package dev.switchboard.redis;

import dev.switchboard.state.SpendStore;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spend shared by every replica: one float counter per scope and period, {@code switchboard:spend:<scope>:<period>},
 * added to with {@code INCRBYFLOAT}.
 *
 * <p>Money must not go missing because Redis was down: an increment that cannot be sent is kept here and replayed
 * when Redis answers again, and until then this replica counts it on top of the last total it read. An increment
 * whose reply timed out is treated as not applied and replayed, so an outage can count a cost twice but never not
 * at all; for a budget, over-counting is the safe side.
 */
final class RedisSpendStore implements SpendStore {
    static final String PREFIX = "switchboard:spend:";

    private final RedisLink link;
    private final Map<String, Double> lastRead = new ConcurrentHashMap<>();
    private final Map<String, Unsent> unsent = new ConcurrentHashMap<>();

    private record Unsent(double usd, int increments) {
        Unsent plus(Unsent other) {
            return new Unsent(usd + other.usd, increments + other.increments);
        }

        /** What is left once {@code sent} has reached Redis; null when nothing is. */
        Unsent minus(Unsent sent) {
            return increments == sent.increments ? null : new Unsent(usd - sent.usd, increments - sent.increments);
        }
    }

    RedisSpendStore(RedisLink link) {
        this.link = link;
    }

    @Override
    public double add(String scope, String period, double usd) {
        String key = key(scope, period);
        Double total = link.attempt(redis -> redis.incrbyfloat(key, usd), () -> null);
        if (total == null) {
            unsent.merge(key, new Unsent(usd, 1), Unsent::plus);
            return lastRead.getOrDefault(key, 0.0) + unsentUsd(key);
        }
        lastRead.put(key, total);
        return total + unsentUsd(key);
    }

    @Override
    public double spent(String scope, String period) {
        String key = key(scope, period);
        Double total = link.attempt(redis -> {
            String v = redis.get(key);
            double d = v == null ? 0 : Double.parseDouble(v);
            lastRead.put(key, d);
            return d;
        }, () -> lastRead.getOrDefault(key, 0.0));
        return total + unsentUsd(key);
    }

    /** Increments still waiting for Redis. */
    int unsentIncrements() {
        return unsent.values().stream().mapToInt(Unsent::increments).sum();
    }

    /**
     * Sends what was kept while Redis was unavailable; throws (keeping the rest) when it fails again. An amount
     * leaves the local count only after Redis has it, so for a moment it may be counted twice, never not at all.
     */
    void replay(RedisCommands<String, String> redis) {
        for (Map.Entry<String, Unsent> e : unsent.entrySet()) {
            Unsent sending = e.getValue();
            lastRead.put(e.getKey(), redis.incrbyfloat(e.getKey(), sending.usd()));
            unsent.computeIfPresent(e.getKey(), (k, now) -> now.minus(sending));
        }
    }

    private double unsentUsd(String key) {
        Unsent u = unsent.get(key);
        return u == null ? 0 : u.usd();
    }

    static String key(String scope, String period) {
        return PREFIX + scope + ":" + period;
    }
}
