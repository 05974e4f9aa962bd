package dev.switchboard.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.json.Json;
import dev.switchboard.model.ChatDelta;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.Choice;
import dev.switchboard.model.Dialect;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.StreamSink;
import dev.switchboard.server.http.SseWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one streamed answer as {@code chat.completion.chunk} events: each choice opens with a role chunk, then its
 * text, refusal, tool-call fragments (index, id and name first, then argument fragments) and log-probabilities as
 * they arrive; at the end, a finish chunk per choice with the routing metadata, the usage chunk when the client
 * asked for it, and {@code [DONE]}.
 */
final class ChatStream implements StreamSink {
    private final SseWriter sse;
    private final String id;
    private final long created;
    private final boolean legacy;
    private final Set<Integer> opened = new HashSet<>();
    private final Set<String> calls = new HashSet<>();
    private String model;

    ChatStream(SseWriter sse, String id, long created, boolean legacy) {
        this.sse = sse;
        this.id = id;
        this.created = created;
        this.legacy = legacy;
    }

    /** The deployment that answers: its id is the chunks' {@code model}. */
    void servedBy(ModelInfo m) {
        model = m.modelId();
    }

    @Override
    public void accept(ChatDelta d) {
        if (!d.isOutput()) {
            return; // a choice's end: its finish chunk follows from the finished answer
        }
        open(d.choice());
        ChatWire.Delta delta;
        if (d.toolCall() != null) {
            delta = toolCall(d);
        } else {
            delta = new ChatWire.Delta(null, d.text(), d.refusal(), null, null, d.extras());
        }
        write(d.choice(), delta, d.logprobs(), null, null);
    }

    private ChatWire.Delta toolCall(ChatDelta d) {
        ChatDelta.ToolCallDelta t = d.toolCall();
        if (legacy) {
            return new ChatWire.Delta(null, null, null, null, new ChatWire.FunctionCall(t.name(), t.arguments()), Map.of());
        }
        boolean first = calls.add(d.choice() + ":" + t.index());
        String callId = t.id() != null ? t.id() : first ? ChatAnswers.callId() : null;
        ChatWire.ToolCallDelta call = new ChatWire.ToolCallDelta(t.index(), callId, first ? "function" : null,
                new ChatWire.FunctionDelta(t.name(), t.arguments() == null ? "" : t.arguments()));
        return new ChatWire.Delta(null, null, null, List.of(call), null, Map.of());
    }

    /** The role chunk that opens a choice, once. */
    private void open(int choice) {
        if (opened.add(choice)) {
            write(choice, new ChatWire.Delta("assistant", "", null, null, null, Map.of()), null, null, null);
        }
    }

    /** The end: a finish chunk per choice (the last carries the metadata), then usage when asked for, then [DONE]. */
    void finish(ChatResponse done, boolean includeUsage) {
        model = model == null ? done.modelId() : model;
        List<Choice> choices = done.choices();
        for (int i = 0; i < choices.size(); i++) {
            Choice c = choices.get(i);
            open(c.index());
            Map<String, Object> top = i == choices.size() - 1 ? ChatAnswers.topLevel(done) : Map.of();
            write(c.index(), new ChatWire.Delta(null, null, null, null, null, Map.of()), null,
                    ChatAnswers.finish(c.finishReason(), legacy), top);
        }
        if (includeUsage) {
            Map<String, Object> top = done.dialect() == Dialect.OPENAI_CHAT ? ChatAnswers.topLevel(done) : Map.of();
            sse.event(null, Json.bytes(new ChatWire.Chunk(id, "chat.completion.chunk", created, model, List.of(),
                    ChatAnswers.usage(done), top)));
        }
        sse.done();
    }

    private void write(int choice, ChatWire.Delta delta, JsonNode logprobs, String finish, Map<String, Object> top) {
        ChatWire.Chunk chunk = new ChatWire.Chunk(id, "chat.completion.chunk", created, model,
                List.of(new ChatWire.ChunkChoice(choice, delta, logprobs, finish)), null, top == null ? Map.of() : top);
        sse.event(null, Json.bytes(chunk));
    }
}
