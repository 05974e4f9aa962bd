package dev.switchboard.provider;

import dev.switchboard.config.CustomEndpointConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.model.ProviderType;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a provider instance is initialized with: its name, its kind, its section of the configuration
 * (and, for a custom endpoint, that endpoint's entry), the catalog cache TTL and the process environment.
 */
public record ProviderSettings(
        String name,
        ProviderType type,
        ProviderConfig config,
        CustomEndpointConfig endpoint,
        Duration catalogTtl,
        Map<String, String> env) {

    public ProviderSettings {
        config = config == null ? ProviderConfig.empty() : config;
        catalogTtl = catalogTtl == null ? Duration.ofHours(1) : catalogTtl;
        env = env == null ? Map.of() : env;
    }
}
