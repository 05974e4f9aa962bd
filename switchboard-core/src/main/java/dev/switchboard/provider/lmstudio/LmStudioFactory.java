package dev.switchboard.provider.lmstudio;

import dev.switchboard.model.ProviderType;
import dev.switchboard.provider.ModelProvider;
import dev.switchboard.provider.ProviderFactory;

public final class LmStudioFactory implements ProviderFactory {
    @Override
    public String kind() {
        return ProviderType.LM_STUDIO.wire();
    }

    @Override
    public ModelProvider create() {
        return new LmStudioProvider();
    }
}
