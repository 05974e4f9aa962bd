package dev.switchboard.routing.guard;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.model.DeploymentKey;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.routing.RouteContext;
import dev.switchboard.state.RateLimits;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A deployment's configured {@code rpm}, {@code tpm} and {@code max_parallel_requests}. The per-minute limits are
 * counted by {@link RateLimits} (in this process, or across replicas through Redis); the parallel limit is a
 * Resilience4j bulkhead in this process. Nothing waits: a deployment over a limit is skipped like a cooling one.
 * Tokens are counted from the request's estimate (prompt plus max_tokens) when the call starts.
 */
public final class LimitGuard implements Guard {
    private final Function<ModelInfo, ModelConfig> configs;
    private final Function<ModelInfo, Double> buffer;
    private final RateLimits rates;
    private final Map<DeploymentKey, Limits> limits = new ConcurrentHashMap<>();

    public LimitGuard(Function<ModelInfo, ModelConfig> configs, RateLimits rates) {
        this(configs, m -> null, rates);
    }

    /**
     * @param buffer the share of a model's rpm and tpm to use (its provider's {@code rate_limit_buffer}, which keeps
     *               headroom below the upstream's own limit), or null for all of it
     */
    public LimitGuard(Function<ModelInfo, ModelConfig> configs, Function<ModelInfo, Double> buffer, RateLimits rates) {
        this.configs = configs;
        this.buffer = buffer;
        this.rates = rates;
    }

    private record Limits(Integer rpm, Integer tpm, Bulkhead parallel) {}

    private Limits limitsFor(ModelInfo m) {
        return limits.computeIfAbsent(m.deployment(), key -> {
            ModelConfig mc = configs.apply(m);
            if (mc == null) {
                return new Limits(null, null, null);
            }
            Bulkhead parallel = mc.maxParallelRequests() == null ? null : Bulkhead.of(key.toString(), BulkheadConfig.custom()
                    .maxConcurrentCalls(mc.maxParallelRequests()).maxWaitDuration(Duration.ZERO).build());
            Double share = buffer.apply(m);
            return new Limits(buffered(mc.rpm(), share), buffered(mc.tpm(), share), parallel);
        });
    }

    private static Integer buffered(Integer limit, Double share) {
        return limit == null || share == null ? limit : Integer.valueOf(Math.max(1, (int) Math.floor(limit * share)));
    }

    @Override
    public Admission admit(ModelInfo model, RouteContext ctx) {
        Limits l = limitsFor(model);
        if (l.tpm != null && ctx.totalTokens() > l.tpm) {
            return Admission.refused("needs ~" + ctx.totalTokens() + " tokens, more than its tpm limit " + l.tpm,
                    Admission.Hold.DEPLOYMENT);
        }
        if (l.parallel != null && !l.parallel.tryAcquirePermission()) {
            return Admission.refused("max_parallel_requests " + l.parallel.getBulkheadConfig().getMaxConcurrentCalls()
                    + " reached", Admission.Hold.LOAD);
        }
        if (l.rpm != null && !rates.tryAcquire(model.key() + "#rpm", l.rpm, 1)) {
            releaseParallel(l);
            return Admission.refused("rpm limit " + l.rpm + " reached", Admission.Hold.WINDOW);
        }
        if (l.tpm != null && !rates.tryAcquire(model.key() + "#tpm", l.tpm, ctx.totalTokens())) {
            releaseParallel(l);
            return Admission.refused("tpm limit " + l.tpm + " reached", Admission.Hold.WINDOW);
        }
        if (l.parallel == null) {
            return Admission.ADMITTED;
        }
        return Admission.admitted(new Permit() {
            @Override
            public void release() {
                releaseParallel(l);
            }
        });
    }

    private static void releaseParallel(Limits l) {
        if (l.parallel != null) {
            l.parallel.onComplete();
        }
    }
}
