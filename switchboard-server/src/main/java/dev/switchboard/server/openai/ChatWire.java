package dev.switchboard.server.openai;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * What clients send to Switchboard's {@code /v1/chat/completions} and what they get back: OpenAI's Chat Completions
 * shapes as the official SDKs read them (explicit nulls where OpenAI sends them). These are the public API's own
 * records, apart from the ones the OpenAI-compatible provider speaks upstream, so a quirk of either side stays on
 * its side. Fields Switchboard does not name are kept in {@code extras}.
 */
public final class ChatWire {
    private ChatWire() {}

    /** The request. Polymorphic fields (content, stop, tool_choice, …) stay JSON and are read by the mapper. */
    public record Request(
            String model,
            List<InMessage> messages,
            Integer maxTokens,
            Integer maxCompletionTokens,
            Double temperature,
            Double topP,
            Integer topK,
            JsonNode stop,
            Boolean stream,
            JsonNode streamOptions,
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
            @JsonAnySetter Map<String, JsonNode> extras) {}

    /** A request message; {@code content} is a string, an array of parts, or null. */
    public record InMessage(String role, JsonNode content, String name, List<JsonNode> toolCalls, String toolCallId,
                            String refusal, JsonNode functionCall, @JsonAnySetter Map<String, JsonNode> extras) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Completion(
            String id,
            String object,
            long created,
            String model,
            List<Choice> choices,
            Usage usage,
            @JsonAnyGetter Map<String, Object> extras) {}

    /** {@code logprobs} is null when not asked for, and sent as null: the SDKs expect the field. */
    public record Choice(int index, OutMessage message, JsonNode logprobs, String finishReason,
                         @JsonAnyGetter Map<String, JsonNode> extras) {}

    /** {@code content} and {@code refusal} are sent even when null, as OpenAI does. */
    public record OutMessage(
            String role,
            String content,
            String refusal,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<ToolCall> toolCalls,
            @JsonInclude(JsonInclude.Include.NON_NULL) FunctionCall functionCall,
            @JsonAnyGetter Map<String, JsonNode> extras) {}

    public record ToolCall(String id, String type, FunctionCall function) {}

    public record FunctionCall(String name, String arguments) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Usage(int promptTokens, int completionTokens, int totalTokens, Object promptTokensDetails,
                        Object completionTokensDetails, @JsonAnyGetter Map<String, JsonNode> extras) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Chunk(
            String id,
            String object,
            long created,
            String model,
            List<ChunkChoice> choices,
            Usage usage,
            @JsonAnyGetter Map<String, Object> extras) {}

    /** {@code finish_reason} and {@code logprobs} are sent as null until set, as OpenAI does. */
    public record ChunkChoice(int index, Delta delta, JsonNode logprobs, String finishReason) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content, String refusal, List<ToolCallDelta> toolCalls,
                        FunctionCall functionCall, @JsonAnyGetter Map<String, JsonNode> extras) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolCallDelta(int index, String id, String type, FunctionDelta function) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FunctionDelta(String name, String arguments) {}

    public record ModelList(String object, List<ModelEntry> data) {}

    /** {@code capabilities}: Switchboard's addition, so a client can tell embedding models from chat models. */
    public record ModelEntry(String id, String object, long created, String ownedBy, List<String> capabilities) {}
}
