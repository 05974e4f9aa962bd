package dev.switchboard.manager;

import dev.switchboard.provider.ProviderFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/** The provider implementations on the classpath, by kind. */
public final class ProviderRegistry {
    private final Map<String, ProviderFactory> factories = new LinkedHashMap<>();

    public static ProviderRegistry discover() {
        ProviderRegistry r = new ProviderRegistry();
        for (ProviderFactory f : ServiceLoader.load(ProviderFactory.class)) {
            r.register(f);
        }
        return r;
    }

    /** Adds or replaces the implementation of a kind (tests and embedders use this for their own providers). */
    public ProviderRegistry register(ProviderFactory factory) {
        factories.put(factory.kind(), factory);
        return this;
    }

    public ProviderFactory find(String kind) {
        return factories.get(kind);
    }

    public java.util.Set<String> kinds() {
        return factories.keySet();
    }
}
