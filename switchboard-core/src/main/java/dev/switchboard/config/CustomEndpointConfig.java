package dev.switchboard.config;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.util.List;
import java.util.Map;

/** One entry of {@code providers.custom_api.custom_providers}: an OpenAI- or Anthropic-compatible endpoint. */
public record CustomEndpointConfig(
        String apiType,
        @JsonAlias("api_base") String baseUrl,
        Secret apiKey,
        List<String> models,
        Boolean enabled,
        Map<String, Secret> headers,
        Double connectTimeoutSeconds,
        Double requestTimeoutSeconds,
        Integer maxTokens,
        String anthropicVersion) {

    public CustomEndpointConfig {
        apiType = apiType == null ? "openai" : apiType.strip().toLowerCase(java.util.Locale.ROOT);
        models = models == null ? List.of() : List.copyOf(models);
        enabled = enabled == null ? Boolean.TRUE : enabled;
        // Header values often carry credentials (x-api-key), so they are secrets too.
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        connectTimeoutSeconds = connectTimeoutSeconds == null ? 10.0 : connectTimeoutSeconds;
        requestTimeoutSeconds = requestTimeoutSeconds == null ? 120.0 : requestTimeoutSeconds;
        maxTokens = maxTokens == null ? 1024 : maxTokens;
        anthropicVersion = anthropicVersion == null ? "2023-06-01" : anthropicVersion;
    }
}
