package dev.switchboard.provider.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The OpenAI Chat Completions wire format, as records. Switchboard speaks it in both directions: to
 * OpenAI-compatible upstreams, and to its own clients on {@code /v1}. Nulls are left out except where OpenAI
 * itself sends an explicit null, so SDKs see the shape they expect.
 */
public final class OpenAiWire {
    private OpenAiWire() {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ChatCompletionRequest(
            String model,
            List<WireMessage> messages,
            Integer maxTokens,
            Integer maxCompletionTokens,
            Double temperature,
            Double topP,
            JsonNode stop,
            Boolean stream,
            StreamOptions streamOptions,
            Integer n,
            String user,
            Long seed,
            Double presencePenalty,
            Double frequencyPenalty,
            JsonNode responseFormat,
            JsonNode tools,
            JsonNode toolChoice,
            JsonNode functions,
            JsonNode functionCall,
            Boolean logprobs,
            JsonNode metadata) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StreamOptions(Boolean includeUsage) {}

    /** A request message; {@code content} is a string or an array of content parts. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WireMessage(String role, JsonNode content, String name, JsonNode toolCalls, String toolCallId) {}

    public record ChatCompletion(
            String id,
            String object,
            Long created,
            String model,
            List<Choice> choices,
            @JsonInclude(JsonInclude.Include.NON_NULL) WireUsage usage,
            @JsonInclude(JsonInclude.Include.NON_NULL) String systemFingerprint,
            @JsonInclude(JsonInclude.Include.NON_NULL) java.util.Map<String, Object> metadata) {}

    public record Choice(Integer index, ResponseMessage message, JsonNode logprobs, String finishReason) {}

    public record ResponseMessage(String role, String content, String refusal) {}

    public record ChatCompletionChunk(
            String id,
            String object,
            Long created,
            String model,
            List<ChunkChoice> choices,
            @JsonInclude(JsonInclude.Include.NON_NULL) WireUsage usage,
            @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode error,
            @JsonInclude(JsonInclude.Include.NON_NULL) java.util.Map<String, Object> metadata) {}

    public record ChunkChoice(Integer index, Delta delta, JsonNode logprobs, String finishReason) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content, String refusal) {}

    /** {@code cost} is OpenRouter's addition; other upstreams leave it out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WireUsage(Integer promptTokens, Integer completionTokens, Integer totalTokens, Double cost) {}

    public record ModelList(String object, List<ModelEntry> data) {}

    public record ModelEntry(String id, String object, Long created, String ownedBy) {}

    public record ErrorBody(String message, String type, String param, String code) {}
}
