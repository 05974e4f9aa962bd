package dev.switchboard.model;

import java.util.List;

/** The seed's ModelRequirements: what a request needs from the model that serves it. */
public record Requirements(
        TaskType taskType,
        Integer maxLatencyMs,
        Double minQualityScore,
        Double maxCostPerToken,
        List<String> requiredCapabilities,
        Integer contextLengthNeeded,
        Boolean therapeuticSafetyRequired) {

    public Requirements {
        taskType = taskType == null ? TaskType.GENERAL_CHAT : taskType;
        requiredCapabilities = requiredCapabilities == null ? List.of() : List.copyOf(requiredCapabilities);
        therapeuticSafetyRequired = therapeuticSafetyRequired == null ? Boolean.TRUE : therapeuticSafetyRequired;
        if (maxLatencyMs != null && maxLatencyMs <= 0) {
            throw new InvalidRequestException("max_latency_ms", "must be positive, got " + maxLatencyMs);
        }
        if (minQualityScore != null && (minQualityScore < 0 || minQualityScore > 10)) {
            throw new InvalidRequestException("min_quality_score", "must be between 0 and 10, got " + minQualityScore);
        }
        if (maxCostPerToken != null && maxCostPerToken < 0) {
            throw new InvalidRequestException("max_cost_per_token", "must not be negative, got " + maxCostPerToken);
        }
        if (contextLengthNeeded != null && contextLengthNeeded < 0) {
            throw new InvalidRequestException("context_length_needed", "must not be negative, got " + contextLengthNeeded);
        }
    }

    public static Requirements forTask(TaskType taskType) {
        return new Requirements(taskType, null, null, null, List.of(), null, true);
    }
}
