package dev.switchboard.provider.ollama;

import dev.switchboard.model.ProviderType;
import dev.switchboard.provider.ModelProvider;
import dev.switchboard.provider.ProviderFactory;

public final class OllamaFactory implements ProviderFactory {
    @Override
    public String kind() {
        return ProviderType.OLLAMA.wire();
    }

    @Override
    public ModelProvider create() {
        return new OllamaProvider();
    }
}
