package dev.switchboard.provider.anthropic;

import dev.switchboard.provider.ModelProvider;
import dev.switchboard.provider.ProviderFactory;

public final class AnthropicFactory implements ProviderFactory {
    @Override
    public String kind() {
        return "custom_api/anthropic";
    }

    @Override
    public ModelProvider create() {
        return new AnthropicProvider();
    }
}
