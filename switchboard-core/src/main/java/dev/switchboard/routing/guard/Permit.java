package dev.switchboard.routing.guard;

import dev.switchboard.model.ModelFailure;
import java.util.List;

/**
 * What an admitted call owes the guard that admitted it (Resilience4j's shape): the call's outcome, for guards that
 * learn from it (the breaker counts it, the budgets charge it), and giving back what admission took (a parallel
 * slot). The router settles every permit exactly once, then releases it exactly once.
 */
public interface Permit {
    Permit NONE = new Permit() {};

    /** The call succeeded after {@code nanos}, costing {@code costUsd}. */
    default void onSuccess(long nanos, double costUsd) {
    }

    /**
     * The call failed after {@code nanos}: with the upstream's classified failure, or {@code null} when it broke
     * on something that is not the deployment's doing (a bug here, a client that went away).
     */
    default void onFailure(long nanos, ModelFailure failure) {
    }

    /** The call is over, or a later guard refused it: give back what admission took. */
    default void release() {
    }

    /** Several permits as one: settled in order, released in reverse order, as they were taken. */
    static Permit all(List<Permit> permits) {
        List<Permit> taken = permits.stream().filter(p -> p != NONE).toList();
        if (taken.isEmpty()) {
            return NONE;
        }
        if (taken.size() == 1) {
            return taken.getFirst();
        }
        return new Permit() {
            @Override
            public void onSuccess(long nanos, double costUsd) {
                taken.forEach(p -> p.onSuccess(nanos, costUsd));
            }

            @Override
            public void onFailure(long nanos, ModelFailure failure) {
                taken.forEach(p -> p.onFailure(nanos, failure));
            }

            @Override
            public void release() {
                for (int i = taken.size() - 1; i >= 0; i--) {
                    taken.get(i).release();
                }
            }
        };
    }
}
