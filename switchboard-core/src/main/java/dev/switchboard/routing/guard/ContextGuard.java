package dev.switchboard.routing.guard;

import dev.switchboard.model.ModelInfo;
import dev.switchboard.routing.RouteContext;

/** Skips a model whose context window cannot hold the prompt plus the answer, before calling it. */
public final class ContextGuard implements Guard {
    @Override
    public Admission admit(ModelInfo model, RouteContext ctx) {
        Integer window = model.contextLength();
        if (window != null && window < ctx.totalTokens()) {
            return Admission.refused("context " + window + " < needed ~" + ctx.totalTokens() + " (prompt ~" + ctx.promptTokens()
                    + " + max_tokens " + ctx.maxTokens() + ")", Admission.Hold.DEPLOYMENT);
        }
        return Admission.ADMITTED;
    }
}
