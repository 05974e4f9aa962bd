package dev.switchboard.routing.guard;

import dev.switchboard.model.ModelInfo;
import dev.switchboard.routing.RouteContext;

/**
 * Admits a deployment for one call or says why not. Guards that take something (a rate-limit permit, a parallel
 * slot) give it back in {@link #release} once the call is over, or when a later guard refuses.
 */
public interface Guard {
    /** Whether the deployment may take the call now; a refusal carries the reason, for the explanation. */
    Admission admit(ModelInfo model, RouteContext ctx);

    default void release(ModelInfo model) {
    }
}
