package dev.switchboard.state;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link RateLimits} for one process: a Resilience4j rate limiter per key that refills its allowance every minute
 * and never waits.
 */
public final class LocalRateLimits implements RateLimits {
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();

    @Override
    public boolean tryAcquire(String key, long limit, long permits) {
        if (permits > limit) {
            return false;
        }
        RateLimiter l = limiters.computeIfAbsent(key + "#" + limit, k -> RateLimiter.of(k, RateLimiterConfig.custom()
                .limitForPeriod((int) Math.min(Integer.MAX_VALUE, limit)).limitRefreshPeriod(Duration.ofMinutes(1))
                .timeoutDuration(Duration.ZERO).build()));
        return l.acquirePermission((int) permits);
    }
}
