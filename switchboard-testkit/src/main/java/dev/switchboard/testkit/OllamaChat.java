package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Ollama mock's reading of an {@code /api/chat} body: what Go's JSON decoding and the runner refuse in it, in
 * their words ({@code illegal base64 data at input byte N} for an image that is not base64, {@code json: cannot
 * unmarshal …} for call arguments that are not an object, {@code invalid format: …}), and the {@link MockAsk} it makes.
 */
final class OllamaChat {
    private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private OllamaChat() {}

    /** A refusal: Ollama's status and {@code error} text. */
    record Refusal(int status, String error) {}

    /** What Ollama would refuse in this body; null when it would run it. */
    static Refusal refusal(JsonNode body) {
        for (JsonNode m : body.path("messages")) {
            Refusal r = images(m.path("images"));
            if (r == null) {
                r = toolCalls(m.path("tool_calls"));
            }
            if (r != null) {
                return r;
            }
        }
        return format(body.get("format"));
    }

    /** Images are Go {@code []byte}: JSON strings of standard, padded base64. */
    private static Refusal images(JsonNode images) {
        for (JsonNode image : images) {
            if (!image.isTextual()) {
                return new Refusal(400, "json: cannot unmarshal " + jsonKind(image)
                        + " into Go struct field ChatRequest.messages.images of type api.ImageData");
            }
            int bad = illegalBase64At(image.asText());
            if (bad >= 0) {
                return new Refusal(400, "illegal base64 data at input byte " + bad);
            }
        }
        return null;
    }

    /** Call arguments are a Go map: a JSON object, never the JSON text OpenAI sends. */
    private static Refusal toolCalls(JsonNode calls) {
        for (JsonNode call : calls) {
            JsonNode args = call.path("function").get("arguments");
            if (args != null && !args.isNull() && !args.isObject()) {
                return new Refusal(400, "json: cannot unmarshal " + jsonKind(args)
                        + " into Go struct field ChatRequest.messages.tool_calls.function.arguments of type api.ToolCallFunctionArguments");
            }
        }
        return null;
    }

    /** {@code format} is {@code "json"}, a JSON Schema object, or unset ({@code null}, {@code ""}); the runner refuses the rest. */
    private static Refusal format(JsonNode format) {
        if (format == null || format.isNull() || format.isObject()
                || (format.isTextual() && (format.asText().isEmpty() || format.asText().equals("json")))) {
            return null;
        }
        String raw = format.toString();
        String quoted = "\"" + raw.replace("\\", "\\\\").replace("\"", "\\\"") + "\""; // Go's %q of the raw JSON
        return new Refusal(500, "invalid format: " + quoted + "; expected \"json\" or a valid JSON Schema object");
    }

    /** Where Go's base64 decoder gives up on {@code s}, or -1 when it decodes. */
    static int illegalBase64At(String s) {
        int padding = s.indexOf('=');
        int end = padding < 0 ? s.length() : padding;
        for (int i = 0; i < end; i++) {
            if (BASE64.indexOf(s.charAt(i)) < 0) {
                return i;
            }
        }
        for (int i = end; i < s.length(); i++) {
            if (s.charAt(i) != '=' || i - end >= 2) {
                return i;
            }
        }
        return s.length() % 4 == 0 ? -1 : s.length() - s.length() % 4;
    }

    private static String jsonKind(JsonNode n) {
        return n.isTextual() ? "string" : n.isNumber() ? "number" : n.isBoolean() ? "bool" : n.isArray() ? "array" : "object";
    }

    /** What the model was asked: tool results by {@code tool_name} ({@code tool#<i>}, i the message's index, without one). */
    static MockAsk ask(JsonNode body) {
        String last = "";
        Map<String, String> results = new LinkedHashMap<>();
        int images = 0;
        JsonNode messages = body.path("messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            switch (m.path("role").asText()) {
                case "user" -> last = m.path("content").asText("");
                case "tool" -> results.put(m.path("tool_name").asText("tool#" + i), m.path("content").asText(""));
                default -> { }
            }
            images += m.path("images").size();
        }
        List<String> tools = new ArrayList<>();
        body.path("tools").forEach(t -> tools.add(t.path("function").path("name").asText()));
        JsonNode format = body.get("format");
        JsonNode schema = format != null && format.isObject() ? format : null;
        return new MockAsk(last, List.copyOf(tools), null, Collections.unmodifiableMap(results), images, schema, 1, body);
    }
}
