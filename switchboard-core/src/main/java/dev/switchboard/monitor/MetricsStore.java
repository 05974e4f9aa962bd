package dev.switchboard.monitor;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where metric records end up: SQLite (the default), Redis, Neo4j. The monitor calls {@link #write} from one
 * background thread per store, with batches taken from that store's buffer; a store never sees a request thread.
 */
public interface MetricsStore extends AutoCloseable {
    /** {@code sqlite}, {@code redis} or {@code neo4j}: the name used in configuration, status and metrics. */
    String name();

    /**
     * Writes the batch, all of it or none of it (one transaction, one pipeline). Throws when the store cannot take
     * it (down, unreachable); the monitor keeps the batch and tries again, so a write must be safe to repeat after
     * a failure.
     */
    void write(List<MetricRecord> batch) throws Exception;

    /**
     * Hands every record of {@code modelId} (every model when null) with a timestamp at or after {@code since} to
     * {@code sink}, in no particular order. Streams: the caller aggregates, nothing is collected here.
     */
    void scan(String modelId, Instant since, Consumer<MetricRecord> sink) throws Exception;

    /** Deletes records older than {@code before} (the retention). Stores that expire entries themselves may ignore it. */
    default void prune(Instant before) throws Exception {
    }

    /**
     * True when calls run in native code (JNI), which pins a virtual thread to its carrier; the monitor gives
     * such a store a platform thread so a slow disk never holds up one of the few carriers that serve requests.
     */
    default boolean blocksInNativeCode() {
        return false;
    }

    @Override
    void close();
}
