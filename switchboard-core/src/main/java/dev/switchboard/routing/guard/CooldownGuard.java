package dev.switchboard.routing.guard;

import dev.switchboard.model.ModelInfo;
import dev.switchboard.routing.RouteContext;
import dev.switchboard.state.RoutingState;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Skips a deployment while it cools down after failures. */
public final class CooldownGuard implements Guard {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private final RoutingState state;

    public CooldownGuard(RoutingState state) {
        this.state = state;
    }

    @Override
    public Admission admit(ModelInfo model, RouteContext ctx) {
        Instant until = state.cooldownUntil(model.key()).orElse(null);
        return until != null && until.isAfter(ctx.now())
                ? Admission.refused("cooling down until " + CLOCK.format(until), Admission.Hold.COOLDOWN) : Admission.ADMITTED;
    }
}
