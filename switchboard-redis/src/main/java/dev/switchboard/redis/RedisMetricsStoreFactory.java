package dev.switchboard.redis;

import dev.switchboard.config.MonitoringConfig;
import dev.switchboard.monitor.MetricsStore;
import dev.switchboard.monitor.MetricsStoreFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code monitoring.stores: [redis]} at {@code monitoring.redis_url}. Opens without connecting: a Redis that is down
 * at start makes writes fail, and the monitor keeps the records and retries, until it is back.
 */
public final class RedisMetricsStoreFactory implements MetricsStoreFactory {
    // The store is written from a background thread, so it can wait longer than a request would; short enough that
    // a Redis that hangs is noticed and the batch retried rather than the writer stuck.
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public MetricsStore open(MonitoringConfig config, Path dataDir, Map<String, String> env) {
        RedisLink link = RedisLink.open(config, COMMAND_TIMEOUT, CONNECT_TIMEOUT, () -> {},
                "metrics wait in the monitor's buffer until it answers again");
        return new RedisMetricsStore(link, config.maxMetricsPerModel(), Duration.ofDays(config.retentionDays()));
    }
}
