package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.json.Json;
import dev.switchboard.model.ChatDelta;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.StreamAccumulator;
import dev.switchboard.model.ToolCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A streamed answer, translated event by event into canonical deltas, reassembles to exactly the answer the same
 * message gives unstreamed: the same text, the same tool calls (ids, names, arguments as JSON values) in the same
 * order, the same finish reason. The events are cut the way the API cuts them: text in arbitrary pieces, a tool's
 * input as fragments of its JSON (the first often empty, the whitespace the API's own), a tool without input
 * streaming no fragment at all.
 */
class AnthropicStreamProperties {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Property(tries = 300)
    void aStreamedAnswerReassemblesToTheUnstreamedOne(@ForAll long seed) {
        Random rnd = new Random(seed);
        ObjectNode message = message(rnd);

        ChatResponse whole = AnthropicAnswers.fromWire(parse(message, AnthropicWire.Message.class), "claude", "m", null);
        List<ChatDelta> deltas = new ArrayList<>();
        AnthropicStream stream = new AnthropicStream(null, deltas::add);
        for (ObjectNode event : events(message, rnd)) {
            stream.accept(event.path("type").asText(), parse(event, AnthropicWire.StreamEvent.class));
        }
        ChatResponse streamed = stream.response("claude", "m");
        StreamAccumulator fromDeltas = new StreamAccumulator();
        deltas.forEach(fromDeltas::add);

        for (ChatResponse r : List.of(streamed, fromDeltas.response(null, "m", "claude", null, null, null))) {
            assertThat(r.text()).isEqualTo(whole.text());
            assertThat(calls(r)).isEqualTo(calls(whole));
        }
        assertThat(streamed.finishReason()).isEqualTo(whole.finishReason());
        assertThat(streamed.usage()).isEqualTo(whole.usage());
    }

    @Property(tries = 200)
    void theForcedJsonToolStreamsAsTheAnswersText(@ForAll long seed) {
        Random rnd = new Random(seed);
        ObjectNode input = input(rnd);
        ObjectNode message = skeleton();
        message.putArray("content").addObject().put("type", "tool_use").put("id", "toolu_json").put("name", "answer")
                .set("input", input);
        message.put("stop_reason", "tool_use");

        ChatResponse whole = AnthropicAnswers.fromWire(parse(message, AnthropicWire.Message.class), "claude", "m", "answer");
        AnthropicStream stream = new AnthropicStream("answer", d -> { });
        for (ObjectNode event : events(message, rnd)) {
            stream.accept(event.path("type").asText(), parse(event, AnthropicWire.StreamEvent.class));
        }
        ChatResponse streamed = stream.response("claude", "m");

        assertThat(tree(streamed.text())).isEqualTo(input);
        assertThat(tree(whole.text())).isEqualTo(input);
        assertThat(streamed.toolCalls()).isEmpty();
        assertThat(streamed.finishReason()).isEqualTo(whole.finishReason()).isEqualTo(dev.switchboard.model.FinishReason.STOP);
    }

    /** Calls with their arguments parsed, so the JSON's spacing does not matter. */
    private static List<String> calls(ChatResponse r) {
        return r.toolCalls().stream().map(c -> c.id() + " " + c.name() + " " + tree(c.arguments())).toList();
    }

    private static ObjectNode skeleton() {
        ObjectNode m = NODES.objectNode().put("id", "msg_1").put("type", "message").put("role", "assistant").put("model", "m");
        m.putObject("usage").put("input_tokens", 12).put("output_tokens", 34);
        m.putNull("stop_sequence");
        return m;
    }

    private static ObjectNode message(Random rnd) {
        ObjectNode m = skeleton();
        ArrayNode content = m.putArray("content");
        boolean tools = false;
        for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) {
            if (rnd.nextInt(3) == 0) {
                content.addObject().put("type", "text").put("text", text(rnd));
            } else {
                tools = true;
                ObjectNode use = content.addObject().put("type", "tool_use").put("id", "toolu_" + i + Long.toHexString(rnd.nextLong()))
                        .put("name", List.of("get_weather", "search", "no_args").get(rnd.nextInt(3)));
                use.set("input", rnd.nextInt(4) == 0 ? NODES.objectNode() : input(rnd));
            }
        }
        m.put("stop_reason", tools ? "tool_use" : rnd.nextBoolean() ? "end_turn" : "max_tokens");
        return m;
    }

    private static ObjectNode input(Random rnd) {
        ObjectNode in = NODES.objectNode().put("city", text(rnd)).put("days", rnd.nextInt(30));
        if (rnd.nextBoolean()) {
            in.putArray("tags").add(text(rnd)).add(rnd.nextDouble()).addNull();
        }
        if (rnd.nextBoolean()) {
            in.putObject("nested").put("deep", text(rnd)).put("flag", rnd.nextBoolean());
        }
        return in;
    }

    private static String text(Random rnd) {
        String[] words = {"a", "storm", "é", "你好", "\"q\"", "\n", "{", "}", "\\"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0, n = 1 + rnd.nextInt(8); i < n; i++) {
            sb.append(words[rnd.nextInt(words.length)]).append(rnd.nextBoolean() ? " " : "");
        }
        return sb.toString();
    }

    /** The events the Messages API streams for this message, cut at random places. */
    private static List<ObjectNode> events(ObjectNode message, Random rnd) {
        List<ObjectNode> out = new ArrayList<>();
        ObjectNode start = message.deepCopy();
        start.putArray("content");
        start.putNull("stop_reason");
        ((ObjectNode) start.get("usage")).put("output_tokens", 1);
        out.add(event("message_start").set("message", start));
        JsonNode content = message.get("content");
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            boolean text = block.path("type").asText().equals("text");
            ObjectNode opening = text ? NODES.objectNode().put("type", "text").put("text", "")
                    : NODES.objectNode().put("type", "tool_use").put("id", block.get("id").asText()).put("name", block.get("name").asText());
            if (!text) {
                opening.putObject("input");
            }
            out.add(event("content_block_start").put("index", i).set("content_block", opening));
            if (rnd.nextInt(4) == 0) {
                out.add(event("ping"));
            }
            String whole = text ? block.get("text").asText() : json(block.get("input"), rnd);
            if (!text && rnd.nextBoolean()) {
                out.add(delta(i, "input_json_delta", "partial_json", ""));
            }
            for (String piece : pieces(whole, rnd)) {
                out.add(text ? delta(i, "text_delta", "text", piece) : delta(i, "input_json_delta", "partial_json", piece));
            }
            out.add(event("content_block_stop").put("index", i));
        }
        ObjectNode end = event("message_delta");
        end.putObject("delta").put("stop_reason", message.get("stop_reason").asText()).putNull("stop_sequence");
        end.putObject("usage").put("output_tokens", message.at("/usage/output_tokens").asInt());
        out.add(end);
        out.add(event("message_stop"));
        return out;
    }

    /** The input as the API serializes it: compact, or with spaces after separators. An empty input streams nothing. */
    private static String json(JsonNode input, Random rnd) {
        if (input.isEmpty()) {
            return "";
        }
        return rnd.nextBoolean() ? input.toString() : input.toPrettyString();
    }

    private static List<String> pieces(String s, Random rnd) {
        List<String> out = new ArrayList<>();
        int at = 0;
        while (at < s.length()) {
            int end = Math.min(s.length(), at + 1 + rnd.nextInt(6));
            if (end < s.length() && Character.isHighSurrogate(s.charAt(end - 1))) {
                end++;
            }
            out.add(s.substring(at, end));
            at = end;
        }
        return out;
    }

    private static ObjectNode event(String type) {
        return NODES.objectNode().put("type", type);
    }

    private static ObjectNode delta(int index, String type, String field, String value) {
        ObjectNode e = event("content_block_delta").put("index", index);
        e.putObject("delta").put("type", type).put(field, value);
        return e;
    }

    private static <T> T parse(JsonNode node, Class<T> type) {
        try {
            return Json.mapper().treeToValue(node, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
