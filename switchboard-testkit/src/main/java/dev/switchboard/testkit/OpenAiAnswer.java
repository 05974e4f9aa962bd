package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAI mock's reading of a Chat Completions request into a {@link MockAsk}, and its rendering of a
 * {@link MockReply} as OpenAI writes an answer: a choice's {@code message} (text, {@code tool_calls}, the legacy
 * {@code function_call}, or a {@code refusal}), its {@code logprobs}, and the deltas that stream it.
 */
final class OpenAiAnswer {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OpenAiAnswer() {}

    /** One choice to render: the reply with every call given an id, and how it finished. */
    record Choice(int index, MockReply reply, List<MockReply.Call> calls, String finish) {
        static Choice of(int index, MockReply reply, boolean legacy, String finishOverride) {
            List<MockReply.Call> calls = new ArrayList<>();
            for (MockReply.Call c : reply.calls()) {
                calls.add(new MockReply.Call(c.id() != null ? c.id() : MockCalls.openAiId(), c.name(),
                        c.arguments() == null ? "{}" : c.arguments()));
            }
            if (legacy && calls.size() > 1) {
                calls = calls.subList(0, 1); // a legacy function_call is one call
            }
            String finish = finishOverride != null ? finishOverride
                    : calls.isEmpty() || reply.refusal() != null ? "stop" : legacy ? "function_call" : "tool_calls";
            return new Choice(index, reply, calls, finish);
        }

        /** The answer's text as OpenAI counts and streams it: the content, or the refusal. */
        String text() {
            return reply.refusal() != null ? reply.refusal() : reply.text() == null ? "" : reply.text();
        }

        /** Completion tokens: word pieces of the text and of each call's arguments. */
        int tokens() {
            int n = MockCalls.chunks(text()).size();
            for (MockReply.Call c : calls) {
                n += Math.max(1, MockCalls.chunks(c.arguments()).size());
            }
            return n;
        }
    }

    // --- reading the request -------------------------------------------------------------------------------------

    static MockAsk ask(JsonNode req) {
        String last = "";
        Map<String, String> results = new LinkedHashMap<>();
        int images = 0;
        for (JsonNode m : req.path("messages")) {
            switch (m.path("role").asText()) {
                case "user" -> last = text(m.path("content"));
                case "tool" -> results.put(m.path("tool_call_id").asText(), text(m.path("content")));
                case "function" -> results.put(m.path("name").asText(), text(m.path("content")));
                default -> { }
            }
            for (JsonNode part : m.path("content")) {
                images += "image_url".equals(part.path("type").asText()) ? 1 : 0;
            }
        }
        List<String> tools = functionNames(req.path("tools"), true);
        if (tools.isEmpty()) {
            tools = functionNames(req.path("functions"), false);
        }
        JsonNode format = req.path("response_format");
        JsonNode schema = "json_schema".equals(format.path("type").asText()) ? format.path("json_schema").get("schema") : null;
        int n = req.hasNonNull("n") ? req.get("n").asInt() : 1;
        return new MockAsk(last, List.copyOf(tools), forcedTool(req), Collections.unmodifiableMap(results), images, schema, n, req);
    }

    /** What {@code replyWith} functions have always been given: the last user content, its JSON when it has parts. */
    static String legacyPrompt(JsonNode messages) {
        String prompt = "";
        for (JsonNode m : messages) {
            if ("user".equals(m.path("role").asText())) {
                prompt = m.path("content").isTextual() ? m.path("content").asText() : m.path("content").toString();
            }
        }
        return prompt;
    }

    /**
     * The names of {@code tools} ({@code [{type:function, function:{name}}]}, or {@code custom:{name}} for custom
     * tools) or of legacy {@code functions} ({@code [{name}]}).
     */
    static List<String> functionNames(JsonNode list, boolean tools) {
        List<String> names = new ArrayList<>();
        for (JsonNode t : list) {
            JsonNode name = !tools ? t.path("name")
                    : t.has("function") ? t.path("function").path("name") : t.path("custom").path("name");
            if (name.isTextual()) {
                names.add(name.asText());
            }
        }
        return names;
    }

    /** The JSON Schema of a function's parameters, from {@code tools} or legacy {@code functions}; null if none. */
    static JsonNode parameters(JsonNode req, String name) {
        for (JsonNode t : req.path("tools")) {
            if (name.equals(t.path("function").path("name").asText())) {
                return t.path("function").get("parameters");
            }
        }
        for (JsonNode f : req.path("functions")) {
            if (name.equals(f.path("name").asText())) {
                return f.get("parameters");
            }
        }
        return null;
    }

    /** Legacy function calling: the request offers {@code functions} and no {@code tools}. */
    static boolean legacy(JsonNode req) {
        return req.path("functions").isArray() && !req.path("functions").isEmpty() && !req.has("tools");
    }

    private static String forcedTool(JsonNode req) {
        JsonNode choice = req.path("tool_choice");
        if (choice.isTextual()) {
            return "required".equals(choice.asText()) ? "*" : null;
        }
        if (choice.path("function").path("name").isTextual()) {
            return choice.path("function").path("name").asText();
        }
        JsonNode legacy = req.path("function_call").path("name");
        return legacy.isTextual() ? legacy.asText() : null;
    }

    /** A message's text: the string, or its text parts one per line. */
    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode p : content) {
            if ("text".equals(p.path("type").asText())) {
                parts.add(p.path("text").asText());
            }
        }
        return String.join("\n", parts);
    }

    // --- rendering the answer ------------------------------------------------------------------------------------

    /** A choice's {@code message}, keys in OpenAI's order. */
    static ObjectNode message(Choice c, boolean legacy) {
        ObjectNode m = NODES.objectNode().put("role", "assistant");
        MockReply r = c.reply();
        if (r.refusal() != null || (r.text() == null && !c.calls().isEmpty())) {
            m.putNull("content");
        } else {
            m.put("content", r.text() == null ? "" : r.text());
        }
        if (!c.calls().isEmpty() && legacy) {
            MockReply.Call call = c.calls().getFirst();
            m.putObject("function_call").put("name", call.name()).put("arguments", call.arguments());
        } else if (!c.calls().isEmpty()) {
            ArrayNode calls = m.putArray("tool_calls");
            for (MockReply.Call call : c.calls()) {
                ObjectNode t = calls.addObject().put("id", call.id()).put("type", "function");
                t.putObject("function").put("name", call.name()).put("arguments", call.arguments());
            }
        }
        if (r.refusal() != null) {
            m.put("refusal", r.refusal());
        } else {
            m.putNull("refusal");
        }
        m.putArray("annotations");
        return m;
    }

    /** A whole answer's {@code logprobs}: one entry per word piece of the content (or of the refusal). */
    static ObjectNode logprobs(Choice c, int top) {
        ArrayNode entries = NODES.arrayNode();
        List<String> pieces = MockCalls.chunks(c.text());
        for (int k = 0; k < pieces.size(); k++) {
            entries.add(entry(pieces.get(k), k, top));
        }
        ObjectNode out = NODES.objectNode();
        boolean refused = c.reply().refusal() != null;
        out.set("content", refused ? NODES.nullNode() : entries);
        out.set("refusal", refused ? entries : NODES.nullNode());
        return out;
    }

    /** One token's log-probability with its UTF-8 bytes and {@code top} alternatives (itself first), made up but stable. */
    static ObjectNode entry(String token, int k, int top) {
        double logprob = -0.01 * (k % 7 + 1);
        ObjectNode e = NODES.objectNode().put("token", token).put("logprob", logprob);
        e.set("bytes", bytes(token));
        ArrayNode alternatives = e.putArray("top_logprobs");
        for (int j = 0; j < top; j++) {
            String alt = j == 0 ? token : token.strip() + "~" + j;
            ObjectNode a = alternatives.addObject().put("token", alt).put("logprob", logprob - j);
            a.set("bytes", bytes(alt));
        }
        return e;
    }

    private static ArrayNode bytes(String token) {
        ArrayNode out = NODES.arrayNode();
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
            out.add(b & 0xff);
        }
        return out;
    }

    /** One streamed delta with its logprobs (null when none), before the chunk around it is known. */
    record Piece(ObjectNode delta, JsonNode logprobs) {}

    /** The opening delta of a choice: the role, with empty content for text and null content for calls or a refusal. */
    static ObjectNode roleDelta(Choice c) {
        ObjectNode d = NODES.objectNode().put("role", "assistant");
        boolean textless = c.reply().refusal() != null || (c.reply().text() == null && !c.calls().isEmpty());
        return textless ? d.putNull("content") : d.put("content", "");
    }

    /**
     * The deltas after the role, as OpenAI streams them: text (or refusal) word by word, then each call opened with
     * its id, name and empty arguments and continued with argument fragments ({@code function_call} fragments when
     * legacy).
     */
    static List<Piece> pieces(Choice c, boolean legacy, boolean logprobs, int top) {
        List<Piece> out = new ArrayList<>();
        boolean refused = c.reply().refusal() != null;
        List<String> words = MockCalls.chunks(c.text());
        for (int k = 0; k < words.size(); k++) {
            ObjectNode lp = null;
            if (logprobs) {
                lp = NODES.objectNode();
                ArrayNode one = NODES.arrayNode().add(entry(words.get(k), k, top));
                lp.set("content", refused ? NODES.nullNode() : one);
                lp.set("refusal", refused ? one : NODES.nullNode());
            }
            out.add(new Piece(NODES.objectNode().put(refused ? "refusal" : "content", words.get(k)), lp));
        }
        for (int k = 0; k < c.calls().size(); k++) {
            MockReply.Call call = c.calls().get(k);
            if (legacy) {
                out.add(new Piece(functionCall(NODES.objectNode().put("name", call.name()).put("arguments", "")), null));
                for (String f : MockCalls.fragments(call.arguments())) {
                    out.add(new Piece(functionCall(NODES.objectNode().put("arguments", f)), null));
                }
                continue;
            }
            ObjectNode open = NODES.objectNode().put("index", k).put("id", call.id()).put("type", "function");
            open.putObject("function").put("name", call.name()).put("arguments", "");
            out.add(new Piece(toolCalls(open), null));
            for (String f : MockCalls.fragments(call.arguments())) {
                ObjectNode more = NODES.objectNode().put("index", k);
                more.putObject("function").put("arguments", f);
                out.add(new Piece(toolCalls(more), null));
            }
        }
        return out;
    }

    private static ObjectNode toolCalls(ObjectNode call) {
        ObjectNode d = NODES.objectNode();
        d.putArray("tool_calls").add(call);
        return d;
    }

    private static ObjectNode functionCall(ObjectNode fc) {
        ObjectNode d = NODES.objectNode();
        d.set("function_call", fc);
        return d;
    }

    /** A {@code chat.completion.chunk} carrying one choice's delta. */
    static ObjectNode chunk(String id, long created, String model, int index, ObjectNode delta, JsonNode logprobs, String finish) {
        ObjectNode c = head(id, created, model);
        ObjectNode choice = c.putArray("choices").addObject().put("index", index);
        choice.set("delta", delta);
        choice.set("logprobs", logprobs == null ? NODES.nullNode() : logprobs);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return c;
    }

    /** The fields every chunk starts with, {@code system_fingerprint} and {@code service_tier} included as OpenAI sends them. */
    static ObjectNode head(String id, long created, String model) {
        return NODES.objectNode().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model).put("service_tier", "default").put("system_fingerprint", MockOpenAiServer.FINGERPRINT);
    }

    /** OpenAI's usage with the detail objects it always sends (all zero here). */
    static ObjectNode usage(int prompt, int completion) {
        ObjectNode u = NODES.objectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        u.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
        u.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        return u;
    }
}
