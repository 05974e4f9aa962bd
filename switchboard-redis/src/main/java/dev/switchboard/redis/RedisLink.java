package dev.switchboard.redis;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.MonitoringConfig;
import dev.switchboard.state.StateUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lettuce client and its command connection, set up so that a Redis that is down costs the caller little:
 * while disconnected, commands are rejected at once instead of queued; a command that gets no answer times out
 * after {@code commandTimeout}; and Lettuce reconnects by itself, retrying at least every 2 s so a Redis that
 * comes back is used again within seconds. The last error is kept for status with the URL's credentials removed.
 *
 * <p>The connection is opened on first use, not here, so a Redis that is down at start does not stop Switchboard
 * from starting.
 */
final class RedisLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
    private static final Duration MIN_RECONNECT_DELAY = Duration.ofMillis(50);
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(2);
    // After a timeout the request path leaves Redis alone for a moment, so a Redis that hangs (rather than refusing
    // connections) costs one timeout per second instead of one per request.
    private static final long QUIET_AFTER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final String MASK = "[redacted]";

    private final ClientResources resources;
    private final RedisClient client;
    private final String display;
    private final String url;
    private final List<String> credentials;
    private final Runnable onRecovered;
    private final String whileDown;

    private volatile StatefulRedisConnection<String, String> connection;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile boolean failing;
    private volatile boolean quiet;
    private volatile long quietUntil;
    private volatile boolean closed;

    private RedisLink(RedisURI uri, String url, String display, List<String> credentials, Duration connectTimeout,
                      Runnable onRecovered, String whileDown) {
        this.url = url;
        this.display = display;
        this.credentials = credentials;
        this.onRecovered = onRecovered;
        this.whileDown = whileDown;
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(MIN_RECONNECT_DELAY, MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                // A command caught in flight by a disconnect fails instead of being sent again after the reconnect:
                // its caller has already fallen back (and will replay it), so a resend would apply it twice.
                .replayFilter(command -> true)
                .timeoutOptions(TimeoutOptions.enabled(uri.getTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
                .build());
    }

    /**
     * A link to {@code monitoring.redis_url}. A URL that cannot be used is a configuration error, reported without
     * the URL's credentials and without the parser's own message, which may quote them.
     *
     * @param onRecovered runs (on the caller's thread, so it must not block) when a call succeeds after a failure
     * @param whileDown   what the owner does while Redis is unavailable, for the log line that reports it
     */
    static RedisLink open(MonitoringConfig config, Duration commandTimeout, Duration connectTimeout,
                          Runnable onRecovered, String whileDown) {
        String url = config.redisUrl().reveal();
        List<String> credentials = credentialsIn(url);
        String display = masked(config.redisUrlForDisplay(), credentials);
        RedisURI uri;
        try {
            uri = RedisURI.create(url);
        } catch (RuntimeException e) {
            uri = null;
        }
        if (uri == null || !hasHostWhereNeeded(url)) {
            throw new ConfigException("monitoring.redis_url " + display + " is not a usable Redis URL; expected "
                    + "redis://[user:password@]host[:port][/db] or rediss://...");
        }
        uri.setTimeout(commandTimeout);
        return new RedisLink(uri, url, display, credentials, connectTimeout, onRecovered, whileDown);
    }

    /** Lettuce reads {@code host:notaport} as a host name; a plain redis URL must have a host and a numeric port. */
    private static boolean hasHostWhereNeeded(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return !(scheme.equals("redis") || scheme.equals("rediss")) || u.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * The user info of {@code url} and its password, longest first. Read by hand rather than with
     * {@link URI#getUserInfo()}, which gives nothing when the rest of the authority does not parse (a port that is
     * not a number), though the password is still there.
     */
    static List<String> credentialsIn(String url) {
        int scheme = url.indexOf("://");
        String rest = scheme < 0 ? url : url.substring(scheme + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        int at = authority.lastIndexOf('@');
        if (at <= 0) {
            return List.of();
        }
        String info = authority.substring(0, at);
        String password = info.substring(info.indexOf(':') + 1); // redis://password@host has no user
        return password.isEmpty() || password.equals(info) ? List.of(info) : List.of(info, password);
    }

    private static String masked(String text, List<String> credentials) {
        String out = text;
        for (String c : credentials) {
            out = out.replace(c, MASK);
        }
        return out;
    }

    RedisClient client() {
        return client;
    }

    ClientResources resources() {
        return resources;
    }

    /** The URL without credentials, for logs and status. */
    String display() {
        return display;
    }

    /** The command connection, opening it first if there is none yet; throws when Redis cannot be reached. */
    StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> c = connection;
        return c != null ? c : connect();
    }

    private synchronized StatefulRedisConnection<String, String> connect() {
        if (connection == null) {
            if (closed) {
                throw new RedisException("the Redis link is closed");
            }
            try {
                connection = client.connect();
                log.info("connected to Redis at {}", display);
            } catch (RuntimeException e) {
                throw failed(e);
            }
        }
        return connection;
    }

    /** Whether the command connection is established (Lettuce is not between a drop and a reconnect). */
    boolean connected() {
        StatefulRedisConnection<String, String> c = connection;
        return c != null && c.isOpen();
    }

    /**
     * Runs {@code op} on Redis for a request, or answers from {@code fallback} without waiting when Redis is not
     * connected, has just timed out, or fails now. Never throws for Redis being unavailable.
     */
    <T> T attempt(Function<RedisCommands<String, String>, T> op, Supplier<T> fallback) {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null || !c.isOpen()) {
            if (!failing) {
                failed(new RedisConnectionException("not connected to Redis at " + display));
            }
            return fallback.get();
        }
        if (quiet && System.nanoTime() - quietUntil < 0) {
            return fallback.get();
        }
        T result;
        try {
            result = op.apply(c.sync());
        } catch (RuntimeException e) {
            failed(e);
            return fallback.get();
        }
        succeeded();
        return result;
    }

    /**
     * Runs {@code op} on Redis, or throws {@link StateUnavailableException} without waiting when Redis is not
     * connected, has just timed out, or fails now: for state that must not be answered from this replica's own view.
     *
     * @param what what was being done, for the message ("take an expiring value")
     */
    <T> T require(Function<RedisCommands<String, String>, T> op, String what) {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null || !c.isOpen()) {
            if (!failing) {
                failed(new RedisConnectionException("not connected to Redis at " + display));
            }
            throw unavailable(what, null);
        }
        if (quiet && System.nanoTime() - quietUntil < 0) {
            throw unavailable(what, null);
        }
        T result;
        try {
            result = op.apply(c.sync());
        } catch (RuntimeException e) {
            throw unavailable(what, failed(e));
        }
        succeeded();
        return result;
    }

    private StateUnavailableException unavailable(String what, RuntimeException cause) {
        return new StateUnavailableException("cannot " + what + ": Redis at " + display + " is unavailable"
                + (lastError == null ? "" : " (" + lastError + ")"), cause);
    }

    /** Notes that Redis answered; after a failure, says so and runs the recovery hook. */
    void succeeded() {
        quiet = false;
        if (failing) {
            failing = false;
            log.info("Redis at {} answers again", display);
            onRecovered.run();
        }
    }

    /**
     * Records a failure for status and returns an exception that is safe to log: the same one unless its message
     * quotes a credential.
     */
    RuntimeException failed(RuntimeException e) {
        String message = scrub(e.getMessage());
        lastError = e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        lastErrorAt = Instant.now();
        if (e instanceof RedisCommandTimeoutException) {
            quietUntil = System.nanoTime() + QUIET_AFTER_TIMEOUT_NANOS;
            quiet = true;
        }
        if (!failing && !closed) {
            failing = true;
            log.warn("Redis at {} failed ({}); {}", display, lastError, whileDown);
        }
        return message == null || message.equals(e.getMessage()) ? e : new RedisException(message);
    }

    String lastError() {
        return lastError;
    }

    Instant lastErrorAt() {
        return lastErrorAt;
    }

    String scrub(String text) {
        if (text == null) {
            return null;
        }
        return masked(text.replace(url, display), credentials);
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (connection != null) {
                connection.close();
            }
        }
        client.shutdown(Duration.ofMillis(50), Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
