package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the mock model answers, cut the way the real API cuts: at the earliest stop sequence
 * ({@code stop_reason: stop_sequence}) or after {@code max_tokens} word pieces ({@code max_tokens}). Each block is
 * a list of word pieces, one per streamed text delta; tool uses follow the text ({@code stop_reason: tool_use})
 * unless the text was cut; a refusal has no blocks at all ({@code stop_reason: refusal}). {@code outputTokens}
 * counts the word pieces of the text and of each tool use's input.
 */
record AnthropicAnswer(List<List<String>> blocks, List<ToolUse> toolUses, String stopReason, String stopSequence,
                       int inputTokens, int outputTokens) {

    /** A tool use as the answer carries it: {@code input} is the JSON object, {@code inputJson} its text as streamed. */
    record ToolUse(String id, String name, JsonNode input, String inputJson) {}

    /**
     * @param texts the text blocks to answer (before cutting)
     * @param uses  the tool uses after them, ids given
     * @param refusal the refusal, which replaces everything else; null when none
     */
    static AnthropicAnswer of(JsonNode req, List<String> texts, List<ToolUse> uses, String refusal, Fault fault) {
        JsonNode messages = req.path("messages");
        int input = Math.max(1, (req.path("system").toString() + " " + messages).split("\\s+").length);
        String finishOverride = fault != null && fault.kind() == Fault.Kind.FINISH_REASON ? fault.body() : null;
        if (refusal != null) {
            return new AnthropicAnswer(List.of(), List.of(), finishOverride != null ? finishOverride : "refusal", null, input, 0);
        }
        int max = req.path("max_tokens").asInt();
        List<String> stops = new ArrayList<>();
        req.path("stop_sequences").forEach(s -> stops.add(s.asText()));
        String stopReason = "end_turn";
        String stopSequence = null;
        List<List<String>> blocks = new ArrayList<>();
        int tokens = 0;
        for (String text : texts) {
            for (String s : stops) {
                int at = text.indexOf(s);
                if (at >= 0) { // cutting before each later match leaves the earliest one
                    text = text.substring(0, at);
                    stopReason = "stop_sequence";
                    stopSequence = s;
                }
            }
            List<String> pieces = MockCalls.chunks(text);
            if (tokens + pieces.size() > max) {
                pieces = pieces.subList(0, max - tokens);
                stopReason = "max_tokens";
            }
            tokens += pieces.size();
            blocks.add(pieces);
            if (stopSequence != null || "max_tokens".equals(stopReason)) {
                break;
            }
        }
        List<ToolUse> called = List.of();
        if (stopReason.equals("end_turn") && !uses.isEmpty()) { // text cut short never reaches the calls after it
            called = uses;
            stopReason = "tool_use";
            for (ToolUse u : uses) {
                tokens += Math.max(1, MockCalls.chunks(u.inputJson()).size());
            }
        }
        return new AnthropicAnswer(blocks, called, finishOverride != null ? finishOverride : stopReason, stopSequence,
                input, tokens);
    }

    /** The request read into what the model was asked. */
    static MockAsk ask(JsonNode req) {
        String last = "";
        Map<String, String> results = new LinkedHashMap<>();
        int images = 0;
        for (JsonNode m : req.path("messages")) {
            boolean user = m.path("role").asText().equals("user");
            if (user) {
                last = text(m.path("content"));
            }
            for (JsonNode b : m.path("content")) {
                switch (b.path("type").asText()) {
                    case "image" -> images++;
                    case "tool_result" -> {
                        results.put(b.path("tool_use_id").asText(), text(b.path("content")));
                        for (JsonNode inner : b.path("content")) {
                            images += "image".equals(inner.path("type").asText()) ? 1 : 0;
                        }
                    }
                    default -> { }
                }
            }
        }
        List<String> tools = new ArrayList<>();
        req.path("tools").forEach(t -> tools.add(t.path("name").asText()));
        JsonNode choice = req.path("tool_choice");
        String forced = switch (choice.path("type").asText()) {
            case "tool" -> choice.path("name").asText();
            case "any" -> "*";
            default -> null;
        };
        return new MockAsk(last, List.copyOf(tools), forced, Collections.unmodifiableMap(results), images, null, 1, req);
    }

    /** The {@code input_schema} of the tool named {@code name}; null when there is none. */
    static JsonNode inputSchema(JsonNode req, String name) {
        for (JsonNode t : req.path("tools")) {
            if (name.equals(t.path("name").asText())) {
                return t.get("input_schema");
            }
        }
        return null;
    }

    /** A turn's (or a tool result's) text: the string, or its text blocks one per line. */
    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode b : content) {
            if ("text".equals(b.path("type").asText())) {
                parts.add(b.path("text").asText());
            }
        }
        return String.join("\n", parts);
    }
}
