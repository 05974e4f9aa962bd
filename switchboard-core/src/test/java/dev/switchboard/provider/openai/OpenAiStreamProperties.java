package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.json.Json;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.Choice;
import dev.switchboard.model.StreamAccumulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * An OpenAI stream, read chunk by chunk into canonical deltas, reassembles to the answer the same completion gives
 * unstreamed: per choice (several, interleaved), the same text, tool calls (id, name, argument fragments joined),
 * log-probabilities and finish reason, and the chunk-level extras.
 */
class OpenAiStreamProperties {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Property(tries = 300)
    void aStreamReassemblesToTheUnstreamedCompletion(@ForAll long seed) {
        Random rnd = new Random(seed);
        ObjectNode completion = completion(rnd);

        ChatResponse whole = OpenAiMapper.fromWire(parse(completion, OpenAiWire.ChatCompletion.class), "p", "m");
        StreamAccumulator acc = new StreamAccumulator();
        Map<String, JsonNode> extras = new LinkedHashMap<>();
        for (ObjectNode chunk : chunks(completion, rnd)) {
            OpenAiMapper.deltas(parse(chunk, OpenAiWire.ChatCompletionChunk.class), acc::add, extras);
        }
        ChatResponse streamed = acc.response(whole.id(), "m", "p", whole.usage(), whole.dialect(), extras);

        assertThat(streamed.choices()).hasSameSizeAs(whole.choices());
        for (int i = 0; i < whole.choices().size(); i++) {
            Choice w = whole.choices().get(i);
            Choice s = streamed.choices().get(i);
            assertThat(s.index()).isEqualTo(w.index());
            assertThat(s.message().text()).isEqualTo(w.message().text());
            assertThat(s.message().toolCalls()).isEqualTo(w.message().toolCalls());
            assertThat(s.finishReason()).isEqualTo(w.finishReason());
            assertThat(s.logprobs()).isEqualTo(w.logprobs());
        }
        assertThat(streamed.extras()).isEqualTo(whole.extras());
    }

    private static ObjectNode completion(Random rnd) {
        ObjectNode c = NODES.objectNode().put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1)
                .put("model", "gpt-4o").put("system_fingerprint", "fp_" + rnd.nextInt(99));
        boolean logprobs = rnd.nextBoolean();
        ArrayNode choices = c.putArray("choices");
        for (int i = 0, n = 1 + rnd.nextInt(3); i < n; i++) {
            ObjectNode choice = choices.addObject().put("index", i);
            ObjectNode message = choice.putObject("message").put("role", "assistant");
            if (rnd.nextInt(3) == 0) {
                message.putNull("content");
                ArrayNode calls = message.putArray("tool_calls");
                for (int k = 0, m = 1 + rnd.nextInt(3); k < m; k++) {
                    calls.addObject().put("id", "call_" + i + k).put("type", "function").putObject("function")
                            .put("name", "fn_" + rnd.nextInt(5)).put("arguments", "{\"q\":\"" + word(rnd) + "\",\"n\":" + rnd.nextInt(9) + "}");
                }
                choice.put("finish_reason", "tool_calls");
            } else {
                message.put("content", words(rnd));
                choice.put("finish_reason", rnd.nextBoolean() ? "stop" : "length");
            }
            message.putNull("refusal");
            if (logprobs && message.path("content").isTextual()) {
                ArrayNode content = choice.putObject("logprobs").putArray("content");
                for (String token : message.get("content").asText().split("(?<= )")) {
                    content.addObject().put("token", token).put("logprob", -rnd.nextDouble()).putArray("top_logprobs");
                }
                ((ObjectNode) choice.get("logprobs")).putNull("refusal");
            } else {
                choice.putNull("logprobs");
            }
        }
        c.putObject("usage").put("prompt_tokens", 5).put("completion_tokens", 7).put("total_tokens", 12);
        return c;
    }

    /** The completion as OpenAI streams it: per choice a role chunk, pieces, a finish chunk; choices interleaved. */
    private static List<ObjectNode> chunks(ObjectNode completion, Random rnd) {
        List<List<ObjectNode>> perChoice = new ArrayList<>();
        for (JsonNode choice : completion.get("choices")) {
            int index = choice.get("index").asInt();
            List<ObjectNode> out = new ArrayList<>();
            out.add(chunk(completion, index, NODES.objectNode().put("role", "assistant").put("content", ""), null, null));
            JsonNode message = choice.get("message");
            if (message.path("content").isTextual()) {
                JsonNode logprobs = choice.path("logprobs").path("content");
                String[] tokens = message.get("content").asText().split("(?<= )");
                for (int t = 0; t < tokens.length; t++) {
                    ObjectNode lp = null;
                    if (logprobs.isArray()) {
                        lp = NODES.objectNode();
                        lp.putArray("content").add(logprobs.get(t));
                        lp.putNull("refusal");
                    }
                    out.add(chunk(completion, index, NODES.objectNode().put("content", tokens[t]), lp, null));
                }
            }
            JsonNode calls = message.path("tool_calls");
            for (int k = 0; k < calls.size(); k++) {
                JsonNode call = calls.get(k);
                ObjectNode first = NODES.objectNode();
                ObjectNode c = first.putArray("tool_calls").addObject().put("index", k).put("id", call.get("id").asText())
                        .put("type", "function");
                c.putObject("function").put("name", call.at("/function/name").asText()).put("arguments", "");
                out.add(chunk(completion, index, first, null, null));
                String args = call.at("/function/arguments").asText();
                for (int at = 0; at < args.length(); ) {
                    int end = Math.min(args.length(), at + 1 + rnd.nextInt(5));
                    ObjectNode piece = NODES.objectNode();
                    piece.putArray("tool_calls").addObject().put("index", k).putObject("function").put("arguments", args.substring(at, end));
                    out.add(chunk(completion, index, piece, null, null));
                    at = end;
                }
            }
            out.add(chunk(completion, index, NODES.objectNode(), null, choice.get("finish_reason").asText()));
            perChoice.add(out);
        }
        List<ObjectNode> interleaved = new ArrayList<>();
        while (perChoice.stream().anyMatch(l -> !l.isEmpty())) {
            List<ObjectNode> from = perChoice.get(rnd.nextInt(perChoice.size()));
            if (!from.isEmpty()) {
                interleaved.add(from.removeFirst());
            }
        }
        return interleaved;
    }

    private static ObjectNode chunk(ObjectNode completion, int index, ObjectNode delta, ObjectNode logprobs, String finish) {
        ObjectNode c = NODES.objectNode().put("id", completion.get("id").asText()).put("object", "chat.completion.chunk")
                .put("created", 1).put("model", "gpt-4o").put("system_fingerprint", completion.get("system_fingerprint").asText());
        ObjectNode choice = c.putArray("choices").addObject().put("index", index);
        choice.set("delta", delta);
        choice.set("logprobs", logprobs == null ? NODES.nullNode() : logprobs);
        choice.put("finish_reason", finish);
        return c;
    }

    private static String word(Random rnd) {
        return List.of("oslo", "é", "\\\"x\\\"", "你好").get(rnd.nextInt(4));
    }

    private static String words(Random rnd) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0, n = 1 + rnd.nextInt(6); i < n; i++) {
            sb.append(List.of("the ", "sea ", "é ", "你好 ", "\"q\" ").get(rnd.nextInt(5)));
        }
        return sb.toString();
    }

    private static <T> T parse(JsonNode node, Class<T> type) {
        try {
            return Json.mapper().treeToValue(node, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
