package dev.switchboard.state;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;

/** {@link SpendStore} for one process. */
public final class InMemorySpendStore implements SpendStore {
    private final Map<String, DoubleAdder> totals = new ConcurrentHashMap<>();

    @Override
    public double add(String scope, String period, double usd) {
        DoubleAdder a = totals.computeIfAbsent(scope + "|" + period, k -> new DoubleAdder());
        a.add(usd);
        return a.sum();
    }

    @Override
    public double spent(String scope, String period) {
        DoubleAdder a = totals.get(scope + "|" + period);
        return a == null ? 0 : a.sum();
    }
}
