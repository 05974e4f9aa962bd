package dev.switchboard.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.model.ChatDelta;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.Choice;
import dev.switchboard.model.ContentPart;
import dev.switchboard.model.Dialect;
import dev.switchboard.model.FinishReason;
import dev.switchboard.model.ImageSource;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.Message;
import dev.switchboard.model.ResponseFormat;
import dev.switchboard.model.Role;
import dev.switchboard.model.ToolCall;
import dev.switchboard.model.ToolChoice;
import dev.switchboard.model.Usage;
import dev.switchboard.provider.RequestSupport;
import dev.switchboard.provider.WireChecks;
import dev.switchboard.provider.openai.OpenAiMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Canonical chat ↔ Ollama's {@code /api/chat}. Tools are OpenAI-shaped function tools; tool calls come back with
 * their arguments as a JSON object (turned into text here, as every other dialect has them) and, from older
 * Ollama versions, without an id (one is made up, so the caller can answer the call). Images travel as base64 on
 * the message; a JSON Schema or {@code json_object} format becomes {@code format}. Ollama has no tool_choice: only
 * {@code auto} (and {@code none}, by not sending the tools) can be honoured.
 */
final class OllamaChatMapper {
    private static final String WHO = "Ollama";

    private OllamaChatMapper() {}

    static RequestSupport support() {
        return r -> WireChecks.first(WireChecks.oneChoice(r, WHO), WireChecks.noLogprobs(r, WHO),
                WireChecks.foreign(r, Dialect.OLLAMA, Set.of(), WHO), urlImages(r), forcedTool(r));
    }

    /** Ollama takes image bytes only; fetching URLs on a caller's behalf is not the gateway's business. */
    private static RequestSupport.Unsupported urlImages(ChatRequest r) {
        for (int i = 0; i < r.messages().size(); i++) {
            List<ContentPart> parts = r.messages().get(i).content();
            for (int j = 0; j < parts.size(); j++) {
                if (parts.get(j) instanceof ContentPart.Image img && img.source() instanceof ImageSource.Url) {
                    return new RequestSupport.Unsupported("messages[" + i + "].content[" + j + "]",
                            WHO + " takes images as data only; send the image as a data: URL");
                }
            }
        }
        return null;
    }

    private static RequestSupport.Unsupported forcedTool(ChatRequest r) {
        ToolChoice c = r.toolUse().choice();
        return c instanceof ToolChoice.Required || c instanceof ToolChoice.Named
                ? new RequestSupport.Unsupported("tool_choice", WHO + " cannot be made to call a tool; use auto")
                : null;
    }

    static OllamaWire.ChatRequest toWire(ChatRequest r, String modelId, boolean stream, Object keepAlive) {
        RequestSupport.Unsupported u = support().check(r);
        if (u != null) {
            throw new InvalidRequestException(u.field(), "model " + modelId + " (Ollama) cannot take it: " + u.reason());
        }
        Map<String, String> callNames = new HashMap<>();
        List<OllamaWire.Message> messages = new ArrayList<>(r.messages().size());
        for (Message m : r.messages()) {
            messages.add(message(m, callNames));
        }
        OllamaWire.Options options = new OllamaWire.Options(r.sampling().temperature(), r.sampling().topP(),
                r.sampling().topK(), r.sampling().seed(), r.sampling().presencePenalty(), r.sampling().frequencyPenalty(),
                r.maxTokens(), r.stop().isEmpty() ? null : r.stop());
        boolean offerTools = r.toolUse().any() && !(r.toolUse().choice() instanceof ToolChoice.None);
        return new OllamaWire.ChatRequest(modelId, messages, stream, empty(options) ? null : options, keepAlive,
                offerTools ? OpenAiMapper.tools(r.toolUse().tools()) : null, format(r.output().format()));
    }

    private static OllamaWire.Message message(Message m, Map<String, String> callNames) {
        List<JsonNode> images = null;
        for (ContentPart p : m.content()) {
            if (p instanceof ContentPart.Image img && img.source() instanceof ImageSource.Inline in) {
                images = images == null ? new ArrayList<>(1) : images;
                images.add(JsonNodeFactory.instance.pojoNode(in.base64Json()));
            }
        }
        List<OllamaWire.ToolCall> calls = null;
        if (!m.toolCalls().isEmpty()) {
            calls = new ArrayList<>(m.toolCalls().size());
            for (ToolCall c : m.toolCalls()) {
                if (c.id() != null) {
                    callNames.put(c.id(), c.name());
                }
                calls.add(new OllamaWire.ToolCall(null, new OllamaWire.Function(null, c.name(), c.argumentsObject("tool_calls", WHO))));
            }
        }
        String role = m.role().isSystem() ? "system" : m.role().wire();
        String toolName = m.role() == Role.TOOL ? (m.name() != null ? m.name() : callNames.get(m.toolCallId())) : null;
        return new OllamaWire.Message(role, m.text(), images, calls, toolName, null);
    }

    private static JsonNode format(ResponseFormat f) {
        return switch (f) {
            case null -> null;
            case ResponseFormat.Text t -> null;
            case ResponseFormat.JsonObject j -> TextNode.valueOf("json");
            case ResponseFormat.JsonSchema s -> s.schema() != null ? s.schema() : TextNode.valueOf("json");
        };
    }

    private static boolean empty(OllamaWire.Options o) {
        return o.temperature() == null && o.topP() == null && o.topK() == null && o.seed() == null
                && o.presencePenalty() == null && o.frequencyPenalty() == null && o.numPredict() == null && o.stop() == null;
    }

    /** One streamed line (or the whole answer) as deltas; tool calls arrive whole, never in fragments. */
    static void deltas(OllamaWire.ChatChunk c, int firstCallIndex, java.util.function.Consumer<ChatDelta> out) {
        OllamaWire.Message m = c.message();
        if (m != null && m.content() != null && !m.content().isEmpty()) {
            out.accept(ChatDelta.text(0, m.content()));
        }
        if (m != null && m.toolCalls() != null) {
            int i = firstCallIndex;
            for (OllamaWire.ToolCall t : m.toolCalls()) {
                if (t != null && t.function() != null && t.function().name() != null) {
                    out.accept(ChatDelta.toolCall(0, i++, t.id() != null ? t.id() : newCallId(), t.function().name(),
                            argumentsText(t.function().arguments())));
                }
            }
        }
    }

    private static String argumentsText(JsonNode args) {
        return args == null || args.isNull() ? "{}" : args.isTextual() ? args.asText() : args.toString();
    }

    /** {@code call_} and 24 random hex digits, the shape OpenAI's ids have. */
    static String newCallId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "call_" + java.util.HexFormat.of().toHexDigits(r.nextLong()) + java.util.HexFormat.of().toHexDigits(r.nextInt());
    }

    /** The finished answer, with the counts and timings the final (done) object carries. */
    static ChatResponse response(List<Choice> choices, OllamaWire.ChatChunk last, String provider, String modelId) {
        Map<String, Object> meta = new LinkedHashMap<>();
        Usage usage = Usage.NONE;
        if (last != null) {
            usage = Usage.of(nz(last.promptEvalCount()), nz(last.evalCount()));
            if (last.doneReason() != null) {
                meta.put("done_reason", last.doneReason());
            }
            if (last.evalCount() != null && last.evalDuration() != null && last.evalDuration() > 0) {
                meta.put("tokens_per_second", last.evalCount() / (double) last.evalDuration() * 1e9);
            }
            putMillis(meta, "total_duration_ms", last.totalDuration());
            putMillis(meta, "load_duration_ms", last.loadDuration());
            putMillis(meta, "prompt_eval_duration_ms", last.promptEvalDuration());
            putMillis(meta, "eval_duration_ms", last.evalDuration());
        }
        return new ChatResponse(null, choices, modelId, provider, usage, 0, meta, Dialect.OLLAMA, null);
    }

    /** Ollama says {@code stop} after a tool call too; the canonical reason is {@code tool_calls}. */
    static FinishReason finish(OllamaWire.ChatChunk last, boolean calledTools) {
        FinishReason reason = FinishReason.fromWire(last == null ? null : last.doneReason());
        return calledTools && reason == FinishReason.STOP ? FinishReason.TOOL_CALLS : reason;
    }

    private static void putMillis(Map<String, Object> meta, String key, Long nanos) {
        if (nanos != null) {
            meta.put(key, nanos / 1e6);
        }
    }

    private static int nz(Integer v) {
        return v == null ? 0 : v;
    }
}
