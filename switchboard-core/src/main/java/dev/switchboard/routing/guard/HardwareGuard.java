package dev.switchboard.routing.guard;

import dev.switchboard.model.ModelInfo;
import dev.switchboard.routing.RouteContext;
import java.util.function.Function;

/** Skips a local model that does not fit this machine; the hardware issue supplies the check. */
public final class HardwareGuard implements Guard {
    private final Function<ModelInfo, String> unfit;

    /** @param unfit why a model does not fit (for example "needs 14 GB RAM, 9.8 GB available"), or null */
    public HardwareGuard(Function<ModelInfo, String> unfit) {
        this.unfit = unfit;
    }

    @Override
    public Admission admit(ModelInfo model, RouteContext ctx) {
        String why = unfit.apply(model);
        return why == null ? Admission.ADMITTED : Admission.refused(why, Admission.Hold.DEPLOYMENT);
    }
}
