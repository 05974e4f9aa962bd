package dev.switchboard.routing;

import dev.switchboard.config.FallbackConfig;
import dev.switchboard.model.Caller;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.routing.guard.Admission;
import dev.switchboard.state.RoutingState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one place failures are classified. Per class: whether to retry the same deployment, whether it cools down
 * (and for how long), and which other deployments are still worth trying for this request.
 * <ul>
 * <li>rate limited: retry when the Retry-After is short; otherwise cool down until it passes, try others;</li>
 * <li>unavailable, timeout: retry with backoff; after {@code allowed_fails} in the window, cool down; try others;</li>
 * <li>auth failed: no retry; exclude the deployment for {@code exclude_failed_models_minutes}; only other
 *     providers can help (other credentials);</li>
 * <li>bad request: no retry; only another provider's API might accept the request;</li>
 * <li>context too long: no retry; only models with a larger context window;</li>
 * <li>content refused: no retry; another model may answer.</li>
 * </ul>
 */
final class FailurePolicy {
    private final FallbackConfig cfg;
    private final RoutingState state;
    private final Clock clock;

    FailurePolicy(FallbackConfig cfg, RoutingState state, Clock clock) {
        this.cfg = cfg;
        this.state = state;
        this.clock = clock;
    }

    static boolean retryable(ModelFailure f, long maxWaitMs) {
        return switch (f) {
            // A 404 means the upstream does not know the model: asking again cannot help.
            case ModelFailure.Unavailable u -> u.upstreamStatus() != 404;
            case ModelFailure.Timeout t -> true;
            case ModelFailure.RateLimited r -> r.retryAfter().map(d -> d.toMillis() <= maxWaitMs).orElse(false);
            default -> false;
        };
    }

    /** What the rest of this request may still try. */
    static final class Scope {
        private final Set<String> deadProviders = new HashSet<>();
        private Integer largerThan;
        private String largerReason;

        Admission.Refused excludes(ModelInfo m) {
            if (deadProviders.contains(m.provider())) {
                return Admission.refused("provider " + m.provider() + " already refused this request", Admission.Hold.DEPLOYMENT);
            }
            if (largerThan != null && (m.contextLength() == null || m.contextLength() <= largerThan)) {
                return Admission.refused("context " + (m.contextLength() == null ? "unknown" : m.contextLength())
                        + " not larger than " + largerThan + " (" + largerReason + ")", Admission.Hold.DEPLOYMENT);
            }
            return null;
        }
    }

    /** Applies the consequences of a deployment's final failure (after its retries). */
    void after(ModelInfo m, ModelFailure f, Scope scope, Caller caller) {
        if (caller.owns(m.providerType(), f)) {
            // The caller's own key was turned away or limited: no use trying this provider again with it, but the
            // deployment is fine for everyone else.
            scope.deadProviders.add(m.provider());
            return;
        }
        Instant now = clock.instant();
        switch (f) {
            case ModelFailure.RateLimited r -> state.extendCooldown(m.key(),
                    now.plus(r.retryAfter().orElse(seconds(cfg.cooldownSeconds()))));
            case ModelFailure.Unavailable u -> countTowardsCooldown(m, now);
            case ModelFailure.Timeout t -> countTowardsCooldown(m, now);
            case ModelFailure.AuthFailed a -> {
                state.extendCooldown(m.key(), now.plus(Duration.ofMinutes(cfg.excludeFailedModelsMinutes())));
                scope.deadProviders.add(m.provider());
            }
            case ModelFailure.BadRequest b -> scope.deadProviders.add(m.provider());
            case ModelFailure.ContextTooLong c -> {
                int window = m.contextLength() == null ? 0 : m.contextLength();
                if (scope.largerThan == null || window > scope.largerThan) {
                    scope.largerThan = window;
                    scope.largerReason = m.key() + " said the context was too long";
                }
            }
            case ModelFailure.ContentRefused c -> { }
        }
    }

    private void countTowardsCooldown(ModelInfo m, Instant now) {
        int recent = state.recordFailure(m.key(), now, seconds(cfg.failureWindowSeconds()));
        if (recent >= cfg.allowedFails()) {
            state.extendCooldown(m.key(), now.plus(seconds(cfg.cooldownSeconds())));
        }
    }

    /** When every attempt was turned away for load: the earliest time one of them takes calls again. */
    Duration earliestRetry(List<Explanation.Attempt> attempts, Planner.Plan plan) {
        if (attempts.isEmpty() || !attempts.stream().allMatch(a -> a.outcome().equals("rate_limited"))) {
            return null;
        }
        Instant now = clock.instant();
        Instant soonest = null;
        for (Explanation.Attempt a : attempts) {
            Instant until = state.cooldownUntil(a.model()).orElse(null);
            if (until != null && (soonest == null || until.isBefore(soonest))) {
                soonest = until;
            }
        }
        return soonest == null || !soonest.isAfter(now) ? Duration.ofSeconds(1) : Duration.between(now, soonest);
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis((long) (s * 1000));
    }
}
