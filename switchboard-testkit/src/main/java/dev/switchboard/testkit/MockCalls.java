package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the mocks share about answers: the ids each vendor makes up for tool calls, and how text and a call's
 * arguments are cut into pieces for streaming.
 */
final class MockCalls {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private MockCalls() {}

    /** OpenAI's shape: {@code call_} and 24 hex digits. */
    static String openAiId() {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        return "call_" + HexFormat.of().formatHex(b);
    }

    /** Anthropic's shape: {@code toolu_} and 24 letters and digits. */
    static String anthropicId() {
        StringBuilder sb = new StringBuilder("toolu_");
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 24; i++) {
            sb.append(ALNUM.charAt(r.nextInt(ALNUM.length())));
        }
        return sb.toString();
    }

    /** Splits text into word-sized pieces, keeping the spaces, so a streamed answer reassembles exactly. */
    static List<String> chunks(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                out.add(text.substring(start, i));
                start = i;
            }
        }
        return out;
    }

    /**
     * The arguments cut into 2 or 3 pieces that concatenate back to them, as the vendors stream a call's JSON:
     * cuts fall mid-token, so a client that parses each piece on its own breaks, as it would against the real thing.
     */
    static List<String> fragments(String json) {
        return fragments(json, json.length() < 12 ? 2 : 3);
    }

    /** The arguments cut into {@code parts} pieces (fewer when they are shorter) that concatenate back to them. */
    static List<String> fragments(String json, int parts) {
        List<String> out = new ArrayList<>(parts);
        if (json.length() < parts) {
            out.add(json);
            return out;
        }
        int start = 0;
        for (int p = 1; p <= parts; p++) {
            int end = p == parts ? json.length() : json.length() * p / parts;
            out.add(json.substring(start, end));
            start = end;
        }
        return out;
    }

    /** A call's arguments as the JSON object Anthropic and Ollama carry them as; null when they are not one. */
    static JsonNode object(String argumentsJson) {
        try {
            JsonNode node = JSON.readTree(argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }
}
