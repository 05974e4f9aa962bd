package dev.switchboard.provider;

import dev.switchboard.config.CustomEndpointConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.model.ProviderType;
import dev.switchboard.state.FileSettingsStore;
import dev.switchboard.state.SettingsStore;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a provider instance is initialized with: its name, its kind, its section of the configuration
 * (and, for a custom endpoint, that endpoint's entry), the catalog cache TTL, the process environment and the
 * store for settings that must survive a restart.
 */
public record ProviderSettings(
        String name,
        ProviderType type,
        ProviderConfig config,
        CustomEndpointConfig endpoint,
        Duration catalogTtl,
        Map<String, String> env,
        SettingsStore settings) {

    public ProviderSettings {
        config = config == null ? ProviderConfig.empty() : config;
        catalogTtl = catalogTtl == null ? Duration.ofHours(1) : catalogTtl;
        env = env == null ? Map.of() : env;
        settings = settings == null ? new FileSettingsStore(FileSettingsStore.dataDir(env)) : settings;
    }

    public ProviderSettings(String name, ProviderType type, ProviderConfig config, CustomEndpointConfig endpoint,
                            Duration catalogTtl, Map<String, String> env) {
        this(name, type, config, endpoint, catalogTtl, env, null);
    }
}
