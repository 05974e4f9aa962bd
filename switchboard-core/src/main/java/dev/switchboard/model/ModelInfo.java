package dev.switchboard.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model in the catalog, with the seed's field names. {@code provider} is the configured provider instance
 * (for example a named custom endpoint); {@code provider_type} is its kind. Prices are USD per token;
 * {@code cost_per_token} is the mean of the prompt and completion prices, as the seed's API expects.
 * {@code loaded} is null when the provider has no notion of loading (cloud APIs). {@code supported_tasks} (from the
 * operator's configuration) limits the tasks it is chosen for; empty means any. {@code details} holds what a
 * provider knows beyond that (quantization, format, family, parameter size, modality).
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
        Double completionPricePerToken,
        Integer maxCompletionTokens,
        Boolean loaded,
        List<TaskType> supportedTasks,
        Map<String, String> details) {

    public ModelInfo {
        if (modelId == null || modelId.isBlank()) {
            throw new IllegalArgumentException("model_id is required");
        }
        name = name == null || name.isBlank() ? modelId : name;
        description = description == null ? "" : description;
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        supportedTasks = supportedTasks == null ? List.of() : List.copyOf(supportedTasks);
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** A model with just an id, as listed by an endpoint that says nothing else about it. */
    public static ModelInfo basic(String modelId, ProviderType type, String provider) {
        return builder(modelId, type, provider).build();
    }

    public static Builder builder(String modelId, ProviderType type, String provider) {
        return new Builder(modelId, type, provider);
    }

    public Builder toBuilder() {
        Builder b = new Builder(modelId, providerType, provider);
        b.name = name;
        b.description = description;
        b.contextLength = contextLength;
        b.costPerToken = costPerToken;
        b.isFree = isFree;
        b.capabilities = capabilities;
        b.therapeuticSafetyScore = therapeuticSafetyScore;
        b.performanceScore = performanceScore;
        b.promptPricePerToken = promptPricePerToken;
        b.completionPricePerToken = completionPricePerToken;
        b.maxCompletionTokens = maxCompletionTokens;
        b.loaded = loaded;
        b.supportedTasks = supportedTasks;
        b.details = new LinkedHashMap<>(details);
        return b;
    }

    /** This model at its provider: the key a model instance is cached and addressed under. */
    public DeploymentKey deployment() {
        return new DeploymentKey(provider, modelId);
    }

    /** {@link #deployment()}'s wire form, {@code provider:model}. */
    public String key() {
        return deployment().toString();
    }

    public static final class Builder {
        private final String modelId;
        private final ProviderType providerType;
        private final String provider;
        private String name;
        private String description;
        private Integer contextLength;
        private Double costPerToken;
        private boolean isFree;
        private List<String> capabilities = List.of();
        private Double therapeuticSafetyScore;
        private Double performanceScore;
        private Double promptPricePerToken;
        private Double completionPricePerToken;
        private Integer maxCompletionTokens;
        private Boolean loaded;
        private List<TaskType> supportedTasks = List.of();
        private Map<String, String> details = new LinkedHashMap<>();

        private Builder(String modelId, ProviderType providerType, String provider) {
            this.modelId = modelId;
            this.providerType = providerType;
            this.provider = provider;
        }

        public Builder name(String v) { this.name = v; return this; }
        public Builder description(String v) { this.description = v; return this; }
        public Builder contextLength(Integer v) { this.contextLength = v; return this; }
        public Builder costPerToken(Double v) { this.costPerToken = v; return this; }
        public Builder free(boolean v) { this.isFree = v; return this; }
        public Builder capabilities(List<String> v) { this.capabilities = v; return this; }
        public Builder therapeuticSafetyScore(Double v) { this.therapeuticSafetyScore = v; return this; }
        public Builder performanceScore(Double v) { this.performanceScore = v; return this; }
        public Builder maxCompletionTokens(Integer v) { this.maxCompletionTokens = v; return this; }
        public Builder loaded(Boolean v) { this.loaded = v; return this; }
        public Builder supportedTasks(List<TaskType> v) { this.supportedTasks = v; return this; }

        /** Prompt and completion prices in USD per token; {@code cost_per_token} becomes their mean. */
        public Builder pricing(Double prompt, Double completion) {
            this.promptPricePerToken = prompt;
            this.completionPricePerToken = completion;
            if (prompt != null && completion != null) {
                this.costPerToken = (prompt + completion) / 2;
            } else {
                this.costPerToken = prompt != null ? prompt : completion;
            }
            return this;
        }

        /** Adds a detail; null or blank values are left out. */
        public Builder detail(String key, String value) {
            if (value != null && !value.isBlank()) {
                details.put(key, value);
            }
            return this;
        }

        public ModelInfo build() {
            return new ModelInfo(modelId, name, providerType, provider, description, contextLength, costPerToken, isFree,
                    capabilities, therapeuticSafetyScore, performanceScore, promptPricePerToken, completionPricePerToken,
                    maxCompletionTokens, loaded, supportedTasks, details);
        }
    }
}
