package dev.switchboard.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.FinishReason;
import dev.switchboard.model.ToolCall;
import dev.switchboard.model.Usage;
import dev.switchboard.server.openai.ChatWire;
import java.util.List;
import java.util.Map;

/**
 * The seed's {@code /generate} answer: {@code text}, {@code model_id}, {@code provider}, {@code usage},
 * {@code latency_ms} and {@code metadata}, plus the finish reason and, when the model called tools, the calls in
 * OpenAI's shape.
 */
public record GenerateResponse(
        String id,
        String text,
        String modelId,
        String provider,
        Usage usage,
        double latencyMs,
        FinishReason finishReason,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ChatWire.ToolCall> toolCalls,
        Map<String, Object> metadata) {

    public static GenerateResponse of(ChatResponse r) {
        List<ChatWire.ToolCall> calls = r.toolCalls().stream()
                .map(c -> new ChatWire.ToolCall(c.id(), "function", new ChatWire.FunctionCall(c.name(), c.arguments())))
                .toList();
        return new GenerateResponse(r.id(), r.text(), r.modelId(), r.provider(), r.usage(), r.latencyMs(), r.finishReason(),
                calls, r.metadata());
    }

    /** Back into the canonical answer (the CLI reads a remote service's answers this way). */
    public ChatResponse toChatResponse() {
        List<ToolCall> calls = toolCalls == null ? List.of() : toolCalls.stream()
                .map(c -> new ToolCall(c.id(), c.function().name(), c.function().arguments())).toList();
        ChatResponse plain = new ChatResponse(id, text, modelId, provider, usage, latencyMs, finishReason, metadata);
        if (calls.isEmpty()) {
            return plain;
        }
        return new ChatResponse(id, List.of(new dev.switchboard.model.Choice(0, dev.switchboard.model.Message.assistant(text, calls),
                finishReason, null, null)), modelId, provider, usage, latencyMs, metadata, null, null);
    }
}
