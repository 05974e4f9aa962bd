package dev.switchboard.testkit;

import static dev.switchboard.testkit.MockHttp.line;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code /api/chat} answer of the Ollama mock, written as Ollama writes it: one JSON object, or NDJSON chunks
 * (the text word by word, the tool calls whole in a chunk of their own, then a last {@code done} chunk with the
 * counts). {@code options.num_predict} cuts the text ({@code done_reason: length}) before it gets to the calls.
 */
record OllamaAnswer(String model, List<String> words, ArrayNode calls, String doneReason, int promptTokens) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The answer to {@code body} with reply {@code r}, whose calls' arguments must be JSON objects. */
    static OllamaAnswer of(String model, JsonNode body, MockReply r) {
        int promptTokens = 0;
        for (JsonNode msg : body.path("messages")) {
            promptTokens += msg.path("content").asText("").split("\\s+").length;
        }
        ArrayNode calls = JSON.createArrayNode();
        for (MockReply.Call c : r.calls()) {
            calls.addObject().putObject("function").put("name", c.name()).set("arguments", MockCalls.object(c.arguments()));
        }
        String text = r.refusal() != null ? r.refusal() : r.text() == null ? "" : r.text();
        JsonNode options = body.path("options");
        String doneReason = "stop";
        List<String> words = text.isEmpty() && !calls.isEmpty() ? new ArrayList<>() : new ArrayList<>(List.of(text.split("(?<= )")));
        if (options.has("num_predict") && options.get("num_predict").asInt() < words.size()) {
            words = words.subList(0, Math.max(0, options.get("num_predict").asInt()));
            doneReason = "length";
            calls.removeAll(); // cut short before it got to the calls
        }
        return new OllamaAnswer(model, words, calls, doneReason, promptTokens);
    }

    /** The whole answer, as {@code stream: false} gets it. */
    ObjectNode json() {
        return finish(withCalls(chunk(String.join("", words), true)));
    }

    /** The NDJSON stream; with {@code failure}, two chunks and then {@code {"error": failure}}. */
    void stream(HttpExchange ex, String failure) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        for (int i = 0; i < words.size(); i++) {
            if (failure != null && i == 2) {
                line(out, MockOllamaServer.error(failure));
                return;
            }
            line(out, chunk(words.get(i), false));
        }
        if (!calls.isEmpty()) { // Ollama sends the calls whole, in one chunk of their own
            line(out, withCalls(chunk("", false)));
        }
        line(out, finish(chunk("", true)));
    }

    private ObjectNode chunk(String content, boolean done) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", model).put("created_at", Instant.now().toString());
        o.putObject("message").put("role", "assistant").put("content", content);
        o.put("done", done);
        return o;
    }

    private ObjectNode withCalls(ObjectNode chunk) {
        if (!calls.isEmpty()) {
            ((ObjectNode) chunk.get("message")).set("tool_calls", calls);
        }
        return chunk;
    }

    /** The last chunk's reason and counts; durations are made up but plausible. */
    private ObjectNode finish(ObjectNode o) {
        o.put("done_reason", doneReason).put("total_duration", 1_250_000_000L).put("load_duration", 150_000_000L)
                .put("prompt_eval_count", promptTokens).put("prompt_eval_duration", 100_000_000L)
                .put("eval_count", words.size() + calls.size()).put("eval_duration", 500_000_000L);
        return o;
    }
}
