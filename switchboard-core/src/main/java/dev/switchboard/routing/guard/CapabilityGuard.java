package dev.switchboard.routing.guard;

import dev.switchboard.model.Capability;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.provider.RequestSupport;
import dev.switchboard.routing.RouteContext;
import java.util.function.Function;

/**
 * Skips a deployment that cannot serve what the request asks for: a capability the model lacks (tools, images, a
 * JSON Schema, logprobs, or chat at all for an embedding model), or a field its provider's wire format cannot carry
 * (several choices, another dialect's fields). Such a request falls back only to deployments that can serve it,
 * and when none can, the caller gets a 400 naming what was asked for.
 */
public final class CapabilityGuard implements Guard {
    private final Function<ModelInfo, RequestSupport> support;

    /** @param support the wire-format check of the provider that serves a model */
    public CapabilityGuard(Function<ModelInfo, RequestSupport> support) {
        this.support = support;
    }

    @Override
    public Admission admit(ModelInfo model, RouteContext ctx) {
        for (Capability.Need need : ctx.request().needs()) {
            if (!Capability.has(model.capabilities(), need.capability())) {
                return Admission.lacks(need.capability(), need.field(), need.why());
            }
        }
        if (ctx.request().chat() != null) {
            RequestSupport.Unsupported u = support.apply(model).check(ctx.request().chat());
            if (u != null) {
                return Admission.cannotCarry(u.field(), u.reason());
            }
        }
        return Admission.ADMITTED;
    }
}
