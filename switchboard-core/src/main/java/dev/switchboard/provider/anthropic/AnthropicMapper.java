package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.FinishReason;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.Message;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.Role;
import dev.switchboard.model.Usage;
import dev.switchboard.provider.anthropic.AnthropicWire.ContentBlock;
import dev.switchboard.provider.anthropic.AnthropicWire.MessagesRequest;
import dev.switchboard.provider.anthropic.AnthropicWire.WireMessage;
import dev.switchboard.provider.anthropic.AnthropicWire.WireUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Domain ↔ Anthropic Messages wire. */
public final class AnthropicMapper {
    /** Anthropic's temperature range is 0..1, half of OpenAI's. */
    static final double MAX_TEMPERATURE = 1.0;

    private AnthropicMapper() {}

    /** One turn of the alternating conversation Anthropic requires; {@code parts} are the merged messages' texts. */
    public record Turn(Role role, List<String> parts) {
        public Turn {
            parts = List.copyOf(parts);
        }
    }

    /** The system prompt (null when there is none) and the user/assistant turns, strictly alternating. */
    public record Conversation(String system, List<Turn> turns) {
        public Conversation {
            turns = List.copyOf(turns);
        }
    }

    /**
     * Reshapes a chat for the Messages API. System messages, wherever they stand, are joined into the top-level
     * {@code system} field (the API has no system role). Consecutive messages of one role become one turn, because
     * the API requires alternation; their texts stay separate content blocks, so nothing is invented between them.
     * A chat whose first turn is the assistant's is rejected rather than given a made-up user turn: what such a
     * turn should say is the caller's decision, not ours.
     */
    public static Conversation conversation(List<Message> messages) {
        List<String> system = new ArrayList<>();
        List<Role> roles = new ArrayList<>();
        List<List<String>> parts = new ArrayList<>();
        for (Message m : messages) {
            Role role = m.role();
            if (role == Role.SYSTEM) {
                if (!m.content().isBlank()) {
                    system.add(m.content());
                }
                continue;
            }
            if (role == Role.TOOL) {
                throw new InvalidRequestException("messages", "tool messages are not supported by Anthropic providers");
            }
            if (roles.isEmpty() && role == Role.ASSISTANT) {
                throw new InvalidRequestException("messages", "Anthropic models need the conversation to start with a user "
                        + "message (system messages aside); this one starts with an assistant message");
            }
            if (!roles.isEmpty() && roles.getLast() == role) {
                parts.getLast().add(m.content());
            } else {
                roles.add(role);
                parts.add(new ArrayList<>(List.of(m.content())));
            }
        }
        if (roles.isEmpty()) {
            throw new InvalidRequestException("messages", "Anthropic models need at least one user message; this request has only system messages");
        }
        List<Turn> turns = new ArrayList<>(roles.size());
        for (int i = 0; i < roles.size(); i++) {
            turns.add(new Turn(roles.get(i), withoutEmptyParts(parts.get(i))));
        }
        return new Conversation(system.isEmpty() ? null : String.join("\n\n", system), turns);
    }

    /** The API rejects empty text blocks; an empty message merged with others adds nothing anyway. */
    private static List<String> withoutEmptyParts(List<String> parts) {
        if (parts.size() == 1) {
            return parts;
        }
        List<String> kept = parts.stream().filter(p -> !p.isEmpty()).toList();
        return kept.isEmpty() ? List.of("") : kept;
    }

    public static MessagesRequest toWire(ChatRequest request, String upstreamModel, int defaultMaxTokens, boolean stream) {
        if (request.temperature() != null && request.temperature() > MAX_TEMPERATURE) {
            throw new InvalidRequestException("temperature", "Anthropic models accept 0 to 1, got " + request.temperature());
        }
        Conversation c = conversation(request.messages());
        List<WireMessage> messages = new ArrayList<>(c.turns().size());
        for (Turn t : c.turns()) {
            messages.add(new WireMessage(t.role().wire(), content(t.parts())));
        }
        Map<String, Object> o = request.options();
        return new MessagesRequest(
                upstreamModel,
                request.maxTokens() != null ? request.maxTokens() : defaultMaxTokens,
                messages,
                c.system(),
                request.temperature(),
                request.topP(),
                o.get("top_k") instanceof Number n ? n.intValue() : null,
                request.stop().isEmpty() ? null : request.stop(),
                stream ? Boolean.TRUE : null);
    }

    private static JsonNode content(List<String> parts) {
        if (parts.size() == 1) {
            return TextNode.valueOf(parts.getFirst());
        }
        ArrayNode blocks = JsonNodeFactory.instance.arrayNode();
        for (String p : parts) {
            blocks.addObject().put("type", "text").put("text", p);
        }
        return blocks;
    }

    /** A complete answer: the text blocks joined (thinking and tool blocks are not text). */
    public static ChatResponse fromWire(AnthropicWire.Message message, String provider, String modelId) {
        if (message.content() == null) {
            throw new ModelFailure.Unavailable(provider, modelId, 200, provider + " returned a message without content", null);
        }
        StringBuilder text = new StringBuilder();
        for (ContentBlock b : message.content()) {
            if ("text".equals(b.type()) && b.text() != null) {
                text.append(b.text());
            }
        }
        return response(message.id(), text.toString(), message.stopReason(), usage(message.usage()), provider, modelId);
    }

    /** Shared by the streamed and the whole answer, so both judge refusals and stop reasons alike. */
    static ChatResponse response(String id, String text, String stopReason, Usage usage, String provider, String modelId) {
        FinishReason finish = finishReason(stopReason);
        if (finish == FinishReason.CONTENT_FILTER && text.isEmpty()) {
            throw new ModelFailure.ContentRefused(provider, modelId, 200, provider + " refused the request (stop_reason " + stopReason + ")");
        }
        return new ChatResponse(id, text, modelId, provider, usage, 0, finish, Map.of());
    }

    /**
     * end_turn, stop_sequence and pause_turn are a normal stop, max_tokens a length cut-off, tool_use a tool call,
     * refusal a content refusal; running out of context window is a length cut-off too.
     */
    public static FinishReason finishReason(String stopReason) {
        if ("model_context_window_exceeded".equals(stopReason)) {
            return FinishReason.LENGTH;
        }
        return FinishReason.fromWire(stopReason);
    }

    public static Usage usage(WireUsage u) {
        if (u == null) {
            return Usage.NONE;
        }
        int prompt = n(u.inputTokens()) + n(u.cacheCreationInputTokens()) + n(u.cacheReadInputTokens());
        return Usage.of(prompt, n(u.outputTokens()));
    }

    /**
     * A stream reports usage twice: in message_start and, cumulatively, in message_delta. The later report wins
     * field by field; adding them would count the output twice.
     */
    public static WireUsage latest(WireUsage earlier, WireUsage later) {
        if (earlier == null || later == null) {
            return later == null ? earlier : later;
        }
        return new WireUsage(
                later.inputTokens() != null ? later.inputTokens() : earlier.inputTokens(),
                later.outputTokens() != null ? later.outputTokens() : earlier.outputTokens(),
                later.cacheCreationInputTokens() != null ? later.cacheCreationInputTokens() : earlier.cacheCreationInputTokens(),
                later.cacheReadInputTokens() != null ? later.cacheReadInputTokens() : earlier.cacheReadInputTokens());
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
