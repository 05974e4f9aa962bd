package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;

/** Anthropic's JSON shapes and SSE framing ({@code event:} then {@code data:}), as the mock writes them. */
final class AnthropicEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AnthropicEvents() {}

    static ObjectNode skeleton(String id, String model, int input, int output) {
        ObjectNode m = JSON.createObjectNode().put("id", id).put("type", "message").put("role", "assistant").put("model", model);
        m.putObject("usage").put("input_tokens", input).put("output_tokens", output);
        return m;
    }

    static ObjectNode blockStart(int index, ObjectNode block) {
        ObjectNode e = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
        e.set("content_block", block);
        return e;
    }

    /** A content_block_delta whose delta has type {@code type} and one field {@code field} ({@code text}, {@code thinking} …). */
    static ObjectNode delta(int index, String type, String field, String value) {
        ObjectNode e = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
        e.putObject("delta").put("type", type).put(field, value);
        return e;
    }

    static ObjectNode blockStop(int index) {
        return JSON.createObjectNode().put("type", "content_block_stop").put("index", index);
    }

    static ObjectNode ping() {
        return JSON.createObjectNode().put("type", "ping");
    }

    static void event(OutputStream out, String name, JsonNode data) throws IOException {
        MockHttp.write(out, "event: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n");
    }

    static String errorBody(String type, String message) {
        ObjectNode body = JSON.createObjectNode().put("type", "error");
        body.putObject("error").put("type", type).put("message", message);
        return body.put("request_id", "req_mock_error").toString();
    }
}
