package dev.switchboard.routing.guard;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.routing.RouteContext;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A deployment's configured {@code rpm}, {@code tpm} and {@code max_parallel_requests}, enforced with
 * Resilience4j rate limiters and a bulkhead that never wait: a deployment over its limit is skipped like a
 * cooling one. Tokens are counted from the request's estimate (prompt plus max_tokens) when the call starts.
 */
public final class LimitGuard implements Guard {
    private final Function<ModelInfo, ModelConfig> configs;
    private final Map<String, Limits> limits = new ConcurrentHashMap<>();

    public LimitGuard(Function<ModelInfo, ModelConfig> configs) {
        this.configs = configs;
    }

    private record Limits(RateLimiter rpm, RateLimiter tpm, int tpmLimit, Bulkhead parallel) {}

    private Limits limitsFor(ModelInfo m) {
        return limits.computeIfAbsent(m.key(), key -> {
            ModelConfig mc = configs.apply(m);
            if (mc == null) {
                return new Limits(null, null, 0, null);
            }
            RateLimiter rpm = mc.rpm() == null ? null : RateLimiter.of(key + "#rpm", perMinute(mc.rpm()));
            RateLimiter tpm = mc.tpm() == null ? null : RateLimiter.of(key + "#tpm", perMinute(mc.tpm()));
            Bulkhead parallel = mc.maxParallelRequests() == null ? null : Bulkhead.of(key, BulkheadConfig.custom()
                    .maxConcurrentCalls(mc.maxParallelRequests()).maxWaitDuration(Duration.ZERO).build());
            return new Limits(rpm, tpm, mc.tpm() == null ? 0 : mc.tpm(), parallel);
        });
    }

    private static RateLimiterConfig perMinute(int permits) {
        return RateLimiterConfig.custom().limitForPeriod(permits).limitRefreshPeriod(Duration.ofMinutes(1))
                .timeoutDuration(Duration.ZERO).build();
    }

    @Override
    public String admit(ModelInfo model, RouteContext ctx) {
        Limits l = limitsFor(model);
        if (l.tpm != null && ctx.totalTokens() > l.tpmLimit) {
            return "needs ~" + ctx.totalTokens() + " tokens, more than its tpm limit " + l.tpmLimit;
        }
        if (l.parallel != null && !l.parallel.tryAcquirePermission()) {
            return "max_parallel_requests " + l.parallel.getBulkheadConfig().getMaxConcurrentCalls() + " reached";
        }
        if (l.rpm != null && !l.rpm.acquirePermission()) {
            releaseParallel(l);
            return "rpm limit " + l.rpm.getRateLimiterConfig().getLimitForPeriod() + " reached";
        }
        if (l.tpm != null && !l.tpm.acquirePermission(ctx.totalTokens())) {
            releaseParallel(l);
            return "tpm limit " + l.tpmLimit + " reached";
        }
        return null;
    }

    @Override
    public void release(ModelInfo model) {
        releaseParallel(limitsFor(model));
    }

    private static void releaseParallel(Limits l) {
        if (l.parallel != null) {
            l.parallel.onComplete();
        }
    }
}
