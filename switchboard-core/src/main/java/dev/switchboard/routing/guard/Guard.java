package dev.switchboard.routing.guard;

import dev.switchboard.model.ModelInfo;
import dev.switchboard.routing.RouteContext;

/**
 * Admits a deployment for one call or says why not. An admission carries a {@link Permit}: guards that take
 * something (a parallel slot) give it back through it, and guards that learn from calls (the breaker, the budgets)
 * hear the call's outcome through it.
 */
public interface Guard {
    /** Whether the deployment may take the call now; a refusal carries the reason, for the explanation. */
    Admission admit(ModelInfo model, RouteContext ctx);
}
