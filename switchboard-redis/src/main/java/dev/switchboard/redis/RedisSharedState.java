package dev.switchboard.redis;

import dev.switchboard.config.MonitoringConfig;
import dev.switchboard.state.ExpiringState;
import dev.switchboard.state.RateLimits;
import dev.switchboard.state.RoutingState;
import dev.switchboard.state.SettingsStore;
import dev.switchboard.state.SharedState;
import dev.switchboard.state.SpendStore;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * {@code shared_state: redis}: cooldowns, failure windows, rpm/tpm counters, spend, settings, and expiring values and
 * event lists, shared by every replica that uses the same Redis, so a deployment cooled down by one replica is
 * skipped by all of them at once, and a limit or a budget holds for the fleet rather than per process.
 *
 * <p>These calls sit on the request path, so none may wait long on Redis: commands time out after
 * {@value #COMMAND_TIMEOUT_MS} ms, are refused at once while disconnected, and every part then answers from this
 * process's own view (see each part), except expiring values, which fail closed. What changed meanwhile is replayed
 * when Redis is back: on every reconnect, and when a request finds Redis answering again after a failure.
 *
 * <p>Two connections: one for commands and one subscribed to cooldown changes. A Redis that is down at start does
 * not stop the open; a background thread keeps trying until it connects, after which Lettuce reconnects by itself.
 */
public final class RedisSharedState implements SharedState {
    private static final Logger log = LoggerFactory.getLogger(RedisSharedState.class);
    static final long COMMAND_TIMEOUT_MS = 250;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final long FIRST_CONNECT_BACKOFF_MS = 100;
    private static final long MAX_CONNECT_BACKOFF_MS = 2_000;

    private final RedisLink link;
    private final RedisRoutingState routing;
    private final RedisRateLimits rateLimits;
    private final RedisSpendStore spend;
    private final RedisSettingsStore settings;
    private final RedisExpiringState expiring;
    private final Disposable activations;
    private final AtomicBoolean resyncWanted = new AtomicBoolean();
    private final AtomicBoolean resyncRunning = new AtomicBoolean();
    private volatile StatefulRedisPubSubConnection<String, String> subscription;
    private volatile Thread connector;

    /** As {@code shared_state: redis} opens it: {@value #COMMAND_TIMEOUT_MS} ms per command, a one-minute window. */
    RedisSharedState(MonitoringConfig config) {
        this(config, RedisRateLimits.WINDOW, Duration.ofMillis(COMMAND_TIMEOUT_MS));
    }

    RedisSharedState(MonitoringConfig config, Duration rateWindow, Duration commandTimeout) {
        this.link = RedisLink.open(config, commandTimeout, CONNECT_TIMEOUT, this::requestResync,
                "each replica uses its own cooldowns, limits and spend until it answers again");
        this.routing = new RedisRoutingState(link);
        this.rateLimits = new RedisRateLimits(link, rateWindow);
        this.spend = new RedisSpendStore(link);
        this.settings = new RedisSettingsStore(link);
        this.expiring = new RedisExpiringState(link);
        this.activations = link.resources().eventBus().get()
                .filter(ConnectionActivatedEvent.class::isInstance)
                .subscribe(e -> requestResync());
        if (tryConnect()) {
            log.info("shared state on Redis at {}", link.display());
        } else {
            // The failure is logged by the link; keep trying in the background rather than hold up the start.
            connector = Thread.ofVirtual().name("switchboard-redis-connect").start(this::connectUntilUp);
        }
    }

    @Override
    public RoutingState routing() {
        return routing;
    }

    @Override
    public RateLimits rateLimits() {
        return rateLimits;
    }

    @Override
    public SpendStore spend() {
        return spend;
    }

    @Override
    public SettingsStore settings() {
        return settings;
    }

    /** Fails closed while Redis is unavailable; see {@link RedisExpiringState}. */
    @Override
    public ExpiringState expiring() {
        return expiring;
    }

    @Override
    public Map<String, Object> status() {
        StatefulRedisPubSubConnection<String, String> sub = subscription;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "redis");
        m.put("url", link.display());
        m.put("reachable", link.attempt(redis -> "PONG".equals(redis.ping()), () -> false));
        m.put("cooldown_updates", sub != null && sub.isOpen() ? "live" : "paused");
        m.put("last_error", link.lastError());
        Instant at = link.lastErrorAt();
        m.put("last_error_at", at == null ? null : at.toString());
        m.put("pending_spend_increments", spend.unsentIncrements());
        m.put("pending_cooldown_changes", routing.unsavedCount());
        m.put("pending_settings", settings.unsavedCount());
        return m;
    }

    /** Connects both connections, subscribes, and brings this replica's view in line with Redis. */
    private boolean tryConnect() {
        try {
            link.connection();
            if (subscription == null) {
                StatefulRedisPubSubConnection<String, String> sub = link.client().connectPubSub();
                try {
                    sub.addListener(routing.listener());
                    sub.sync().subscribe(RedisRoutingState.CHANNEL);
                } catch (RuntimeException e) {
                    sub.close();
                    throw e;
                }
                subscription = sub;
            }
            resync();
            link.succeeded();
            return true;
        } catch (RuntimeException e) {
            link.failed(e);
            return false;
        }
    }

    private void connectUntilUp() {
        long backoff = FIRST_CONNECT_BACKOFF_MS;
        while (!link.closed()) {
            if (!pause(backoff)) {
                return;
            }
            if (!link.closed() && tryConnect()) {
                log.info("shared state: connected to Redis at {}", link.display());
                return;
            }
            backoff = Math.min(MAX_CONNECT_BACKOFF_MS, backoff * 2);
        }
    }

    /**
     * Asks for a resync on a thread of its own (a reconnect is reported on Lettuce's event loop, which must not
     * wait on a command); requests that arrive while one runs fold into one more run.
     */
    private void requestResync() {
        if (subscription == null || link.closed()) {
            return; // the first connect resyncs by itself, once subscribed
        }
        resyncWanted.set(true);
        if (resyncRunning.compareAndSet(false, true)) {
            Thread.ofVirtual().name("switchboard-redis-resync").start(this::resyncWhileWanted);
        }
    }

    private void resyncWhileWanted() {
        long backoff = FIRST_CONNECT_BACKOFF_MS;
        try {
            while (resyncWanted.getAndSet(false) && !link.closed()) {
                try {
                    resync();
                } catch (RuntimeException e) {
                    link.failed(e);
                    // A disconnect is followed by a reconnect, which asks again; a failure on a live connection
                    // (Redis still loading its data, say) is retried here until it passes.
                    if (link.connected() && pause(backoff)) {
                        backoff = Math.min(MAX_CONNECT_BACKOFF_MS, backoff * 2);
                        resyncWanted.set(true);
                    }
                }
            }
        } finally {
            resyncRunning.set(false);
        }
        if (resyncWanted.get()) {
            requestResync();
        }
    }

    private static boolean pause(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private synchronized void resync() {
        RedisCommands<String, String> redis = link.connection().sync();
        settings.replay(redis);
        spend.replay(redis);
        routing.resync(redis);
    }

    @Override
    public void close() {
        activations.dispose();
        Thread c = connector;
        if (c != null) {
            c.interrupt();
        }
        StatefulRedisPubSubConnection<String, String> sub = subscription;
        if (sub != null) {
            sub.close();
        }
        link.close();
    }
}
