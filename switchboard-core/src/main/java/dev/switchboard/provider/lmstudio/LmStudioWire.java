package dev.switchboard.provider.lmstudio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * LM Studio's native REST API (0.3.6 and later), as records. Only the model list is used: chat goes through the
 * OpenAI-compatible {@code /v1}, whose wire lives in {@link dev.switchboard.provider.openai.OpenAiWire}.
 */
public final class LmStudioWire {
    private LmStudioWire() {}

    /**
     * {@code GET /api/v0/models}. {@code error} is set instead of {@code data} when an LM Studio too old for this
     * endpoint answers it anyway, with 200 and {@code {"error":"Unexpected endpoint or method. (GET /api/v0/models)"}}.
     */
    public record ModelList(String object, List<NativeModel> data, JsonNode error) {}

    /**
     * One downloaded model. {@code type} is {@code llm}, {@code vlm} or {@code embeddings}; {@code compatibilityType}
     * {@code gguf} or {@code mlx}; {@code state} {@code loaded} or {@code not-loaded}. Newer versions list
     * {@code capabilities} ({@code tool_use}).
     */
    public record NativeModel(
            String id,
            String object,
            String type,
            String publisher,
            String arch,
            String compatibilityType,
            String quantization,
            String state,
            Integer maxContextLength,
            List<String> capabilities) {}
}
