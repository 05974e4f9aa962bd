package dev.switchboard.config;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.util.List;
import java.util.Map;

/**
 * The seed's ProviderConfiguration, field for field, plus the keys its README used and a few of our own
 * (timeouts, extra headers, a static model list). Not every field applies to every provider kind.
 */
public record ProviderConfig(
        String providerType,
        Boolean enabled,
        Secret apiKey,
        @JsonAlias("base_url") String apiBase,
        // OpenRouter
        Boolean preferFreeModels,
        Double maxCostPerMillionTokens,
        Double rateLimitBuffer,
        @JsonAlias("free_models_only") Boolean showFreeOnly,
        Double maxCostPerToken,
        List<String> preferredModels,
        Double costLimitPerRequest,
        String httpReferer,
        String xTitle,
        // local
        String modelsCacheDir,
        Integer maxConcurrentModels,
        Boolean autoQuantization,
        Double gpuMemoryFraction,
        Map<String, String> trustedModelRevisions,
        Boolean requireRevisionPinning,
        Double computeCostPerToken,
        // Ollama (host, port and container_name are the names the seed's code reads)
        @JsonAlias("host") String ollamaHost,
        @JsonAlias("port") Integer ollamaPort,
        String containerName,
        @JsonAlias("docker_enabled") Boolean useDocker,
        String dockerImage,
        @JsonAlias("auto_pull_models") Boolean autoPull,
        Boolean gpuEnabled,
        String keepAlive,
        // custom_api
        Map<String, CustomEndpointConfig> customProviders,
        // any provider
        List<String> models,
        Map<String, Secret> headers,
        Double connectTimeoutSeconds,
        Double requestTimeoutSeconds,
        Map<String, Object> metadata) {

    public ProviderConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        // preferFreeModels stays null when unset: OPENROUTER_PREFER_FREE_MODELS applies only then (seed default: true).
        // rateLimitBuffer stays null when unset: the seed declared 0.8 but never applied it, so only an explicit
        // value shrinks the limits (see LimitGuard).
        if (maxCostPerToken == null && maxCostPerMillionTokens != null) {
            maxCostPerToken = maxCostPerMillionTokens / 1_000_000; // one cap, in the unit the filter uses
        }
        preferredModels = preferredModels == null ? List.of() : List.copyOf(preferredModels);
        maxConcurrentModels = maxConcurrentModels == null ? 2 : maxConcurrentModels;
        autoQuantization = autoQuantization == null ? Boolean.TRUE : autoQuantization;
        gpuMemoryFraction = gpuMemoryFraction == null ? 0.8 : gpuMemoryFraction;
        trustedModelRevisions = trustedModelRevisions == null ? Map.of() : Map.copyOf(trustedModelRevisions);
        requireRevisionPinning = requireRevisionPinning == null ? Boolean.TRUE : requireRevisionPinning;
        // What a local token costs in USD (power, hardware), so budgets and cost routing cover local models too.
        computeCostPerToken = computeCostPerToken == null ? 0.0 : computeCostPerToken;
        ollamaHost = ollamaHost == null ? "localhost" : ollamaHost;
        ollamaPort = ollamaPort == null ? 11434 : ollamaPort;
        useDocker = useDocker == null ? Boolean.TRUE : useDocker; // the seed's default
        dockerImage = dockerImage == null ? "ollama/ollama:latest" : dockerImage;
        autoPull = autoPull == null ? Boolean.FALSE : autoPull;
        keepAlive = keepAlive == null ? "5m" : keepAlive;
        customProviders = customProviders == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(customProviders));
        models = models == null ? List.of() : List.copyOf(models);
        // Header values often carry credentials (x-api-key), so they are secrets too.
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        connectTimeoutSeconds = connectTimeoutSeconds == null ? 10.0 : connectTimeoutSeconds;
        requestTimeoutSeconds = requestTimeoutSeconds == null ? 120.0 : requestTimeoutSeconds;
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    /** A disabled-by-default stand-in for providers that are not configured at all. */
    public static ProviderConfig empty() {
        return new ProviderConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }
}
