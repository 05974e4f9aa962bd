package dev.switchboard.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One model in the catalog, with the seed's field names. {@code provider} is the configured provider
 * instance (for example a named custom endpoint); {@code provider_type} is its kind. Prices are USD per token.
 */
public record ModelInfo(
        String modelId,
        String name,
        ProviderType providerType,
        String provider,
        String description,
        Integer contextLength,
        Double costPerToken,
        @JsonProperty("is_free") boolean isFree,
        List<String> capabilities,
        Double therapeuticSafetyScore,
        Double performanceScore,
        Double promptPricePerToken,
        Double completionPricePerToken) {

    public ModelInfo {
        if (modelId == null || modelId.isBlank()) {
            throw new IllegalArgumentException("model_id is required");
        }
        name = name == null || name.isBlank() ? modelId : name;
        description = description == null ? "" : description;
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }

    /** A model with just an id, as listed by an endpoint that says nothing else about it. */
    public static ModelInfo basic(String modelId, ProviderType type, String provider) {
        return new ModelInfo(modelId, modelId, type, provider, "", null, null, false, List.of(), null, null, null, null);
    }

    /** {@code provider:model}, the key a model instance is cached and addressed under. */
    public String key() {
        return provider + ":" + modelId;
    }

    public ModelInfo withCapabilities(List<String> caps) {
        return new ModelInfo(modelId, name, providerType, provider, description, contextLength, costPerToken, isFree,
                caps, therapeuticSafetyScore, performanceScore, promptPricePerToken, completionPricePerToken);
    }
}
