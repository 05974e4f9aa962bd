package dev.switchboard.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the finished answer from the deltas of a stream, the same way for every provider: text and refusals
 * concatenated, tool calls assembled from their fragments by index, log-probabilities appended, and delta extras
 * merged (text concatenated, arrays appended, anything else replaced). What a stream reassembles to must equal the
 * answer the same request gets unstreamed.
 */
public final class StreamAccumulator {
    private final TreeMap<Integer, ChoiceState> choices = new TreeMap<>();

    public void add(ChatDelta d) {
        ChoiceState c = choices.computeIfAbsent(d.choice(), i -> new ChoiceState());
        if (d.text() != null) {
            c.text = c.text == null ? new StringBuilder(d.text()) : c.text.append(d.text());
        }
        if (d.refusal() != null) {
            c.refusal = c.refusal == null ? new StringBuilder(d.refusal()) : c.refusal.append(d.refusal());
        }
        if (d.toolCall() != null) {
            ChatDelta.ToolCallDelta t = d.toolCall();
            CallState call = c.calls.computeIfAbsent(t.index(), i -> new CallState());
            if (t.id() != null && !t.id().isEmpty()) {
                call.id = t.id();
            }
            if (t.name() != null && !t.name().isEmpty()) {
                call.name = call.name == null ? t.name() : call.name;
            }
            if (t.arguments() != null) {
                call.arguments.append(t.arguments());
            }
        }
        if (d.logprobs() != null && d.logprobs().isObject()) {
            c.logprobs = c.logprobs == null ? JsonNodeFactory.instance.objectNode() : c.logprobs;
            d.logprobs().fields().forEachRemaining(e -> merge(c.logprobs, e.getKey(), e.getValue()));
        }
        if (d.finishReason() != null) {
            c.finish = d.finishReason();
        }
        if (!d.extras().isEmpty()) {
            d.extras().forEach((k, v) -> merge(c.extras, k, v));
        }
    }

    /** Whether some choice has ended. */
    public boolean finished() {
        return choices.values().stream().anyMatch(c -> c.finish != null);
    }

    /** Whether any answer (text, refusal, tool call) arrived. */
    public boolean hasOutput() {
        return choices.values().stream().anyMatch(c -> c.text != null && !c.text.isEmpty()
                || c.refusal != null && !c.refusal.isEmpty() || !c.calls.isEmpty());
    }

    public List<Choice> choices() {
        if (choices.isEmpty()) {
            return List.of(Choice.text("", FinishReason.STOP));
        }
        List<Choice> out = new ArrayList<>(choices.size());
        choices.forEach((index, c) -> out.add(c.toChoice(index)));
        return out;
    }

    public ChatResponse response(String id, String modelId, String provider, Usage usage, Dialect dialect,
                                 Map<String, JsonNode> extras) {
        return new ChatResponse(id, choices(), modelId, provider, usage, 0, Map.of(), dialect, extras);
    }

    /**
     * Passes a whole answer to a stream's sink as the deltas that reassemble to it: for an upstream that answered a
     * stream request with one JSON body.
     */
    public static void replay(ChatResponse r, StreamSink sink) {
        for (Choice c : r.choices()) {
            Message m = c.message();
            if (!m.text().isEmpty()) {
                sink.accept(ChatDelta.text(c.index(), m.text()));
            }
            if (m.refusal() != null) {
                sink.accept(new ChatDelta(c.index(), null, m.refusal(), null, null, null, null));
            }
            for (int i = 0; i < m.toolCalls().size(); i++) {
                ToolCall call = m.toolCalls().get(i);
                sink.accept(ChatDelta.toolCall(c.index(), i, call.id(), call.name(), call.arguments()));
            }
            sink.accept(new ChatDelta(c.index(), null, null, null, c.logprobs(), c.finishReason(), m.extras()));
        }
    }

    private static void merge(Map<String, JsonNode> into, String key, JsonNode value) {
        JsonNode had = into.get(key);
        into.put(key, merged(had, value));
    }

    private static void merge(ObjectNode into, String key, JsonNode value) {
        into.set(key, merged(into.get(key), value));
    }

    private static JsonNode merged(JsonNode had, JsonNode value) {
        if (had == null || had.isNull()) {
            return value == null ? null : value.deepCopy();
        }
        if (value == null || value.isNull()) {
            return had;
        }
        if (had.isTextual() && value.isTextual()) {
            return TextNode.valueOf(had.asText() + value.asText());
        }
        if (had.isArray() && value.isArray()) {
            ArrayNode joined = ((ArrayNode) had).deepCopy();
            joined.addAll((ArrayNode) value);
            return joined;
        }
        return value.deepCopy();
    }

    private static final class ChoiceState {
        StringBuilder text;
        StringBuilder refusal;
        final TreeMap<Integer, CallState> calls = new TreeMap<>();
        ObjectNode logprobs;
        FinishReason finish;
        final Map<String, JsonNode> extras = new LinkedHashMap<>();

        Choice toChoice(int index) {
            List<ToolCall> toolCalls = new ArrayList<>(calls.size());
            for (CallState call : calls.values()) {
                if (call.name != null) {
                    toolCalls.add(new ToolCall(call.id, call.name, call.arguments.toString()));
                }
            }
            List<ContentPart> content = text != null || toolCalls.isEmpty() && refusal == null
                    ? List.of(new ContentPart.Text(text == null ? "" : text.toString())) : List.of();
            Message message = new Message(Role.ASSISTANT, content, null, toolCalls, null,
                    refusal == null ? null : refusal.toString(), extras);
            FinishReason reason = finish != null ? finish : toolCalls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS;
            return new Choice(index, message, reason, logprobs, null);
        }
    }

    private static final class CallState {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }
}
