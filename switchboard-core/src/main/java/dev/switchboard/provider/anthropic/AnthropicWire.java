package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Anthropic's Messages API wire format, as records (snake_case through the shared mapper). Only the fields
 * Switchboard reads or writes are here; unknown fields in answers are ignored, so new API versions keep working.
 */
public final class AnthropicWire {
    private AnthropicWire() {}

    /** {@code max_tokens} is required by the API, so it is a primitive here: a request cannot be built without it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MessagesRequest(
            String model,
            int maxTokens,
            List<WireMessage> messages,
            String system,
            Double temperature,
            Double topP,
            Integer topK,
            List<String> stopSequences,
            Boolean stream) {}

    /** {@code content} is a string, or an array of content blocks when several turns were merged into one. */
    public record WireMessage(String role, JsonNode content) {}

    public record Message(
            String id,
            String type,
            String role,
            String model,
            List<ContentBlock> content,
            String stopReason,
            String stopSequence,
            WireUsage usage) {}

    /** A text block carries {@code text}; thinking and tool_use blocks carry other fields we do not pass on. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContentBlock(String type, String text) {}

    /** Cached prompt tokens are counted apart from {@code input_tokens}; the prompt is their sum. */
    public record WireUsage(
            Integer inputTokens,
            Integer outputTokens,
            Integer cacheCreationInputTokens,
            Integer cacheReadInputTokens) {}

    /**
     * Any streamed event: {@code message_start} carries {@code message}; {@code content_block_*} carry
     * {@code index} and {@code content_block} or {@code delta}; {@code message_delta} carries {@code delta}
     * (stop reason) and {@code usage}; {@code error} carries {@code error}.
     */
    public record StreamEvent(
            String type,
            Message message,
            Integer index,
            ContentBlock contentBlock,
            Delta delta,
            WireUsage usage,
            ErrorBody error) {}

    /** A content delta ({@code text_delta} with {@code text}) or a message delta ({@code stop_reason}). */
    public record Delta(String type, String text, String stopReason, String stopSequence) {}

    public record ModelList(List<ModelEntry> data, Boolean hasMore, String firstId, String lastId) {}

    public record ModelEntry(String type, String id, String displayName, String createdAt) {}

    public record ErrorBody(String type, String message) {}
}
