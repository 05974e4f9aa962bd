package dev.switchboard.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.Choice;
import dev.switchboard.model.Dialect;
import dev.switchboard.model.FinishReason;
import dev.switchboard.model.Message;
import dev.switchboard.model.ToolCall;
import dev.switchboard.model.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The canonical answer → Switchboard's {@code /v1/chat/completions} answer. What an OpenAI-dialect upstream said
 * beyond the canonical fields ({@code system_fingerprint}, {@code service_tier}, message {@code annotations}, usage
 * details) comes back unchanged; Switchboard adds {@code metadata} with the routing explanation (SDKs ignore it).
 */
final class ChatAnswers {
    private ChatAnswers() {}

    static ChatWire.Completion completion(ChatResponse r, String id, long created, boolean legacy) {
        boolean same = r.dialect() == Dialect.OPENAI_CHAT;
        List<ChatWire.Choice> choices = new ArrayList<>(r.choices().size());
        for (Choice c : r.choices()) {
            choices.add(new ChatWire.Choice(c.index(), message(c.message(), legacy, same), c.logprobs(),
                    finish(c.finishReason(), legacy), same ? c.extras() : Map.of()));
        }
        return new ChatWire.Completion(id, "chat.completion", created, r.modelId(), choices, usage(r), topLevel(r));
    }

    private static ChatWire.OutMessage message(Message m, boolean legacy, boolean same) {
        String content = m.content().isEmpty() ? null : m.text();
        List<ChatWire.ToolCall> calls = null;
        ChatWire.FunctionCall function = null;
        if (!m.toolCalls().isEmpty()) {
            if (legacy) {
                ToolCall c = m.toolCalls().getFirst();
                function = new ChatWire.FunctionCall(c.name(), c.arguments());
            } else {
                calls = new ArrayList<>(m.toolCalls().size());
                for (ToolCall c : m.toolCalls()) {
                    calls.add(new ChatWire.ToolCall(c.id() != null ? c.id() : callId(), "function",
                            new ChatWire.FunctionCall(c.name(), c.arguments())));
                }
            }
        }
        return new ChatWire.OutMessage("assistant", content, m.refusal(), calls, function, same ? m.extras() : Map.of());
    }

    /** A call id for upstreams that give none (OpenAI's legacy functions): {@code call_} and 24 hex digits. */
    static String callId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "call_" + java.util.HexFormat.of().toHexDigits(r.nextLong()) + java.util.HexFormat.of().toHexDigits(r.nextInt());
    }

    static String finish(FinishReason f, boolean legacy) {
        return legacy && f == FinishReason.TOOL_CALLS ? "function_call" : f.wire();
    }

    /**
     * Counts, with the upstream's own details when it speaks OpenAI, else the details Switchboard knows (cached
     * prompt tokens, reasoning tokens) in OpenAI's shape.
     */
    static ChatWire.Usage usage(ChatResponse r) {
        Usage u = r.usage();
        Map<String, JsonNode> extras = new LinkedHashMap<>(r.dialect() == Dialect.OPENAI_CHAT ? u.extras() : Map.of());
        Object promptDetails = extras.remove("prompt_tokens_details");
        Object completionDetails = extras.remove("completion_tokens_details");
        if (promptDetails == null && u.cachedPromptTokens() != null) {
            promptDetails = details("cached_tokens", u.cachedPromptTokens());
        }
        if (completionDetails == null && u.reasoningTokens() != null) {
            completionDetails = details("reasoning_tokens", u.reasoningTokens());
        }
        return new ChatWire.Usage(u.promptTokens(), u.completionTokens(), u.totalTokens(), promptDetails, completionDetails, extras);
    }

    private static ObjectNode details(String field, int value) {
        return JsonNodeFactory.instance.objectNode().put(field, value);
    }

    /** The upstream's top-level extras when it speaks OpenAI, and Switchboard's metadata. */
    static Map<String, Object> topLevel(ChatResponse r) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (r.dialect() == Dialect.OPENAI_CHAT) {
            r.extras().forEach((k, v) -> {
                if (!k.equals("metadata")) {
                    out.put(k, v);
                }
            });
        }
        Map<String, Object> meta = metadata(r);
        if (meta != null) {
            out.put("metadata", meta);
        }
        return out;
    }

    /** The routing explanation, and the fields the serving upstream was not given. */
    static Map<String, Object> metadata(ChatResponse r) {
        Object routing = r.metadata().get("routing");
        Object unforwarded = r.metadata().get("not_forwarded");
        if (routing == null && unforwarded == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (routing != null) {
            out.put("routing", routing);
        }
        if (unforwarded != null) {
            out.put("not_forwarded", unforwarded);
        }
        return out;
    }
}
