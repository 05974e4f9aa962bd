package dev.switchboard.config;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's ModelSelectionCriteria (and the README's {@code algorithm}/{@code therapeutic_safety_threshold}),
 * plus what the seed hard-coded: the trusted providers, the capabilities each task looks for and the per-task
 * model-family bonuses. {@code max_cost_per_token} is the cost cap where the cost score reaches 0 (the seed used
 * $0.01 per token). {@code routing_strategy} picks between deployments of the same model.
 */
public record SelectionStrategyConfig(
        String primaryCriteria,
        String fallbackCriteria,
        String algorithm,
        @JsonAlias("safety_weight") Double therapeuticSafetyWeight,
        Double performanceWeight,
        Double costWeight,
        @JsonAlias("therapeutic_safety_threshold") Double minTherapeuticSafetyScore,
        Integer maxAcceptableLatencyMs,
        Double maxCostPerToken,
        Boolean preferLocalModels,
        Boolean preferFreeModels,
        Boolean requireStreaming,
        List<String> trustedProviders,
        Map<String, List<String>> taskCapabilities,
        Map<String, Map<String, Double>> familyBonuses,
        RoutingStrategy routingStrategy) {

    /** The seed's capability keywords per task: each one a model has is worth 0.5. */
    public static final Map<String, List<String>> SEED_TASK_CAPABILITIES = Map.of(
            "narrative_generation", List.of("creative_writing", "storytelling", "long_form"),
            "dialogue_generation", List.of("conversation", "chat", "dialogue"),
            "therapeutic_response", List.of("empathy", "safety", "therapeutic"),
            "character_development", List.of("character", "personality", "psychology"),
            "world_building", List.of("creative_writing", "world_building", "description"),
            "choice_generation", List.of("decision_making", "options", "branching"),
            "consequence_analysis", List.of("analysis", "reasoning", "logic"),
            "general_chat", List.of("chat", "conversation", "general"));

    /** The seed's model-family bonuses per task; the first pattern contained in the model id counts. */
    public static final Map<String, Map<String, Double>> SEED_FAMILY_BONUSES = Map.of(
            "narrative_generation", ordered("anthropic/claude", 2.0, "meta-llama/llama-3.1", 1.5, "qwen/qwen2.5", 1.0),
            "therapeutic_response", ordered("anthropic/claude", 2.5, "openai/gpt-4", 2.0, "meta-llama/llama-3.1", 1.0),
            "dialogue_generation", ordered("meta-llama/llama-3.1", 2.0, "anthropic/claude", 1.5, "qwen/qwen2.5", 1.0));

    public SelectionStrategyConfig {
        primaryCriteria = primaryCriteria == null ? "cost_effectiveness" : primaryCriteria;
        fallbackCriteria = fallbackCriteria == null ? "availability" : fallbackCriteria;
        therapeuticSafetyWeight = therapeuticSafetyWeight == null ? 0.4 : therapeuticSafetyWeight;
        performanceWeight = performanceWeight == null ? 0.3 : performanceWeight;
        costWeight = costWeight == null ? 0.3 : costWeight;
        minTherapeuticSafetyScore = minTherapeuticSafetyScore == null ? 7.0 : minTherapeuticSafetyScore;
        maxAcceptableLatencyMs = maxAcceptableLatencyMs == null ? 5000 : maxAcceptableLatencyMs;
        preferLocalModels = preferLocalModels == null ? Boolean.FALSE : preferLocalModels;
        preferFreeModels = preferFreeModels == null ? Boolean.TRUE : preferFreeModels;
        requireStreaming = requireStreaming == null ? Boolean.FALSE : requireStreaming;
        trustedProviders = trustedProviders == null ? List.of("openrouter", "custom_api") : List.copyOf(trustedProviders);
        taskCapabilities = taskCapabilities == null ? SEED_TASK_CAPABILITIES : Map.copyOf(taskCapabilities);
        familyBonuses = familyBonuses == null ? SEED_FAMILY_BONUSES : orderedCopy(familyBonuses);
        routingStrategy = routingStrategy == null ? RoutingStrategy.WEIGHTED : routingStrategy;
    }

    /** The cost at which the cost score reaches 0. */
    public double costCap() {
        return maxCostPerToken != null && maxCostPerToken > 0 ? maxCostPerToken : 0.01;
    }

    public static SelectionStrategyConfig defaults() {
        return new SelectionStrategyConfig(null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }

    private static Map<String, Double> ordered(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Double) kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, Map<String, Double>> orderedCopy(Map<String, Map<String, Double>> in) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        in.forEach((task, bonuses) -> out.put(task, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(bonuses))));
        return java.util.Collections.unmodifiableMap(out);
    }
}
