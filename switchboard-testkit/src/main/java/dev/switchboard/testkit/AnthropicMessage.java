package dev.switchboard.testkit;

import static dev.switchboard.testkit.AnthropicEvents.blockStart;
import static dev.switchboard.testkit.AnthropicEvents.blockStop;
import static dev.switchboard.testkit.AnthropicEvents.delta;
import static dev.switchboard.testkit.AnthropicEvents.event;
import static dev.switchboard.testkit.AnthropicEvents.ping;
import static dev.switchboard.testkit.AnthropicEvents.skeleton;
import static dev.switchboard.testkit.MockHttp.write;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * One answer of the Anthropic mock, written as the Messages API writes it: one {@code message} object, or the SSE
 * events from {@code message_start} to {@code message_stop}. {@code thinking} is the text of an extended-thinking
 * block before the answer (null: none); a refusal never has one.
 */
record AnthropicMessage(String id, String model, AnthropicAnswer answer, String thinking) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The whole message, keys in the API's order. */
    ObjectNode json() {
        ObjectNode out = skeleton(id, model, answer.inputTokens(), answer.outputTokens());
        ArrayNode content = out.putArray("content");
        if (thinks()) {
            content.addObject().put("type", "thinking").put("thinking", thinking).put("signature", "sig-mock");
        }
        answer.blocks().forEach(b -> content.addObject().put("type", "text").put("text", String.join("", b)));
        for (AnthropicAnswer.ToolUse u : answer.toolUses()) {
            content.addObject().put("type", "tool_use").put("id", u.id()).put("name", u.name()).set("input", u.input());
        }
        out.put("stop_reason", answer.stopReason()).put("stop_sequence", answer.stopSequence());
        return out;
    }

    /** The SSE stream; a fault's {@code afterChunks} counts text deltas, and it ends the stream its own way. */
    void stream(HttpExchange ex, String requestId, Fault fault) throws IOException {
        Fault.Kind kind = fault == null ? null : fault.kind();
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.getResponseHeaders().set("request-id", requestId);
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        ObjectNode start = skeleton(id, model, answer.inputTokens(), 1);
        start.putArray("content");
        start.putNull("stop_reason").putNull("stop_sequence");
        event(out, "message_start", JSON.createObjectNode().put("type", "message_start").set("message", start));
        int index = 0;
        if (thinks()) {
            event(out, "content_block_start", blockStart(index, JSON.createObjectNode().put("type", "thinking").put("thinking", "")));
            event(out, "content_block_delta", delta(index, "thinking_delta", "thinking", thinking));
            event(out, "content_block_delta", delta(index, "signature_delta", "signature", "sig-mock"));
            event(out, "content_block_stop", blockStop(index++));
        }
        event(out, "ping", ping());
        int sent = 0;
        for (List<String> block : answer.blocks()) {
            event(out, "content_block_start", blockStart(index, JSON.createObjectNode().put("type", "text").put("text", "")));
            for (String piece : block) {
                if (fault != null && sent == fault.afterChunks() && cutShort(out, index, fault)) {
                    return;
                }
                if (kind == Fault.Kind.SLOW_STREAM) {
                    MockHttp.sleep(fault.delayBetweenChunks().toMillis());
                }
                if (kind == Fault.Kind.KEEPALIVE_COMMENTS) {
                    event(out, "ping", ping());
                }
                event(out, "content_block_delta", delta(index, "text_delta", "text", piece));
                sent++;
            }
            event(out, "content_block_stop", blockStop(index++));
        }
        for (AnthropicAnswer.ToolUse u : answer.toolUses()) {
            toolUse(out, index++, u);
        }
        if (kind == Fault.Kind.MID_STREAM_ERROR) {
            write(out, errorEvent(fault));
            return;
        }
        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", answer.stopReason()).put("stop_sequence", answer.stopSequence());
        messageDelta.putObject("usage").put("output_tokens", answer.outputTokens());
        event(out, "message_delta", messageDelta);
        if (kind == Fault.Kind.TRUNCATED) {
            return; // everything but message_stop
        }
        event(out, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
    }

    /** Ends the stream inside text block {@code index} the way the fault says, if it is one that does; true when it did. */
    private static boolean cutShort(OutputStream out, int index, Fault fault) throws IOException {
        return MockHttp.cutShort(out, fault, errorEvent(fault), "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":"
                + index + ",\"delta\":{\n\n");
    }

    private static String errorEvent(Fault fault) {
        return "event: error\ndata: " + fault.body() + "\n\n";
    }

    private boolean thinks() {
        return thinking != null && !"refusal".equals(answer.stopReason());
    }

    /** A tool use as the API streams it: the block with empty input, the input JSON in fragments (the first empty), the stop. */
    private static void toolUse(OutputStream out, int index, AnthropicAnswer.ToolUse u) throws IOException {
        ObjectNode block = JSON.createObjectNode().put("type", "tool_use").put("id", u.id()).put("name", u.name());
        block.putObject("input");
        event(out, "content_block_start", blockStart(index, block));
        event(out, "content_block_delta", delta(index, "input_json_delta", "partial_json", ""));
        for (String fragment : MockCalls.fragments(u.inputJson(), 2)) { // with the empty first one: 3, as the API sends
            event(out, "content_block_delta", delta(index, "input_json_delta", "partial_json", fragment));
        }
        event(out, "content_block_stop", blockStop(index));
    }
}
