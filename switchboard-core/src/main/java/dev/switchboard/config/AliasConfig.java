package dev.switchboard.config;

import java.util.List;

/**
 * A model name that routes by task instead of naming a model: {@code model: "storyteller"} on the OpenAI API
 * selects with these requirements.
 */
public record AliasConfig(
        String taskType,
        Double maxCostPerToken,
        Double minQualityScore,
        Integer maxLatencyMs,
        List<String> requiredCapabilities,
        Integer contextLengthNeeded,
        Boolean therapeuticSafetyRequired) {}
