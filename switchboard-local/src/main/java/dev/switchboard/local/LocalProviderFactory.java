package dev.switchboard.local;

import dev.switchboard.model.ProviderType;
import dev.switchboard.provider.ModelProvider;
import dev.switchboard.provider.ProviderFactory;

/** Registers {@link LocalProvider} as provider kind {@code local}. */
public final class LocalProviderFactory implements ProviderFactory {
    @Override
    public String kind() {
        return ProviderType.LOCAL.wire();
    }

    @Override
    public ModelProvider create() {
        return new LocalProvider();
    }
}
