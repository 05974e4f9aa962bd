package dev.switchboard.redis;

import dev.switchboard.state.ExpiringState;
import dev.switchboard.state.StateUnavailableException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Expiring values and event lists shared by every replica. A value is the string
 * {@code switchboard:exp:<key>}, written with {@code SET … PXAT} so Redis itself removes it when it expires and
 * every replica agrees on when that is; {@code take} is {@code GETDEL}, so of two replicas taking the same one-time
 * state, one gets it. A list is {@code switchboard:events:<list>}, newest first, trimmed and given its expiry in the
 * same script as the push. {@code PXAT} and {@code GETDEL} need Redis 6.2 or later; an older Redis refuses them,
 * and {@code put} and {@code take} then fail as they would while it is down.
 *
 * <p>While Redis is unavailable every call throws {@link StateUnavailableException} at once (the server answers
 * 503), unlike the other shared parts, which fall back to this replica's own view: a session deleted on another
 * replica must not stay valid here, and a one-time state kept here could be used twice. Nothing is queued for
 * later, so an event reported during an outage is refused rather than silently dropped.
 */
final class RedisExpiringState implements ExpiringState {
    static final String VALUE_PREFIX = "switchboard:exp:";
    static final String LIST_PREFIX = "switchboard:events:";

    /** KEYS[1] the list; ARGV[1] the value, ARGV[2] how many to keep, ARGV[3] the expiry in epoch milliseconds. */
    private static final LuaScript APPEND = new LuaScript("""
            redis.call('LPUSH', KEYS[1], ARGV[1])
            redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
            redis.call('PEXPIREAT', KEYS[1], ARGV[3])
            return 1
            """);

    private final RedisLink link;

    RedisExpiringState(RedisLink link) {
        this.link = link;
    }

    @Override
    public void put(String key, String value, Instant expiresAt) {
        long at = expiresAt.toEpochMilli();
        link.require(redis -> {
            if (at <= 0) {
                // SET refuses such a time; a value that expired before it was written replaces the old one with nothing.
                return redis.del(valueKey(key));
            }
            return redis.set(valueKey(key), value, SetArgs.Builder.pxAt(at));
        }, "save an expiring value");
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(link.require(redis -> redis.get(valueKey(key)), "read an expiring value"));
    }

    @Override
    public Optional<String> take(String key) {
        return Optional.ofNullable(link.require(redis -> redis.getdel(valueKey(key)), "take an expiring value"));
    }

    @Override
    public void delete(String key) {
        link.require(redis -> redis.del(valueKey(key)), "delete an expiring value");
    }

    @Override
    public void append(String list, String value, int max, Instant expiresAt) {
        String key = listKey(list);
        link.require(redis -> {
            if (max <= 0) {
                return redis.del(key); // LTRIM 0 -1 would keep everything
            }
            return APPEND.<Long>run(redis, ScriptOutputType.INTEGER, new String[] {key}, value, Integer.toString(max),
                    Long.toString(expiresAt.toEpochMilli()));
        }, "append to event list " + list);
    }

    @Override
    public List<String> recent(String list, int limit) {
        if (limit <= 0) {
            return List.of(); // LRANGE 0 -1 would read everything
        }
        return link.require(redis -> redis.lrange(listKey(list), 0, limit - 1L), "read event list " + list);
    }

    static String valueKey(String key) {
        return VALUE_PREFIX + key;
    }

    static String listKey(String list) {
        return LIST_PREFIX + list;
    }
}
