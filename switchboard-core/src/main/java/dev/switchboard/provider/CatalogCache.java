package dev.switchboard.provider;

import dev.switchboard.model.ModelInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider's catalog, cached for the configured TTL. Once stale, the old list keeps being served while one
 * background refresh runs; a failed refresh keeps the last good catalog and is reported through
 * {@link #lastError}. Before the first success, failures are remembered briefly so a dead upstream is not asked
 * on every request. Reading costs a volatile read and a clock read: this sits on every request's path.
 */
public final class CatalogCache {
    private static final Logger log = LoggerFactory.getLogger(CatalogCache.class);
    private static final Duration FAILURE_MEMORY = Duration.ofSeconds(5);

    private final long ttlNanos;
    private final Supplier<List<ModelInfo>> loader;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final Object firstLoad = new Object();
    private volatile Loaded current;
    private volatile String lastError;
    private volatile RuntimeException lastFailure;
    private volatile long lastFailureAt;

    private record Loaded(List<ModelInfo> models, long loadedAt, Instant loadedAtWall) {}

    public CatalogCache(Duration ttl, Supplier<List<ModelInfo>> loader) {
        this.ttlNanos = ttl.toNanos();
        this.loader = loader;
    }

    /** The catalog; throws the load failure when no catalog has ever been loaded. */
    public List<ModelInfo> get() {
        Loaded c = current;
        if (c != null) {
            if (System.nanoTime() - c.loadedAt > ttlNanos) {
                refreshInBackground();
            }
            return c.models;
        }
        synchronized (firstLoad) {
            c = current;
            if (c != null) {
                return c.models;
            }
            RuntimeException recent = lastFailure;
            if (recent != null && System.nanoTime() - lastFailureAt < FAILURE_MEMORY.toNanos()) {
                throw recent;
            }
            return load().models;
        }
    }

    /** The catalog if one was loaded, without triggering a load. */
    public Optional<List<ModelInfo>> peek() {
        Loaded c = current;
        return c == null ? Optional.empty() : Optional.of(c.models);
    }

    /** Loads now; on failure the old list stays and the failure is thrown. */
    public void refreshNow() {
        load();
    }

    private void refreshInBackground() {
        if (refreshing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("catalog-refresh").start(() -> {
                try {
                    load();
                } catch (RuntimeException e) {
                    log.warn("catalog refresh failed, still serving the previous list: {}", e.getMessage());
                } finally {
                    refreshing.set(false);
                }
            });
        }
    }

    private Loaded load() {
        try {
            Loaded loaded = new Loaded(List.copyOf(loader.get()), System.nanoTime(), Instant.now());
            current = loaded;
            lastError = null;
            lastFailure = null;
            return loaded;
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            lastFailure = e;
            lastFailureAt = System.nanoTime();
            throw e;
        }
    }

    public Instant lastRefresh() {
        Loaded c = current;
        return c == null ? null : c.loadedAtWall;
    }

    public String lastError() {
        return lastError;
    }
}
