package dev.switchboard.neo4j;

import dev.switchboard.config.MonitoringConfig;
import dev.switchboard.config.MonitoringConfig.Neo4jConfig;
import dev.switchboard.monitor.MetricsStore;
import dev.switchboard.monitor.MetricsStoreFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code monitoring.stores: [neo4j]}: the Bolt URI, user, password and database come from {@code monitoring.neo4j}. */
public final class Neo4jMetricsStoreFactory implements MetricsStoreFactory {
    private static final Logger log = LoggerFactory.getLogger(Neo4jMetricsStoreFactory.class);
    private static final Set<String> SCHEMES = Set.of("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc");

    // The monitor keeps a failed batch and tries again itself, so the driver's own retries only need to ride out a
    // deadlock, a leader switch or a stale pooled connection, not hold the writer thread for the default 30 s. With
    // Neo4j down a write then fails within about 3 s (a closed port) or one connection timeout (a silent host), so
    // the monitor's shutdown grace of 5 s is not spent waiting on it.
    static final Duration RETRY_TIME = Duration.ofSeconds(3);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    @Override
    public String kind() {
        return "neo4j";
    }

    /**
     * A bad URI throws here. Then one attempt at the schema (constraints, index): a Neo4j that is down at start costs
     * the open about {@link #CONNECT_TIMEOUT} at most and makes the writes fail until it is back, never the open.
     */
    @Override
    public MetricsStore open(MonitoringConfig config, Path dataDir, Map<String, String> env) {
        return openStore(config.neo4j(), RETRY_TIME, CONNECT_TIMEOUT);
    }

    static Neo4jMetricsStore openStore(Neo4jConfig neo4j, Duration retryTime, Duration connectTimeout) {
        Driver driver = driver(neo4j, retryTime, connectTimeout);
        log.info("neo4j metrics store: {} as {}, database {}", display(boltUri(neo4j.uri())),
                neo4j.password() == null ? "nobody (no password set)" : neo4j.user(),
                neo4j.database() == null || neo4j.database().isBlank() ? "(server default)" : neo4j.database());
        Neo4jMetricsStore store = new Neo4jMetricsStore(driver, neo4j.database());
        store.prepareSchema();
        return store;
    }

    /** Connects lazily: creating the driver opens no connection. */
    static Driver driver(Neo4jConfig neo4j, Duration retryTime, Duration connectTimeout) {
        URI uri = boltUri(neo4j.uri());
        AuthToken auth = neo4j.password() == null
                ? AuthTokens.none()
                : AuthTokens.basic(neo4j.user(), neo4j.password().reveal());
        Config config = Config.builder()
                .withLogging(quietRetries(Logging.slf4j()))
                .withMaxTransactionRetryTime(retryTime.toMillis(), TimeUnit.MILLISECONDS)
                // Bounds the TCP connect and the TLS and Bolt handshakes, so a host that drops packets or a port
                // that accepts but never answers fails a write instead of holding the writer thread.
                .withConnectionTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
        try {
            return GraphDatabase.driver(uri, auth, config);
        } catch (IllegalArgumentException e) {
            // The driver's message may quote the whole URI; ours does not.
            throw new IllegalArgumentException("monitoring.neo4j.uri " + display(uri) + " is not usable: "
                    + e.getClass().getSimpleName());
        }
    }

    /**
     * A configuration error names only the URI's scheme, host and port and carries no cause, so a password someone
     * put into the URI never reaches a log.
     */
    static URI boltUri(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("monitoring.neo4j.uri is not a valid URI: " + e.getReason());
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme) || parsed.getHost() == null) {
            throw new IllegalArgumentException("monitoring.neo4j.uri " + display(parsed)
                    + " must be bolt://host[:port] or neo4j://host[:port] (optionally +s or +ssc)");
        }
        // The driver ignores credentials in the URI, and a URI is what ends up in logs and status pages.
        if (parsed.getRawUserInfo() != null) {
            throw new IllegalArgumentException("monitoring.neo4j.uri " + display(parsed)
                    + " must not hold credentials: set monitoring.neo4j.user and monitoring.neo4j.password");
        }
        return parsed;
    }

    /**
     * The driver's logging, except that its retry logic warns at DEBUG: while Neo4j is down every write would add a
     * warning with a stack trace per retry, and the monitor already reports the outage once, and its end.
     */
    static Logging quietRetries(Logging logging) {
        return name -> {
            org.neo4j.driver.Logger log = logging.getLog(name);
            return name.contains(".retry.") ? new WarningsAtDebug(log) : log;
        };
    }

    private record WarningsAtDebug(org.neo4j.driver.Logger log) implements org.neo4j.driver.Logger {
        @Override
        public void error(String message, Throwable cause) {
            log.error(message, cause);
        }

        @Override
        public void info(String format, Object... params) {
            log.info(format, params);
        }

        @Override
        public void warn(String format, Object... params) {
            log.debug(format, params);
        }

        @Override
        public void warn(String message, Throwable cause) {
            log.debug(message, cause);
        }

        @Override
        public void debug(String format, Object... params) {
            log.debug(format, params);
        }

        @Override
        public void debug(String message, Throwable cause) {
            log.debug(message, cause);
        }

        @Override
        public void trace(String format, Object... params) {
            log.trace(format, params);
        }

        @Override
        public boolean isTraceEnabled() {
            return log.isTraceEnabled();
        }

        @Override
        public boolean isDebugEnabled() {
            return log.isDebugEnabled();
        }
    }

    // Scheme, host and port only: whatever else the URI holds (user info, a query) stays out of messages.
    static String display(URI uri) {
        if (uri.getHost() == null) {
            return "'" + uri.getScheme() + ":...' (no host)";
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
