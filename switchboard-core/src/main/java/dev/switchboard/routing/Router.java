package dev.switchboard.routing;

import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.NoModelAvailableException;
import java.util.List;

/**
 * Decides which model serves a request: the one the caller named, else the configured default model, else the
 * first model of the default provider.
 */
public final class Router {
    private final Catalog catalog;
    private final String defaultModel;

    public Router(Catalog catalog, String defaultModel) {
        this.catalog = catalog;
        this.defaultModel = defaultModel == null || defaultModel.isBlank() ? null : defaultModel;
    }

    public ModelInfo choose(ChatRequest request) {
        if (request.model() != null) {
            return catalog.resolve(request.model());
        }
        if (defaultModel != null) {
            return catalog.resolve(defaultModel);
        }
        List<ModelInfo> all = catalog.all();
        if (all.isEmpty()) {
            String why = catalog.providers().isEmpty()
                    ? "no providers are configured"
                    : "no provider offers a model right now" + (catalog.unreachable().isEmpty() ? ""
                    : " (not reachable: " + String.join(", ", catalog.unreachable().keySet()) + ")");
            throw new NoModelAvailableException("No suitable model available: " + why);
        }
        return all.getFirst();
    }
}
