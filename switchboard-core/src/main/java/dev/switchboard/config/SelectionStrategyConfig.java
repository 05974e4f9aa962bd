package dev.switchboard.config;

import com.fasterxml.jackson.annotation.JsonAlias;

/** The seed's ModelSelectionCriteria (and the README's {@code algorithm}/{@code therapeutic_safety_threshold}). */
public record SelectionStrategyConfig(
        String primaryCriteria,
        String fallbackCriteria,
        String algorithm,
        Double therapeuticSafetyWeight,
        Double performanceWeight,
        Double costWeight,
        @JsonAlias("therapeutic_safety_threshold") Double minTherapeuticSafetyScore,
        Integer maxAcceptableLatencyMs,
        Double maxCostPerToken,
        Boolean preferLocalModels,
        Boolean preferFreeModels,
        Boolean requireStreaming) {

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
    }

    public static SelectionStrategyConfig defaults() {
        return new SelectionStrategyConfig(null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
