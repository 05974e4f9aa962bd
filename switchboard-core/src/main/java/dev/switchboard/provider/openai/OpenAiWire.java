package dev.switchboard.provider.openai;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The OpenAI Chat Completions wire format as Switchboard speaks it to an OpenAI-compatible upstream. Every record
 * keeps the fields it does not name in {@code extras}, both ways: what a client sent in this dialect reaches the
 * upstream unchanged, and what the upstream answers reaches a client of this dialect unchanged. Nulls are left out.
 * Switchboard's own {@code /v1} API has its own records (in the server), so a quirk of either side stays there.
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
            Integer topK,
            JsonNode stop,
            Boolean stream,
            StreamOptions streamOptions,
            Integer n,
            String user,
            Long seed,
            Double presencePenalty,
            Double frequencyPenalty,
            JsonNode responseFormat,
            List<JsonNode> tools,
            JsonNode toolChoice,
            Boolean parallelToolCalls,
            List<JsonNode> functions,
            JsonNode functionCall,
            Boolean logprobs,
            Integer topLogprobs,
            @JsonAnyGetter @JsonAnySetter Map<String, JsonNode> extras) {}

    /** {@code extras} keeps what the client asked of the stream beyond usage ({@code include_obfuscation}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StreamOptions(Boolean includeUsage, @JsonAnyGetter @JsonAnySetter Map<String, JsonNode> extras) {}

    /** A request message; {@code content} is a string, an array of content parts, or null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WireMessage(String role, JsonNode content, String name, List<WireToolCall> toolCalls, String toolCallId,
                              String refusal, FunctionCall functionCall,
                              @JsonAnyGetter @JsonAnySetter Map<String, JsonNode> extras) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WireToolCall(String id, String type, FunctionCall function) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FunctionCall(String name, String arguments) {}

    public record ChatCompletion(
            String id,
            String object,
            Long created,
            String model,
            List<Choice> choices,
            WireUsage usage,
            @JsonAnySetter Map<String, JsonNode> extras) {}

    public record Choice(Integer index, ResponseMessage message, JsonNode logprobs, String finishReason,
                         @JsonAnySetter Map<String, JsonNode> extras) {}

    public record ResponseMessage(String role, String content, String refusal, List<WireToolCall> toolCalls,
                                  FunctionCall functionCall, @JsonAnySetter Map<String, JsonNode> extras) {}

    public record ChatCompletionChunk(
            String id,
            String object,
            Long created,
            String model,
            List<ChunkChoice> choices,
            WireUsage usage,
            JsonNode error,
            @JsonAnySetter Map<String, JsonNode> extras) {}

    public record ChunkChoice(Integer index, Delta delta, JsonNode logprobs, String finishReason,
                              @JsonAnySetter Map<String, JsonNode> extras) {}

    public record Delta(String role, String content, String refusal, List<ToolCallDelta> toolCalls,
                        FunctionCall functionCall, @JsonAnySetter Map<String, JsonNode> extras) {}

    public record ToolCallDelta(Integer index, String id, String type, FunctionCall function) {}

    /**
     * {@code cost} is OpenRouter's addition. The token details objects are read for the canonical counts and kept
     * whole in {@code extras}, with anything else the upstream reports.
     */
    public record WireUsage(Integer promptTokens, Integer completionTokens, Integer totalTokens, Double cost,
                            @JsonAnySetter Map<String, JsonNode> extras) {}

    public record ModelList(String object, List<ModelEntry> data) {}

    public record ModelEntry(String id, String object, Long created, String ownedBy) {}

    /** {@code POST /embeddings}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EmbeddingRequest(String model, List<String> input, String encodingFormat) {}

    public record EmbeddingResponse(String object, List<EmbeddingItem> data, String model, WireUsage usage) {}

    public record EmbeddingItem(String object, Integer index, double[] embedding) {}
}
