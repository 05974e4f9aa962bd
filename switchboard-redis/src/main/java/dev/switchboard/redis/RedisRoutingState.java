package dev.switchboard.redis;

import dev.switchboard.state.InMemoryRoutingState;
import dev.switchboard.state.RoutingState;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cooldowns and failure windows shared by every replica on one Redis.
 *
 * <p>The router asks for a deployment's cooldown on every request, so that answer comes from a mirror in this
 * process, never from a round trip. Redis holds the truth: one key per cooling deployment holding its end (epoch
 * ms) and expiring at it. A script extends it only forward and publishes the change on {@link #CHANNEL}; every
 * replica's subscription updates its mirror as the message arrives, which takes about a millisecond, not a polling
 * interval. After a (re)connect the mirror is reloaded from the keys, covering what was published while this
 * replica was not listening.
 *
 * <p>Failures are a sorted set per deployment scored by time, trimmed to the window and counted by a script.
 *
 * <p>While Redis is unavailable everything continues on this process's view: cooldowns go to the mirror and are
 * replayed to Redis when it answers again; failures are counted locally.
 */
final class RedisRoutingState implements RoutingState {
    private static final Logger log = LoggerFactory.getLogger(RedisRoutingState.class);
    static final String CHANNEL = "switchboard:cooldowns";
    static final String COOLDOWN_PREFIX = "switchboard:cooldown:";
    static final String FAILURES_PREFIX = "switchboard:failures:";
    /** In a message, a cooldown that ends at 0 means the deployment was reset. */
    private static final long RESET = 0;

    private static final LuaScript EXTEND = new LuaScript("""
            -- KEYS[1] cooldown key; ARGV[1] end (epoch ms), ARGV[2] channel, ARGV[3] deployment
            local current = tonumber(redis.call('GET', KEYS[1]) or '0')
            local wanted = tonumber(ARGV[1])
            if wanted <= current then
              return current
            end
            redis.call('SET', KEYS[1], ARGV[1])
            redis.call('PEXPIREAT', KEYS[1], ARGV[1])
            redis.call('PUBLISH', ARGV[2], ARGV[1] .. ' ' .. ARGV[3])
            return wanted
            """);

    private static final LuaScript RESET_DEPLOYMENT = new LuaScript("""
            -- KEYS[1] cooldown key, KEYS[2] failures key; ARGV[1] channel, ARGV[2] deployment
            redis.call('DEL', KEYS[1], KEYS[2])
            redis.call('PUBLISH', ARGV[1], '0 ' .. ARGV[2])
            return 1
            """);

    private static final LuaScript RECORD_FAILURE = new LuaScript("""
            -- KEYS[1] failures key; ARGV[1] at (epoch ms), ARGV[2] '(' .. window start, ARGV[3] window (ms),
            -- ARGV[4] a member unique to this failure
            redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return redis.call('ZCARD', KEYS[1])
            """);

    private final RedisLink link;
    private final Map<String, Instant> mirror = new ConcurrentHashMap<>();
    private final Map<String, Unsaved> unsaved = new ConcurrentHashMap<>();
    private final Set<String> resetsDuringReload = ConcurrentHashMap.newKeySet();
    private final InMemoryRoutingState local = new InMemoryRoutingState();

    /** Changes made while Redis was unavailable, to replay in order: a reset first, then the longest extension. */
    private record Unsaved(boolean reset, Instant until) {
        Unsaved then(Unsaved next) {
            return next.reset ? next : new Unsaved(reset, until == null ? next.until : later(until, next.until));
        }
    }

    RedisRoutingState(RedisLink link) {
        this.link = link;
    }

    @Override
    public Optional<Instant> cooldownUntil(String deployment) {
        return Optional.ofNullable(mirror.get(deployment));
    }

    @Override
    public Instant extendCooldown(String deployment, Instant until) {
        mirror.merge(deployment, until, RedisRoutingState::later);
        Long effective = link.attempt(redis -> extend(redis, deployment, until), () -> null);
        if (effective == null) {
            unsaved.merge(deployment, new Unsaved(false, until), Unsaved::then);
            return mirror.get(deployment);
        }
        return mirror.merge(deployment, Instant.ofEpochMilli(effective), RedisRoutingState::later);
    }

    @Override
    public int recordFailure(String deployment, Instant at, Duration window) {
        // Counted here too, so a Redis outage starts from this replica's recent failures rather than from zero.
        int localCount = local.recordFailure(deployment, at, window);
        long atMs = at.toEpochMilli();
        Long shared = link.attempt(redis -> RECORD_FAILURE.run(redis, ScriptOutputType.INTEGER,
                new String[] {FAILURES_PREFIX + deployment}, Long.toString(atMs), "(" + (atMs - window.toMillis()),
                Long.toString(Math.max(1, window.toMillis())), atMs + ":" + uniqueId()), () -> null);
        return shared == null ? localCount : shared.intValue();
    }

    @Override
    public void reset(String deployment) {
        resetsDuringReload.add(deployment);
        mirror.remove(deployment);
        local.reset(deployment);
        Boolean done = link.attempt(redis -> reset(redis, deployment), () -> false);
        if (!done) {
            unsaved.merge(deployment, new Unsaved(true, null), Unsaved::then);
        }
    }

    @Override
    public Map<String, Instant> activeCooldowns(Instant now) {
        Map<String, Instant> out = new TreeMap<>();
        mirror.forEach((deployment, until) -> {
            if (until.isAfter(now)) {
                out.put(deployment, until);
            }
        });
        return out;
    }

    @Override
    public boolean shared() {
        return true;
    }

    int unsavedCount() {
        return unsaved.size();
    }

    /** Updates the mirror from another replica's change (and echoes of this one's, which change nothing). */
    RedisPubSubAdapter<String, String> listener() {
        return new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                if (CHANNEL.equals(channel)) {
                    apply(message);
                }
            }
        };
    }

    private void apply(String message) {
        int space = message.indexOf(' ');
        long until;
        try {
            until = Long.parseLong(message.substring(0, Math.max(0, space)));
        } catch (NumberFormatException e) {
            log.debug("ignoring a malformed message on {}", CHANNEL);
            return;
        }
        String deployment = message.substring(space + 1);
        if (until == RESET) {
            resetsDuringReload.add(deployment);
            mirror.remove(deployment);
            local.reset(deployment);
        } else {
            mirror.merge(deployment, Instant.ofEpochMilli(until), RedisRoutingState::later);
        }
    }

    /**
     * Brings Redis and the mirror together after Redis was out of reach: replays what changed here meanwhile, then
     * reloads every cooldown. An entry that changes while the keys are read (a message arrives) is left as the
     * message set it. Throws when Redis fails again; the next reconnect runs it again.
     */
    void resync(RedisCommands<String, String> redis) {
        replay(redis);
        resetsDuringReload.clear();
        Map<String, Instant> before = new HashMap<>(mirror);
        Map<String, Instant> fresh = readCooldowns(redis);
        before.forEach((deployment, until) -> {
            if (!fresh.containsKey(deployment) && !unsaved.containsKey(deployment)) {
                mirror.remove(deployment, until);
            }
        });
        fresh.forEach((deployment, until) -> {
            if (!resetsDuringReload.contains(deployment)) {
                mirror.merge(deployment, until, RedisRoutingState::later);
            }
        });
    }

    /** A change leaves the list only once Redis has it; one that changed meanwhile is replayed again, whole. */
    private void replay(RedisCommands<String, String> redis) {
        for (Map.Entry<String, Unsaved> e : unsaved.entrySet()) {
            String deployment = e.getKey();
            Unsaved u = e.getValue();
            if (u.reset()) {
                reset(redis, deployment);
            }
            if (u.until() != null) {
                mirror.merge(deployment, Instant.ofEpochMilli(extend(redis, deployment, u.until())),
                        RedisRoutingState::later);
            }
            unsaved.remove(deployment, u);
        }
    }

    private static Map<String, Instant> readCooldowns(RedisCommands<String, String> redis) {
        Map<String, Instant> out = new HashMap<>();
        ScanArgs args = ScanArgs.Builder.matches(COOLDOWN_PREFIX + "*").limit(500);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, args);
            if (!page.getKeys().isEmpty()) {
                for (KeyValue<String, String> kv : redis.mget(page.getKeys().toArray(String[]::new))) {
                    if (kv.hasValue()) {
                        try {
                            out.put(kv.getKey().substring(COOLDOWN_PREFIX.length()),
                                    Instant.ofEpochMilli(Long.parseLong(kv.getValue())));
                        } catch (NumberFormatException e) {
                            log.debug("ignoring malformed cooldown key {}", kv.getKey());
                        }
                    }
                }
            }
            cursor = page;
        } while (!cursor.isFinished());
        return out;
    }

    private static Long extend(RedisCommands<String, String> redis, String deployment, Instant until) {
        return EXTEND.run(redis, ScriptOutputType.INTEGER, new String[] {COOLDOWN_PREFIX + deployment},
                Long.toString(ceilMillis(until)), CHANNEL, deployment);
    }

    private static Boolean reset(RedisCommands<String, String> redis, String deployment) {
        RESET_DEPLOYMENT.run(redis, ScriptOutputType.INTEGER,
                new String[] {COOLDOWN_PREFIX + deployment, FAILURES_PREFIX + deployment}, CHANNEL, deployment);
        return true;
    }

    /** Redis keeps milliseconds; rounding up means the shared copy never ends a cooldown early. */
    private static long ceilMillis(Instant t) {
        long ms = t.toEpochMilli();
        return t.getNano() % 1_000_000 == 0 ? ms : ms + 1;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    static String uniqueId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong());
    }
}
