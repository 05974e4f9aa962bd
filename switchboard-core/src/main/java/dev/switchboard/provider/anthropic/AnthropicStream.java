package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.model.ChatDelta;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.Choice;
import dev.switchboard.model.StreamAccumulator;
import dev.switchboard.model.Usage;
import dev.switchboard.provider.anthropic.AnthropicWire.StreamEvent;
import dev.switchboard.provider.anthropic.AnthropicWire.WireUsage;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Translates one Messages stream into canonical deltas as the events arrive: {@code text_delta} → text;
 * {@code content_block_start} of a {@code tool_use} → the call's id and name, then each {@code input_json_delta}
 * → a fragment of its arguments (the forced JSON tool's fragments are text instead); {@code message_delta} → the
 * finish reason. Tool calls are numbered in the order their blocks start, as OpenAI numbers its tool-call deltas.
 */
final class AnthropicStream {
    private enum Kind { TEXT, TOOL, JSON, OTHER }

    private record Block(Kind kind, int call) {}

    private final String jsonTool;
    private final Consumer<ChatDelta> out;
    private final StreamAccumulator answer = new StreamAccumulator();
    private final Map<Integer, Block> blocks = new HashMap<>();
    private final Map<Integer, Boolean> inputSeen = new HashMap<>();
    private int calls;
    private String id;
    private String model;
    private WireUsage usage;
    private String stopReason;
    private String stopSequence;
    private boolean stopped;

    /** @param out hears every delta, after the accumulator that builds the finished answer */
    AnthropicStream(String jsonTool, Consumer<ChatDelta> out) {
        this.jsonTool = jsonTool;
        this.out = out;
    }

    /** Takes one event; true when it was {@code message_stop}, the end of the answer. */
    boolean accept(String type, StreamEvent e) {
        switch (type) {
            case "message_start" -> {
                if (e.message() != null) {
                    id = e.message().id();
                    model = e.message().model();
                    usage = AnthropicAnswers.latest(usage, e.message().usage());
                }
            }
            case "content_block_start" -> start(e.index() == null ? blocks.size() : e.index(), e.contentBlock());
            case "content_block_delta" -> delta(e);
            case "content_block_stop" -> stop(e.index());
            case "message_delta" -> {
                if (e.delta() != null && e.delta().stopReason() != null) {
                    stopReason = e.delta().stopReason();
                    stopSequence = e.delta().stopSequence();
                    boolean json = jsonTool != null && "tool_use".equals(stopReason) && calls == 0;
                    emit(ChatDelta.finish(0, AnthropicAnswers.finishReason(json ? "end_turn" : stopReason)));
                }
                usage = AnthropicAnswers.latest(usage, e.usage());
            }
            case "message_stop" -> {
                stopped = true;
                return true;
            }
            default -> { } // ping, and event types added in later API versions
        }
        return false;
    }

    private void start(int index, JsonNode block) {
        String type = block == null ? "" : block.path("type").asText("");
        switch (type) {
            case "text" -> {
                blocks.put(index, new Block(Kind.TEXT, -1));
                String text = block.path("text").asText("");
                if (!text.isEmpty()) {
                    emit(ChatDelta.text(0, text));
                }
            }
            case "tool_use" -> {
                if (block.path("name").asText().equals(jsonTool)) {
                    blocks.put(index, new Block(Kind.JSON, -1));
                } else {
                    int call = calls++;
                    blocks.put(index, new Block(Kind.TOOL, call));
                    emit(ChatDelta.toolCall(0, call, block.path("id").asText(null), block.path("name").asText(), ""));
                }
            }
            default -> blocks.put(index, new Block(Kind.OTHER, -1)); // thinking and kinds not translated
        }
    }

    private void delta(StreamEvent e) {
        Block b = e.index() == null ? null : blocks.get(e.index());
        AnthropicWire.Delta d = e.delta();
        if (b == null || d == null) {
            return;
        }
        if ("text_delta".equals(d.type()) && b.kind() == Kind.TEXT && d.text() != null && !d.text().isEmpty()) {
            emit(ChatDelta.text(0, d.text()));
        } else if ("input_json_delta".equals(d.type()) && d.partialJson() != null && !d.partialJson().isEmpty()) {
            inputSeen.put(e.index(), true);
            if (b.kind() == Kind.TOOL) {
                emit(ChatDelta.toolCall(0, b.call(), null, null, d.partialJson()));
            } else if (b.kind() == Kind.JSON) {
                emit(ChatDelta.text(0, d.partialJson()));
            }
        }
    }

    /** A tool that takes no input streams no input: its arguments are then the empty object, as unstreamed. */
    private void stop(Integer index) {
        Block b = index == null ? null : blocks.get(index);
        if (b != null && b.kind() != Kind.TEXT && b.kind() != Kind.OTHER && !inputSeen.containsKey(index)) {
            emit(b.kind() == Kind.TOOL ? ChatDelta.toolCall(0, b.call(), null, null, "{}") : ChatDelta.text(0, "{}"));
        }
    }

    private void emit(ChatDelta d) {
        answer.add(d);
        out.accept(d);
    }

    boolean stopped() {
        return stopped;
    }

    /** The finished answer, judged like an unstreamed one (refusals, stop reasons). */
    ChatResponse response(String provider, String modelId) {
        Choice c = answer.choices().getFirst();
        boolean json = jsonTool != null && "tool_use".equals(stopReason) && c.message().toolCalls().isEmpty();
        Usage u = AnthropicAnswers.usage(usage);
        return AnthropicAnswers.response(id, c.message().content(), c.message().toolCalls(), json ? "end_turn" : stopReason,
                stopSequence, u, provider, modelId, null, model);
    }
}
