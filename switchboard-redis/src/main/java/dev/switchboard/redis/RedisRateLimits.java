package dev.switchboard.redis;

import dev.switchboard.state.LocalRateLimits;
import dev.switchboard.state.RateLimits;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;

/**
 * rpm/tpm limits counted across every replica: an exact sliding window, checked and taken in one script so two
 * replicas can never both take the last permit. The script reads the clock from Redis ({@code TIME}), so replicas
 * whose clocks disagree still share one window.
 *
 * <p>Per key, a sorted set holds each admitted take, scored by its time in microseconds, with its permits in the
 * member ({@code <id>:<permits>}), and a counter holds their sum, so a check does not add up the whole window. Both
 * expire a second after the window once the key goes quiet.
 *
 * <p>When Redis is unavailable, a limit holds per replica ({@link LocalRateLimits}) until it is back: requests
 * keep flowing, and the fleet may briefly admit up to the limit once per replica.
 */
final class RedisRateLimits implements RateLimits {
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final String ENTRIES_PREFIX = "switchboard:rate:";
    static final String USED_PREFIX = "switchboard:rate_used:";

    private static final LuaScript TAKE = new LuaScript("""
            -- KEYS[1] admitted takes (zset: score = Redis time in us, member = '<id>:<permits>'), KEYS[2] their sum
            -- ARGV[1] limit, ARGV[2] permits, ARGV[3] window (us), ARGV[4] unique id, ARGV[5] key ttl (ms)
            if redis.replicate_commands then redis.replicate_commands() end
            local function permits_of(members)
              local n = 0
              for _, m in ipairs(members) do
                n = n + tonumber(string.match(m, ':(%d+)$'))
              end
              return n
            end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local oldest = now - tonumber(ARGV[3])
            local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', oldest)
            if #expired > 0 then
              redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', oldest)
            end
            local used = redis.call('GET', KEYS[2])
            if used then
              used = tonumber(used) - permits_of(expired)
            else
              used = permits_of(redis.call('ZRANGE', KEYS[1], 0, -1))
            end
            local permits = tonumber(ARGV[2])
            if used + permits > tonumber(ARGV[1]) then
              if #expired > 0 then
                redis.call('SET', KEYS[2], used, 'PX', ARGV[5])
              end
              return 0
            end
            redis.call('ZADD', KEYS[1], now, ARGV[4] .. ':' .. ARGV[2])
            redis.call('SET', KEYS[2], used + permits, 'PX', ARGV[5])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            return 1
            """);

    private final RedisLink link;
    private final LocalRateLimits local = new LocalRateLimits();
    private final String windowMicros;
    private final String ttlMillis;

    RedisRateLimits(RedisLink link, Duration window) {
        this.link = link;
        this.windowMicros = Long.toString(window.toNanos() / 1000);
        this.ttlMillis = Long.toString(window.toMillis() + 1000);
    }

    @Override
    public boolean tryAcquire(String key, long limit, long permits) {
        if (permits > limit) {
            return false;
        }
        if (permits <= 0) {
            return true;
        }
        Long taken = link.attempt(redis -> TAKE.run(redis, ScriptOutputType.INTEGER,
                new String[] {ENTRIES_PREFIX + key, USED_PREFIX + key}, Long.toString(limit), Long.toString(permits),
                windowMicros, RedisRoutingState.uniqueId(), ttlMillis), () -> null);
        return taken == null ? local.tryAcquire(key, limit, permits) : taken == 1;
    }
}
