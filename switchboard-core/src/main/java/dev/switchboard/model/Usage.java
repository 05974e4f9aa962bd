package dev.switchboard.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token counts, and the cost in USD when the upstream reports or the catalog prices it. {@code promptTokens}
 * includes cached and cache-written prompt tokens; {@code completionTokens} includes reasoning tokens. The
 * details are null when the upstream did not say. {@code extras} are the upstream's own usage fields (OpenAI's
 * token details objects, say), passed on to a door of the same dialect.
 */
public record Usage(int promptTokens, int completionTokens, int totalTokens, Double cost,
                    @JsonInclude(JsonInclude.Include.NON_NULL) Integer cachedPromptTokens,
                    @JsonInclude(JsonInclude.Include.NON_NULL) Integer cacheWriteTokens,
                    @JsonInclude(JsonInclude.Include.NON_NULL) Integer reasoningTokens,
                    @JsonIgnore Map<String, JsonNode> extras) {
    public static final Usage NONE = new Usage(0, 0, 0, null);

    public Usage {
        extras = extras == null || extras.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    public Usage(int promptTokens, int completionTokens, int totalTokens, Double cost) {
        this(promptTokens, completionTokens, totalTokens, cost, null, null, null, null);
    }

    public static Usage of(int prompt, int completion) {
        return new Usage(prompt, completion, prompt + completion, null);
    }

    public Usage withCost(Double newCost) {
        return new Usage(promptTokens, completionTokens, totalTokens, newCost, cachedPromptTokens, cacheWriteTokens,
                reasoningTokens, extras);
    }

    public Usage withDetails(Integer cached, Integer cacheWrite, Integer reasoning) {
        return new Usage(promptTokens, completionTokens, totalTokens, cost, cached, cacheWrite, reasoning, extras);
    }

    public Usage withExtras(Map<String, JsonNode> newExtras) {
        return new Usage(promptTokens, completionTokens, totalTokens, cost, cachedPromptTokens, cacheWriteTokens,
                reasoningTokens, newExtras);
    }
}
