package dev.switchboard.provider.openai;

import dev.switchboard.provider.ModelProvider;
import dev.switchboard.provider.ProviderFactory;

public final class OpenAiCompatibleFactory implements ProviderFactory {
    @Override
    public String kind() {
        return "custom_api/openai";
    }

    @Override
    public ModelProvider create() {
        return new OpenAiCompatibleProvider();
    }
}
