package dev.switchboard.provider;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A provider's catalog, cached for the configured TTL. A refresh happens in the background while the old list
 * keeps being served; a failed refresh keeps the last good catalog and is reported through {@link #lastError}.
 * Before the first success, failures are remembered briefly so a dead upstream is not asked on every request.
 */
public final class CatalogCache {
    private static final Duration FAILURE_MEMORY = Duration.ofSeconds(5);

    private final LoadingCache<Boolean, List<ModelInfo>> cache;
    private volatile Instant lastRefresh;
    private volatile String lastError;
    private volatile RuntimeException lastFailure;
    private volatile Instant lastFailureAt;

    public CatalogCache(Duration ttl, Supplier<List<ModelInfo>> loader) {
        this.cache = Caffeine.newBuilder()
                .refreshAfterWrite(ttl)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build(key -> {
                    try {
                        List<ModelInfo> models = List.copyOf(loader.get());
                        lastRefresh = Instant.now();
                        lastError = null;
                        lastFailure = null;
                        return models;
                    } catch (RuntimeException e) {
                        lastError = e.getMessage();
                        lastFailure = e;
                        lastFailureAt = Instant.now();
                        throw e;
                    }
                });
    }

    /** The catalog; throws the load failure when no catalog has ever been loaded. */
    public List<ModelInfo> get() {
        List<ModelInfo> present = cache.getIfPresent(Boolean.TRUE);
        if (present != null) {
            return present;
        }
        RuntimeException recent = lastFailure;
        Instant at = lastFailureAt;
        if (recent != null && at != null && Instant.now().isBefore(at.plus(FAILURE_MEMORY))) {
            throw recent;
        }
        try {
            return cache.get(Boolean.TRUE);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    /** The catalog if one was loaded, without triggering a load. */
    public Optional<List<ModelInfo>> peek() {
        return Optional.ofNullable(cache.getIfPresent(Boolean.TRUE));
    }

    /** Loads now, replacing the cached list on success; on failure the old list stays. */
    public void refreshNow() {
        try {
            cache.refresh(Boolean.TRUE).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ModelFailure mf) {
                throw mf;
            }
            throw e;
        }
    }

    public Instant lastRefresh() {
        return lastRefresh;
    }

    public String lastError() {
        return lastError;
    }
}
