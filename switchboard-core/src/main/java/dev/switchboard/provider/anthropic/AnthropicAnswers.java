package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.json.Json;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.Choice;
import dev.switchboard.model.ContentPart;
import dev.switchboard.model.Dialect;
import dev.switchboard.model.FinishReason;
import dev.switchboard.model.Message;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.Role;
import dev.switchboard.model.ToolCall;
import dev.switchboard.model.Usage;
import dev.switchboard.provider.anthropic.AnthropicWire.WireUsage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic Messages answer → canonical: text blocks are text parts, {@code tool_use} blocks are tool calls (their
 * input as JSON text), the forced JSON tool's input is the answer's text, and blocks of other kinds (thinking) are
 * kept whole for a door of this dialect. Stop reasons become finish reasons; cached prompt tokens count as prompt.
 */
public final class AnthropicAnswers {
    private AnthropicAnswers() {}

    /** A complete answer. {@code jsonTool}: the forced tool whose input is the answer, or null. */
    public static ChatResponse fromWire(AnthropicWire.Message message, String provider, String modelId, String jsonTool) {
        if (message.content() == null) {
            throw new ModelFailure.Unavailable(provider, modelId, 200, provider + " returned a message without content", null);
        }
        List<ContentPart> parts = new ArrayList<>(message.content().size());
        List<ToolCall> calls = new ArrayList<>(0);
        for (JsonNode b : message.content()) {
            String type = b.path("type").asText("");
            switch (type) {
                case "text" -> parts.add(new ContentPart.Text(b.path("text").asText(""), Json.fieldsExcept(b, "type", "text")));
                case "tool_use" -> {
                    String input = b.path("input").isMissingNode() ? "{}" : b.get("input").toString();
                    if (b.path("name").asText().equals(jsonTool)) {
                        parts.add(new ContentPart.Text(input));
                    } else {
                        calls.add(new ToolCall(b.path("id").asText(null), b.path("name").asText(), input));
                    }
                }
                default -> parts.add(new ContentPart.Opaque(type, b));
            }
        }
        boolean json = jsonTool != null && calls.isEmpty() && "tool_use".equals(message.stopReason());
        return response(message.id(), parts, calls, json ? "end_turn" : message.stopReason(), message.stopSequence(),
                usage(message.usage()), provider, modelId, message.extras(), message.model());
    }

    /** Shared by the streamed and the whole answer, so both judge refusals and stop reasons alike. */
    static ChatResponse response(String id, List<ContentPart> parts, List<ToolCall> calls, String stopReason,
                                 String stopSequence, Usage usage, String provider, String modelId,
                                 Map<String, JsonNode> extras, String upstreamModel) {
        FinishReason finish = finishReason(stopReason);
        Message message = new Message(Role.ASSISTANT, parts.isEmpty() && !calls.isEmpty() ? List.of() : parts, null, calls,
                null, null, null);
        if (finish == FinishReason.CONTENT_FILTER && message.text().isEmpty() && calls.isEmpty()) {
            throw new ModelFailure.ContentRefused(provider, modelId, 200, provider + " refused the request (stop_reason " + stopReason + ")");
        }
        Map<String, JsonNode> choiceExtras = stopSequence == null ? Map.of()
                : Map.of("stop_sequence", com.fasterxml.jackson.databind.node.TextNode.valueOf(stopSequence));
        Map<String, Object> meta = upstreamModel == null ? Map.of() : Map.of("upstream_model", upstreamModel);
        return new ChatResponse(id, List.of(new Choice(0, message, finish, null, choiceExtras)), modelId, provider, usage, 0,
                meta, Dialect.ANTHROPIC_MESSAGES, extras);
    }

    /**
     * end_turn, stop_sequence and pause_turn are a normal stop, max_tokens a length cut-off, tool_use a tool call,
     * refusal a content refusal; running out of context window is a length cut-off too.
     */
    public static FinishReason finishReason(String stopReason) {
        return FinishReason.fromWire(stopReason);
    }

    /** Input tokens plus cache reads and writes make the prompt; the cache figures are kept apart as well. */
    public static Usage usage(WireUsage u) {
        if (u == null) {
            return Usage.NONE;
        }
        int prompt = n(u.inputTokens()) + n(u.cacheCreationInputTokens()) + n(u.cacheReadInputTokens());
        return new Usage(prompt, n(u.outputTokens()), prompt + n(u.outputTokens()), null, u.cacheReadInputTokens(),
                u.cacheCreationInputTokens(), null, u.extras());
    }

    /**
     * A stream reports usage twice: in message_start and, cumulatively, in message_delta. The later report wins
     * field by field; adding them would count the output twice.
     */
    public static WireUsage latest(WireUsage earlier, WireUsage later) {
        if (earlier == null || later == null) {
            return later == null ? earlier : later;
        }
        Map<String, JsonNode> extras = new LinkedHashMap<>();
        if (earlier.extras() != null) {
            extras.putAll(earlier.extras());
        }
        if (later.extras() != null) {
            extras.putAll(later.extras());
        }
        return new WireUsage(
                later.inputTokens() != null ? later.inputTokens() : earlier.inputTokens(),
                later.outputTokens() != null ? later.outputTokens() : earlier.outputTokens(),
                later.cacheCreationInputTokens() != null ? later.cacheCreationInputTokens() : earlier.cacheCreationInputTokens(),
                later.cacheReadInputTokens() != null ? later.cacheReadInputTokens() : earlier.cacheReadInputTokens(),
                extras.isEmpty() ? null : extras);
    }

    /**
     * The HTTP status Anthropic uses for an error type, for errors that arrive inside a 200 stream. Unknown types
     * count as api_error: a server-side failure.
     */
    public static int statusOf(String errorType) {
        return switch (errorType == null ? "" : errorType) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "overloaded_error" -> 529;
            default -> 500;
        };
    }


    private static int n(Integer i) {
        return i == null ? 0 : i;
    }
}
