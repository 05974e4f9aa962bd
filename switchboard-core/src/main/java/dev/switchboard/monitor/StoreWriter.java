package dev.switchboard.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers records to one store from a bounded buffer on a background thread. Request threads only {@link #offer};
 * when the store is down the batch in hand is retried with backoff while new records wait in the buffer; when the
 * buffer is full the oldest waiting record is dropped and counted. Each store has its own writer, so one store
 * being down never holds back another.
 */
final class StoreWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);
    /**
     * How long the writer waits after the first record of a batch for more to arrive. Without it, a store gets one
     * transaction per request (one wake-up, one commit each): at a few thousand requests a second that cost more
     * CPU than the requests themselves. A flush or a close cuts it short.
     */
    static final long LINGER_NANOS = Duration.ofMillis(50).toNanos();

    private final MetricsStore store;
    private final ArrayBlockingQueue<MetricRecord> buffer;
    private final int batchSize;
    private final Duration retention;
    private final Clock clock;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger flushing = new java.util.concurrent.atomic.AtomicInteger();
    private final Thread thread;
    private final List<MetricRecord> inHand;

    private volatile boolean up = true;
    private volatile boolean closing;
    private volatile long closeDeadline;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile Instant lastDeliveryAt;
    private volatile Instant downSince;
    private volatile int inHandSize;
    private Instant lastPrune = Instant.EPOCH;

    StoreWriter(MetricsStore store, int capacity, int batchSize, Duration retention, Clock clock) {
        this.store = store;
        this.buffer = new ArrayBlockingQueue<>(capacity);
        this.batchSize = batchSize;
        this.retention = retention;
        this.clock = clock;
        this.inHand = new ArrayList<>(batchSize);
        // JNI pins a virtual thread to its carrier: a store in native code gets a platform thread of its own.
        Thread.Builder builder = store.blocksInNativeCode() ? Thread.ofPlatform().daemon() : Thread.ofVirtual();
        this.thread = builder.name("switchboard-metrics-" + store.name()).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    String name() {
        return store.name();
    }

    MetricsStore store() {
        return store;
    }

    /** Never blocks: a full buffer gives up its oldest record, which is counted as dropped. */
    void offer(MetricRecord r) {
        accepted.incrementAndGet();
        while (!buffer.offer(r)) {
            if (buffer.poll() != null) {
                dropped.incrementAndGet();
            }
        }
    }

    long dropped() {
        return dropped.get();
    }

    long delivered() {
        return delivered.get();
    }

    int pending() {
        return buffer.size() + inHandSize;
    }

    boolean up() {
        return up;
    }

    private void run() {
        long backoff = FIRST_BACKOFF_MS;
        while (true) {
            if (closing && (System.nanoTime() > closeDeadline || (inHand.isEmpty() && buffer.isEmpty()))) {
                return;
            }
            try {
                if (inHand.isEmpty()) {
                    MetricRecord first = buffer.poll(250, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        maybePrune();
                        continue;
                    }
                    inHand.add(first);
                    linger();
                    buffer.drainTo(inHand, batchSize - 1);
                    inHandSize = inHand.size();
                }
                store.write(inHand);
                delivered.addAndGet(inHand.size());
                lastDeliveryAt = clock.instant();
                inHand.clear();
                inHandSize = 0;
                backoff = FIRST_BACKOFF_MS;
                if (!up) {
                    log.info("metrics store {} is back after {}; delivering the {} buffered record(s)", store.name(),
                            Duration.between(downSince, clock.instant()), buffer.size());
                    up = true;
                }
            } catch (InterruptedException e) {
                if (!closing) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } catch (Exception | LinkageError e) {
                failedWrites.incrementAndGet();
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                lastErrorAt = clock.instant();
                if (up) {
                    up = false;
                    downSince = lastErrorAt;
                    log.warn("metrics store {} cannot take writes ({}); buffering up to {} record(s) and retrying",
                            store.name(), lastError, buffer.remainingCapacity() + buffer.size());
                }
                if (!sleep(backoff)) {
                    return;
                }
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    /** Waits up to {@link #LINGER_NANOS} for a batch to fill, unless someone waits for delivery or it is closing. */
    private void linger() {
        long until = System.nanoTime() + LINGER_NANOS;
        while (!closing && flushing.get() == 0 && buffer.size() < batchSize - 1) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(this, left);
        }
    }

    private void maybePrune() {
        Instant now = clock.instant();
        if (Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) < 0) {
            return;
        }
        lastPrune = now;
        try {
            store.prune(now.minus(retention));
        } catch (Exception e) {
            log.warn("pruning metrics store {} failed: {}", store.name(), e.getMessage());
        }
    }

    private boolean sleep(long ms) {
        try {
            Thread.sleep(closing ? Math.min(ms, 50) : ms);
            return true;
        } catch (InterruptedException e) {
            return closing;
        }
    }

    /** Waits until everything offered so far is delivered; false when {@code timeout} passed first. */
    boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        flushing.incrementAndGet();
        try {
            java.util.concurrent.locks.LockSupport.unpark(thread);
            while (pending() > 0 || accepted.get() > delivered.get() + dropped.get()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        } finally {
            flushing.decrementAndGet();
        }
    }

    Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("store", store.name());
        m.put("state", up ? "up" : "down");
        m.put("pending", pending());
        m.put("capacity", buffer.size() + buffer.remainingCapacity());
        m.put("accepted", accepted.get());
        m.put("delivered", delivered.get());
        m.put("dropped", dropped.get());
        m.put("failed_writes", failedWrites.get());
        m.put("last_delivery", lastDeliveryAt == null ? null : lastDeliveryAt.toString());
        m.put("down_since", up || downSince == null ? null : downSince.toString());
        m.put("last_error", lastError);
        m.put("last_error_at", lastErrorAt == null ? null : lastErrorAt.toString());
        return m;
    }

    /** Delivers what it can within {@code grace}, then stops; what is left is reported, not hidden. */
    void close(Duration grace) {
        closeDeadline = System.nanoTime() + grace.toNanos();
        // No interrupt: a write cut short may still have landed, and its retry would then duplicate it. The idle
        // poll wakes up within 250 ms by itself.
        closing = true;
        java.util.concurrent.locks.LockSupport.unpark(thread);
        try {
            if (!thread.join(grace.plusSeconds(1))) {
                log.warn("metrics store {} writer did not stop in time", store.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = pending();
        if (left > 0) {
            log.warn("metrics store {}: {} record(s) could not be delivered before shutdown", store.name(), left);
        }
        try {
            store.close();
        } catch (RuntimeException e) {
            log.warn("closing metrics store {} failed: {}", store.name(), e.getMessage());
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
