package dev.switchboard.provider.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * OpenRouter's own wire shapes; chat is OpenAI's ({@link dev.switchboard.provider.openai.OpenAiWire}). Catalog
 * prices are strings in USD per token ({@code "0.000003"}; {@code "0"} is free, {@code "-1"} means variable).
 */
final class OpenRouterWire {
    private OpenRouterWire() {}

    /** {@code GET /models}. Entries stay raw so that one malformed entry costs that entry, not the catalog. */
    record ModelList(List<JsonNode> data) {}

    record ModelEntry(
            String id,
            String canonicalSlug,
            String name,
            Long created,
            String description,
            Integer contextLength,
            Architecture architecture,
            Pricing pricing,
            TopProvider topProvider,
            JsonNode perRequestLimits,
            List<String> supportedParameters) {}

    record Architecture(String modality, List<String> inputModalities, List<String> outputModalities, String tokenizer,
                        String instructType) {}

    record Pricing(String prompt, String completion, String request, String image, String webSearch,
                   String internalReasoning, String inputCacheRead, String inputCacheWrite) {}

    record TopProvider(Integer contextLength, Integer maxCompletionTokens, Boolean isModerated) {}
}
