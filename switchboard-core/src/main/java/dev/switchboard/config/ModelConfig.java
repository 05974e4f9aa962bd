package dev.switchboard.config;

import dev.switchboard.model.TaskType;
import java.util.List;
import java.util.Map;

/**
 * The seed's ModelConfiguration: how an operator scores and constrains one model (keyed by model id, or by
 * {@code provider:model} for one deployment, under {@code model_management.models}). It enriches what the
 * provider's catalog says about the model, and carries the deployment's limits ({@code rpm}, {@code tpm},
 * {@code max_parallel_requests}), its load-balancing {@code weight} and, for local models, a
 * {@code compute_cost_per_hour} to price them by.
 */
public record ModelConfig(
        String modelId,
        String providerType,
        String provider,
        String name,
        Boolean enabled,
        Secret apiKey,
        String apiBase,
        String modelPath,
        String revision,
        Boolean trustRemoteCode,
        Integer maxTokens,
        Double temperature,
        Double topP,
        Integer topK,
        Double maxMemoryGb,
        Double maxGpuMemoryGb,
        String quantization,
        List<TaskType> supportedTasks,
        List<String> capabilities,
        Integer contextLength,
        Double costPerToken,
        Boolean isFree,
        Double therapeuticSafetyScore,
        Double performanceScore,
        List<String> fallbackModels,
        Integer priority,
        Double weight,
        Integer rpm,
        Integer tpm,
        Integer maxParallelRequests,
        Double computeCostPerHour,
        Map<String, Object> metadata) {

    public ModelConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        trustRemoteCode = trustRemoteCode == null ? Boolean.FALSE : trustRemoteCode;
        supportedTasks = supportedTasks == null ? List.of() : List.copyOf(supportedTasks);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        fallbackModels = fallbackModels == null ? List.of() : List.copyOf(fallbackModels);
        priority = priority == null ? 0 : priority;
        weight = weight == null ? 1.0 : weight;
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }
}
