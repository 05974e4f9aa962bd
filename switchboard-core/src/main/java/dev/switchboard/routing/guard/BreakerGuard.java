package dev.switchboard.routing.guard;

import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.routing.RouteContext;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A Resilience4j circuit breaker per deployment: when most recent calls failed for reasons of the deployment's
 * own (unreachable, timing out, rate limited, rejecting our credentials), it opens and the deployment is skipped
 * until a trial call in the half-open state succeeds. Request-shaped failures (bad request, context too long,
 * refusals) do not count against it. Admission takes the breaker's permission; {@link #record} settles it.
 */
public final class BreakerGuard implements Guard {
    private final CircuitBreakerRegistry registry;

    /** The failure rate (percent of the last 20 calls) that opens a breaker unless configured otherwise. */
    public static final float DEFAULT_FAILURE_RATE = 50;

    public BreakerGuard(Duration openFor) {
        this(openFor, DEFAULT_FAILURE_RATE, null, null);
    }

    /**
     * @param failureRatePercent the share of failed calls that opens the breaker (the seed's {@code max_error_rate})
     * @param slowCall           a call this slow counts as slow, and half the calls slow open the breaker too (the
     *                           seed's {@code max_response_time_ms}); null: speed does not count
     * @param onOpen             told which deployment's breaker just opened, so that replicas sharing state can stop
     *                           sending to it too (it becomes a shared cooldown for the open period); may be null
     */
    public BreakerGuard(Duration openFor, float failureRatePercent, Duration slowCall, java.util.function.Consumer<String> onOpen) {
        CircuitBreakerConfig.Builder b = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(failureRatePercent);
        if (slowCall != null) {
            b.slowCallDurationThreshold(slowCall).slowCallRateThreshold(50);
        }
        CircuitBreakerConfig cfg = b
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(BreakerGuard::countsAgainst)
                .build();
        this.registry = CircuitBreakerRegistry.of(cfg);
        if (onOpen != null) {
            registry.getEventPublisher().onEntryAdded(added -> added.getAddedEntry().getEventPublisher()
                    .onStateTransition(t -> {
                        if (t.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                            onOpen.accept(t.getCircuitBreakerName());
                        }
                    }));
        }
    }

    static boolean countsAgainst(Throwable t) {
        return t instanceof ModelFailure f && (f.transientFailure() || f instanceof ModelFailure.AuthFailed);
    }

    /**
     * Admitted while the deployment's breaker lets calls through; the permit reports the call's outcome to it. A
     * failure of the caller's own key (a user's OpenRouter key) says nothing about the deployment and is not counted.
     */
    @Override
    public Admission admit(ModelInfo model, RouteContext ctx) {
        CircuitBreaker cb = registry.circuitBreaker(model.key());
        if (cb.tryAcquirePermission()) {
            return Admission.admitted(new Permit() {
                private boolean settled;

                @Override
                public void onSuccess(long nanos, double costUsd) {
                    settled = true;
                    cb.onSuccess(nanos, TimeUnit.NANOSECONDS);
                }

                @Override
                public void onFailure(long nanos, ModelFailure failure) {
                    settled = true;
                    if (failure == null || ctx.request().caller().owns(model.providerType(), failure)) {
                        cb.releasePermission();
                    } else {
                        cb.onError(nanos, TimeUnit.NANOSECONDS, failure);
                    }
                }

                @Override
                public void release() {
                    if (!settled) {
                        cb.releasePermission(); // admitted, then a later guard refused: no call was made
                    }
                }
            });
        }
        CircuitBreaker.Metrics m = cb.getMetrics();
        return Admission.refused("circuit breaker " + cb.getState().name().toLowerCase(java.util.Locale.ROOT) + " (failure rate "
                + Math.round(m.getFailureRate()) + "% over the last " + m.getNumberOfBufferedCalls() + " calls)",
                Admission.Hold.DEPLOYMENT);
    }

    /** Breakers that are not closed, by deployment: open, half_open, forced_open. */
    public Map<String, String> states() {
        Map<String, String> out = new TreeMap<>();
        registry.getAllCircuitBreakers().forEach(cb -> {
            if (cb.getState() != CircuitBreaker.State.CLOSED) {
                out.put(cb.getName(), cb.getState().name().toLowerCase(java.util.Locale.ROOT));
            }
        });
        return out;
    }

    public void reset(String deployment) {
        registry.find(deployment).ifPresent(CircuitBreaker::reset);
    }
}
