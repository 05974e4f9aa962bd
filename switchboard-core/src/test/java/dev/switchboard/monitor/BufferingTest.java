package dev.switchboard.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.MonitoringConfig;
import dev.switchboard.config.SelectionStrategyConfig;
import dev.switchboard.monitor.sqlite.SqliteDatabase;
import dev.switchboard.monitor.sqlite.SqliteMetricsStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The buffer between the request path and a store: a store that is down keeps records waiting and gets all of
 * them when it returns; a full buffer drops the oldest, and every drop is counted in status and in Micrometer.
 * The store is the real SQLite one behind a switch that makes its writes fail, as a disk or server outage would.
 */
class BufferingTest {
    @TempDir
    Path dir;

    /** SQLite, unless switched off: then every write and read fails the way an unreachable store does. */
    static final class Outage implements MetricsStore {
        final MetricsStore inner;
        final AtomicBoolean down = new AtomicBoolean();

        Outage(MetricsStore inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public void write(List<MetricRecord> batch) throws Exception {
            if (down.get()) {
                throw new java.io.IOException("store unreachable");
            }
            inner.write(batch);
        }

        @Override
        public void scan(String modelId, Instant since, Consumer<MetricRecord> sink) throws Exception {
            if (down.get()) {
                throw new java.io.IOException("store unreachable");
            }
            inner.scan(modelId, since, sink);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    static MetricRecord attempt(int i) {
        return new MetricRecord(MetricRecord.ATTEMPT, Instant.now(), "req-" + i, "m", "p", "openai", "general_chat",
                "success", 10.0 + i, null, null, 1, 1, 2, 0.0, null, null, false, null, null, null);
    }

    PerformanceMonitor monitor(MetricsStore store, int buffer, SimpleMeterRegistry registry) {
        MonitoringConfig cfg = new MonitoringConfig(List.of("sqlite"), dir.toString(), 30, buffer, null, 1000, null, 60, 50);
        PerformanceMonitor m = new PerformanceMonitor(cfg, SelectionStrategyConfig.defaults(), List.of(store), registry,
                Clock.systemUTC());
        m.start();
        return m;
    }

    static long count(Consumer<Consumer<MetricRecord>> scan) {
        long[] n = {0};
        scan.accept(r -> n[0]++);
        return n[0];
    }

    @Test
    void whileTheStoreIsDownRecordsWaitAndAllArriveWhenItReturns() throws Exception {
        try (SqliteDatabase db = SqliteDatabase.open(dir)) {
            Outage store = new Outage(new SqliteMetricsStore(db));
            store.down.set(true);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            PerformanceMonitor monitor = monitor(store, 1000, registry);
            for (int i = 0; i < 300; i++) {
                monitor.record(attempt(i));
            }
            assertThat(monitor.flush(Duration.ofMillis(300))).isFalse();
            @SuppressWarnings("unchecked")
            Map<String, Object> st = ((List<Map<String, Object>>) monitor.status().get("stores")).getFirst();
            assertThat(st).containsEntry("state", "down").containsEntry("pending", 300).containsEntry("dropped", 0L);
            assertThat((String) st.get("last_error")).contains("store unreachable");

            store.down.set(false);
            assertThat(monitor.flush(Duration.ofSeconds(20))).isTrue();
            List<String> ids = new ArrayList<>();
            store.scan(null, Instant.EPOCH, r -> ids.add(r.requestId()));
            assertThat(ids).hasSize(300).doesNotHaveDuplicates();
            assertThat(registry.get("switchboard.metrics.delivered").tag("store", "sqlite").functionCounter().count())
                    .isEqualTo(300);
            monitor.close();
        }
    }

    @Test
    void aFullBufferDropsTheOldestAndCountsEveryDrop() throws Exception {
        try (SqliteDatabase db = SqliteDatabase.open(dir)) {
            Outage store = new Outage(new SqliteMetricsStore(db));
            store.down.set(true);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            PerformanceMonitor monitor = monitor(store, 100, registry);
            for (int i = 0; i < 250; i++) {
                monitor.record(attempt(i));
            }
            // The writer may hold one batch in hand (up to 50) besides the 100 in the buffer.
            long dropped = (Long) monitor.status().get("dropped_total");
            assertThat(dropped).isBetween(100L, 150L);
            assertThat(registry.get("switchboard.metrics.dropped").tag("store", "sqlite").functionCounter().count())
                    .isEqualTo(dropped);

            store.down.set(false);
            assertThat(monitor.flush(Duration.ofSeconds(20))).isTrue();
            List<Integer> kept = new ArrayList<>();
            store.scan(null, Instant.EPOCH, r -> kept.add(Integer.parseInt(r.requestId().substring(4))));
            assertThat((long) kept.size()).isEqualTo(250 - dropped);
            // The newest hundred always survive: drops take the oldest.
            assertThat(kept).containsAll(java.util.stream.IntStream.range(150, 250).boxed().toList());
            monitor.close();
        }
    }

    @Test
    void recordingNeverThrowsEvenAfterClose() {
        MemoryMetricsStore store = new MemoryMetricsStore(10);
        PerformanceMonitor monitor = monitor(store, 10, new SimpleMeterRegistry());
        monitor.close();
        monitor.record(attempt(1));
        assertThat(count(sink -> {
            try {
                store.scan(null, Instant.EPOCH, sink);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        })).isZero();
    }
}
