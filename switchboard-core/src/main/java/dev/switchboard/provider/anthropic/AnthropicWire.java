package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's Messages API wire format, as records (snake_case through the shared mapper). Content blocks stay
 * JSON trees: the API has many kinds (text, image, tool_use, tool_result, thinking, document …) and new ones keep
 * coming; the mappers read the kinds they translate and keep the others whole. Fields an answer carries beyond
 * these records land in {@code extras}, for a door of this dialect.
 */
public final class AnthropicWire {
    private AnthropicWire() {}

    /**
     * {@code max_tokens} is required by the API, so it is a primitive here: a request cannot be built without it.
     * {@code system} is a string or an array of text blocks; {@code extras} are fields a client sent in this same
     * dialect that the canonical request has no field for.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MessagesRequest(
            String model,
            int maxTokens,
            List<WireMessage> messages,
            JsonNode system,
            Double temperature,
            Double topP,
            Integer topK,
            List<String> stopSequences,
            Boolean stream,
            List<JsonNode> tools,
            JsonNode toolChoice,
            JsonNode metadata,
            @JsonAnyGetter Map<String, JsonNode> extras) {}

    /** {@code content} is a string, or an array of content blocks. */
    public record WireMessage(String role, JsonNode content) {}

    public record Message(
            String id,
            String type,
            String role,
            String model,
            List<JsonNode> content,
            String stopReason,
            String stopSequence,
            WireUsage usage,
            @JsonAnySetter Map<String, JsonNode> extras) {}

    /** Cached prompt tokens are counted apart from {@code input_tokens}; the prompt is their sum. */
    public record WireUsage(
            Integer inputTokens,
            Integer outputTokens,
            Integer cacheCreationInputTokens,
            Integer cacheReadInputTokens,
            @JsonAnySetter Map<String, JsonNode> extras) {

        public WireUsage(Integer inputTokens, Integer outputTokens, Integer cacheCreationInputTokens, Integer cacheReadInputTokens) {
            this(inputTokens, outputTokens, cacheCreationInputTokens, cacheReadInputTokens, null);
        }
    }

    /**
     * Any streamed event: {@code message_start} carries {@code message}; {@code content_block_*} carry
     * {@code index} and {@code content_block} or {@code delta}; {@code message_delta} carries {@code delta}
     * (stop reason) and {@code usage}; {@code error} carries {@code error}.
     */
    public record StreamEvent(
            String type,
            Message message,
            Integer index,
            JsonNode contentBlock,
            Delta delta,
            WireUsage usage,
            ErrorBody error) {}

    /**
     * A content delta ({@code text_delta} with {@code text}, {@code input_json_delta} with {@code partial_json},
     * {@code thinking_delta}, {@code signature_delta}) or a message delta ({@code stop_reason}).
     */
    public record Delta(String type, String text, String partialJson, String stopReason, String stopSequence) {}

    public record ModelList(List<ModelEntry> data, Boolean hasMore, String firstId, String lastId) {}

    public record ModelEntry(String type, String id, String displayName, String createdAt) {}

    public record ErrorBody(String type, String message) {}
}
