package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the mock model answers, cut the way the real API cuts: at the earliest stop sequence
 * ({@code stop_reason: stop_sequence}) or after {@code max_tokens} word pieces ({@code max_tokens}). Each block is
 * a list of word pieces, one per streamed text delta; {@code outputTokens} counts them.
 */
record AnthropicAnswer(List<List<String>> blocks, String stopReason, String stopSequence, int inputTokens, int outputTokens) {

    static AnthropicAnswer of(JsonNode req, Function<String, List<String>> reply, Fault fault) {
        JsonNode messages = req.path("messages");
        JsonNode last = null;
        for (JsonNode m : messages) {
            if (m.path("role").asText().equals("user")) {
                last = m.path("content");
            }
        }
        int max = req.path("max_tokens").asInt();
        List<String> stops = new ArrayList<>();
        req.path("stop_sequences").forEach(s -> stops.add(s.asText()));
        String stopReason = fault != null && fault.kind() == Fault.Kind.FINISH_REASON ? fault.body() : "end_turn";
        String stopSequence = null;
        List<List<String>> blocks = new ArrayList<>();
        int tokens = 0;
        for (String text : reply.apply(text(last))) {
            for (String s : stops) {
                int at = text.indexOf(s);
                if (at >= 0) { // cutting before each later match leaves the earliest one
                    text = text.substring(0, at);
                    stopReason = "stop_sequence";
                    stopSequence = s;
                }
            }
            List<String> pieces = MockOpenAiServer.chunks(text);
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
        int input = Math.max(1, (req.path("system").toString() + " " + messages).split("\\s+").length);
        return new AnthropicAnswer(blocks, stopReason, stopSequence, input, tokens);
    }

    /** A turn's text: the string, or its text blocks one per line. */
    private static String text(JsonNode content) {
        if (content == null) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        List<String> parts = new ArrayList<>();
        content.forEach(b -> parts.add(b.path("text").asText()));
        return String.join("\n", parts);
    }
}
