package dev.switchboard.monitor;

import dev.switchboard.config.MonitoringConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * Opens a metrics store named in {@code monitoring.stores}. Found with {@link java.util.ServiceLoader}, so the Redis
 * and Neo4j stores live in their own modules and a library user who wants neither does not carry their drivers.
 */
public interface MetricsStoreFactory {
    /** The name in {@code monitoring.stores}. */
    String kind();

    /**
     * Opens the store. Connecting may fail (the store is down at start): a store that can reconnect by itself
     * should still open and let {@link MetricsStore#write} throw until it is back; configuration errors throw here.
     */
    MetricsStore open(MonitoringConfig config, Path dataDir, Map<String, String> env);
}
