package dev.switchboard.manager;

import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.provider.FreeModelFilter;
import dev.switchboard.provider.ModelProvider;
import dev.switchboard.provider.openrouter.OpenRouterAccounts;
import dev.switchboard.provider.openrouter.OpenRouterProvider;
import java.util.List;
import java.util.function.Function;

/**
 * What the seed exposes of its OpenRouter provider beyond routing: the free-model filter ({@code /openrouter/filter},
 * {@code /openrouter/free}) and users' own keys ({@code /openrouter/auth/...}). Got from
 * {@link ModelManager#openRouter()}, which answers 404 when no OpenRouter provider is configured.
 */
public final class OpenRouterControls {
    private final ModelProvider provider;
    private final Function<String, List<ModelInfo>> freeModels;

    OpenRouterControls(ModelProvider provider, Function<String, List<ModelInfo>> freeModels) {
        this.provider = provider;
        this.freeModels = freeModels;
    }

    /** The filter settings now in force. */
    public FreeModelFilter filter() {
        return provider.freeModelFilter();
    }

    /** Changes the given settings (null: keep the current value); the provider validates and persists them. */
    public FreeModelFilter updateFilter(Boolean showFreeOnly, Boolean preferFree, Double maxCostPerToken) {
        FreeModelFilter now = provider.freeModelFilter();
        provider.setFreeModelFilter(new FreeModelFilter(showFreeOnly != null ? showFreeOnly : now.showFreeOnly(),
                preferFree != null ? preferFree : now.preferFree(),
                maxCostPerToken != null ? maxCostPerToken : now.maxCostPerToken()));
        return provider.freeModelFilter();
    }

    /** Every free OpenRouter model, whatever the filter does to paid ones. */
    public List<ModelInfo> freeModels() {
        return freeModels.apply(provider.name());
    }

    /** Checking users' own keys and signing users in to OpenRouter. */
    public OpenRouterAccounts accounts() {
        if (provider instanceof OpenRouterProvider p) {
            return p.accounts();
        }
        throw new UnknownModelException("the OpenRouter provider " + provider.name() + " does not manage accounts");
    }
}
