package dev.switchboard.provider.openrouter;

import dev.switchboard.provider.ModelProvider;
import dev.switchboard.provider.ProviderFactory;

public final class OpenRouterFactory implements ProviderFactory {
    @Override
    public String kind() {
        return "openrouter";
    }

    @Override
    public ModelProvider create() {
        return new OpenRouterProvider();
    }
}
