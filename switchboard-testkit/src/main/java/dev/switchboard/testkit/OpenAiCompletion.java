package dev.switchboard.testkit;

import static dev.switchboard.testkit.MockHttp.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * One Chat Completions answer of the OpenAI mock, written as OpenAI writes it: a {@code chat.completion} object, or
 * the SSE of {@code chat.completion.chunk}s that streams it. {@code usage} adds a dialect's fields to every usage
 * object (OpenRouter's {@code cost}).
 */
record OpenAiCompletion(String id, String model, List<OpenAiAnswer.Choice> choices, boolean legacy, boolean logprobs,
                        int top, int promptTokens, int completionTokens, BiConsumer<String, ObjectNode> usage) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEEPALIVE = ": OPENROUTER PROCESSING\n\n";

    /** The same reply in each of the {@code n} choices; a {@code FINISH_REASON} fault overrides how they finish. */
    static OpenAiCompletion of(String id, JsonNode req, MockReply reply, int n, Fault fault,
                               BiConsumer<String, ObjectNode> usage) {
        boolean legacy = OpenAiAnswer.legacy(req);
        String finishOverride = fault != null && fault.kind() == Fault.Kind.FINISH_REASON ? fault.body() : null;
        List<OpenAiAnswer.Choice> choices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            choices.add(OpenAiAnswer.Choice.of(i, reply, legacy, finishOverride));
        }
        int promptTokens = Math.max(1, words(req.path("messages").toString()));
        int completionTokens = choices.stream().mapToInt(OpenAiAnswer.Choice::tokens).sum();
        return new OpenAiCompletion(id, req.path("model").asText(), choices, legacy, req.path("logprobs").asBoolean(false),
                req.path("top_logprobs").asInt(0), promptTokens, completionTokens, usage);
    }

    /** The whole answer, keys in OpenAI's order. */
    ObjectNode completion() {
        ObjectNode out = JSON.createObjectNode()
                .put("id", id).put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000).put("model", model);
        ArrayNode list = out.putArray("choices");
        for (OpenAiAnswer.Choice c : choices) {
            ObjectNode choice = list.addObject().put("index", c.index());
            choice.set("message", OpenAiAnswer.message(c, legacy));
            choice.set("logprobs", logprobs ? OpenAiAnswer.logprobs(c, top) : JSON.nullNode());
            choice.put("finish_reason", c.finish());
        }
        out.set("usage", usageObject());
        out.put("service_tier", "default").put("system_fingerprint", MockOpenAiServer.FINGERPRINT);
        return out;
    }

    /**
     * SSE as OpenAI sends it: each choice's role chunk, then the choices' deltas interleaved (each chunk carries its
     * choice's {@code index}), each choice's finish chunk, the usage chunk when asked for, and {@code [DONE]}. A
     * fault's {@code afterChunks} counts the deltas after the role chunks, across choices.
     */
    void stream(HttpExchange ex, boolean includeUsage, Fault fault) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        long created = System.currentTimeMillis() / 1000;
        Fault.Kind kind = fault == null ? null : fault.kind();
        if (kind == Fault.Kind.KEEPALIVE_COMMENTS) {
            write(out, KEEPALIVE);
        }
        List<List<OpenAiAnswer.Piece>> pieces = new ArrayList<>();
        for (OpenAiAnswer.Choice c : choices) {
            data(out, OpenAiAnswer.chunk(id, created, model, c.index(), OpenAiAnswer.roleDelta(c), null, null));
            pieces.add(OpenAiAnswer.pieces(c, legacy, logprobs, top));
        }
        int longest = pieces.stream().mapToInt(List::size).max().orElse(0);
        int sent = 0;
        for (int step = 0; step < longest; step++) {
            for (int i = 0; i < choices.size(); i++) {
                if (step >= pieces.get(i).size()) {
                    continue;
                }
                if (fault != null && sent == fault.afterChunks() && cutShort(out, fault)) {
                    return;
                }
                if (kind == Fault.Kind.KEEPALIVE_COMMENTS) {
                    write(out, KEEPALIVE);
                }
                if (kind == Fault.Kind.SLOW_STREAM) {
                    MockHttp.sleep(fault.delayBetweenChunks().toMillis());
                }
                OpenAiAnswer.Piece p = pieces.get(i).get(step);
                data(out, OpenAiAnswer.chunk(id, created, model, i, p.delta(), p.logprobs(), null));
                sent++;
            }
        }
        for (OpenAiAnswer.Choice c : choices) {
            data(out, OpenAiAnswer.chunk(id, created, model, c.index(), JSON.createObjectNode(), null, c.finish()));
        }
        if (includeUsage) {
            ObjectNode usageChunk = OpenAiAnswer.head(id, created, model);
            usageChunk.putArray("choices");
            usageChunk.set("usage", usageObject());
            data(out, usageChunk);
        }
        write(out, "data: [DONE]\n\n");
    }

    /** Ends the stream the way the fault says, if it is one that ends streams; true when it did. */
    private boolean cutShort(OutputStream out, Fault fault) throws IOException {
        return MockHttp.cutShort(out, fault, "data: " + fault.body() + "\n\n", "data: {\"id\":\"" + id + "\",\"choices\":[{\n\n");
    }

    /** OpenAI's usage, with whatever the dialect adds to it. */
    private ObjectNode usageObject() {
        ObjectNode u = OpenAiAnswer.usage(promptTokens, completionTokens);
        usage.accept(model, u);
        return u;
    }

    private static void data(OutputStream out, JsonNode chunk) throws IOException {
        write(out, "data: " + JSON.writeValueAsString(chunk) + "\n\n");
    }

    private static int words(String s) {
        return s.isBlank() ? 0 : s.trim().split("\\s+").length;
    }
}
