package dev.switchboard.routing;

import dev.switchboard.state.FallbackStatsStore;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live figures per deployment for load balancing and the fallback statistics: calls in flight (least_busy), a
 * smoothed latency (latency_based) and failure counts. The monitoring issue's aggregates feed the selector;
 * these are the router's own, cheap enough for every call.
 */
public final class DeploymentStats {
    private static final double ALPHA = 0.2;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final FallbackStatsStore store;

    public DeploymentStats() {
        this(FallbackStatsStore.NONE);
    }

    /** Starts from the failure counts saved before the last stop, and keeps saving them. */
    public DeploymentStats(FallbackStatsStore store) {
        this.store = store;
        store.load().forEach((k, s) -> {
            if (s.failures() > 0) {
                Entry e = of(k);
                e.failures.set(s.failures());
                e.lastFailure = s.lastFailure();
                e.lastFailureKind = s.lastFailureKind();
                e.lastError = s.lastError();
            }
        });
    }

    public static final class Entry {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicLong successes = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        volatile double ewmaLatencyMs = Double.NaN;
        volatile Instant lastFailure;
        volatile String lastFailureKind;
        volatile String lastError;

        public int inFlight() {
            return inFlight.get();
        }

        public double latencyMs() {
            return ewmaLatencyMs;
        }

        public long failures() {
            return failures.get();
        }

        public long successes() {
            return successes.get();
        }

        public Instant lastFailure() {
            return lastFailure;
        }

        public String lastFailureKind() {
            return lastFailureKind;
        }

        public String lastError() {
            return lastError;
        }
    }

    public Entry of(String deployment) {
        return entries.computeIfAbsent(deployment, k -> new Entry());
    }

    public Entry peek(String deployment) {
        return entries.get(deployment);
    }

    public void started(String deployment) {
        of(deployment).inFlight.incrementAndGet();
    }

    public void succeeded(String deployment, double latencyMs) {
        Entry e = of(deployment);
        e.inFlight.decrementAndGet();
        e.successes.incrementAndGet();
        synchronized (e) {
            e.ewmaLatencyMs = Double.isNaN(e.ewmaLatencyMs) ? latencyMs : ALPHA * latencyMs + (1 - ALPHA) * e.ewmaLatencyMs;
        }
    }

    public void failed(String deployment, String kind, String error, Instant at) {
        Entry e = of(deployment);
        e.inFlight.decrementAndGet();
        e.failures.incrementAndGet();
        e.lastFailure = at;
        e.lastFailureKind = kind;
        e.lastError = error;
        store.saveFailures(deployment, new FallbackStatsStore.Snapshot(e.failures.get(), at, kind, error, null));
    }

    /** Forgets a deployment's failures (the seed's reset_model_failures); returns whether there were any. */
    public boolean resetFailures(String deployment) {
        Entry e = entries.get(deployment);
        if (e == null || e.failures.get() == 0) {
            return false;
        }
        e.failures.set(0);
        e.lastFailure = null;
        e.lastFailureKind = null;
        e.lastError = null;
        store.saveFailures(deployment, new FallbackStatsStore.Snapshot(0, null, null, null, null));
        return true;
    }

    public Map<String, Entry> all() {
        return entries;
    }
}
