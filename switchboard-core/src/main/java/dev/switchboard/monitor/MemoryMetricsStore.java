package dev.switchboard.monitor;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The last {@code maxPerModel} records of each model, in memory: the store when {@code monitoring.stores} is empty
 * (nothing survives a restart then), and a fast one for tests.
 */
public final class MemoryMetricsStore implements MetricsStore {
    private final int maxPerModel;
    private final Map<String, Deque<MetricRecord>> byModel = new ConcurrentHashMap<>();

    public MemoryMetricsStore(int maxPerModel) {
        this.maxPerModel = maxPerModel;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public void write(List<MetricRecord> batch) {
        for (MetricRecord r : batch) {
            Deque<MetricRecord> d = byModel.computeIfAbsent(r.modelId(), k -> new ArrayDeque<>());
            synchronized (d) {
                d.addFirst(r);
                while (d.size() > maxPerModel) {
                    d.removeLast();
                }
            }
        }
    }

    @Override
    public void scan(String modelId, Instant since, Consumer<MetricRecord> sink) {
        List<Deque<MetricRecord>> lists = modelId == null ? new ArrayList<>(byModel.values())
                : byModel.containsKey(modelId) ? List.of(byModel.get(modelId)) : List.of();
        for (Deque<MetricRecord> d : lists) {
            List<MetricRecord> copy;
            synchronized (d) {
                copy = new ArrayList<>(d);
            }
            for (MetricRecord r : copy) {
                if (!r.timestamp().isBefore(since)) {
                    sink.accept(r);
                }
            }
        }
    }

    @Override
    public void close() {
    }
}
