package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ContentPart;
import dev.switchboard.model.Dialect;
import dev.switchboard.model.ImageSource;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.Message;
import dev.switchboard.model.ResponseFormat;
import dev.switchboard.model.Role;
import dev.switchboard.model.Tool;
import dev.switchboard.model.ToolCall;
import dev.switchboard.model.ToolChoice;
import dev.switchboard.provider.RequestSupport;
import dev.switchboard.provider.RequestSupport.Unsupported;
import dev.switchboard.provider.WireChecks;
import dev.switchboard.provider.anthropic.AnthropicWire.MessagesRequest;
import dev.switchboard.provider.anthropic.AnthropicWire.WireMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Canonical request → Anthropic Messages. System turns become the top-level {@code system}; tool calls become
 * {@code tool_use} blocks and tool results {@code tool_result} blocks in a user turn (consecutive turns of one side
 * merged, as the API requires them to alternate); images become {@code image} blocks; a JSON format becomes a
 * forced tool whose input is the answer ({@link #jsonTool}). What Anthropic has no equivalent for is refused by name.
 */
public final class AnthropicMapper {
    /** Anthropic's temperature range is 0..1, half of OpenAI's. */
    static final double MAX_TEMPERATURE = 1.0;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String WHO = "Anthropic";
    /** The forced tool that carries a {@code json_object} answer. */
    static final String JSON_OBJECT_TOOL = "json_response";

    private AnthropicMapper() {}

    /** One turn of the alternating conversation, as content blocks. */
    public record Turn(Role role, List<JsonNode> blocks) {
        public Turn {
            blocks = List.copyOf(blocks);
        }
    }

    /** The system blocks (empty when there are none) and the user/assistant turns, strictly alternating. */
    public record Conversation(List<JsonNode> system, List<Turn> turns) {
        public Conversation {
            system = List.copyOf(system);
            turns = List.copyOf(turns);
        }
    }

    static RequestSupport support() {
        return r -> WireChecks.first(WireChecks.oneChoice(r, WHO), WireChecks.noLogprobs(r, WHO),
                WireChecks.foreign(r, Dialect.ANTHROPIC_MESSAGES, Set.of(), WHO), sampling(r), jsonWithTools(r));
    }

    private static Unsupported sampling(ChatRequest r) {
        if (r.sampling().temperature() != null && r.sampling().temperature() > MAX_TEMPERATURE) {
            return new Unsupported("temperature", WHO + " takes 0 to 1, got " + r.sampling().temperature());
        }
        if (r.sampling().seed() != null) {
            return new Unsupported("seed", WHO + " has no seeded sampling");
        }
        if (r.sampling().presencePenalty() != null) {
            return new Unsupported("presence_penalty", WHO + " has no presence penalty");
        }
        if (r.sampling().frequencyPenalty() != null) {
            return new Unsupported("frequency_penalty", WHO + " has no frequency penalty");
        }
        return null;
    }

    private static Unsupported jsonWithTools(ChatRequest r) {
        boolean json = r.output().format() instanceof ResponseFormat.JsonSchema || r.output().format() instanceof ResponseFormat.JsonObject;
        return json && r.toolUse().any() ? new Unsupported("response_format", WHO
                + " gets JSON output from a forced tool call, which cannot be combined with the request's own tools") : null;
    }

    /** The name of the forced tool that carries a JSON answer for this request, or null when it asks for text. */
    static String jsonTool(ChatRequest r) {
        return switch (r.output().formatOrText()) {
            case ResponseFormat.JsonSchema s -> s.name();
            case ResponseFormat.JsonObject j -> JSON_OBJECT_TOOL;
            case ResponseFormat.Text t -> null;
        };
    }

    public static MessagesRequest toWire(ChatRequest request, String upstreamModel, int defaultMaxTokens, boolean stream) {
        Unsupported u = support().check(request);
        if (u != null) {
            throw new InvalidRequestException(u.field(), "model " + upstreamModel + " (Anthropic) cannot take it: " + u.reason());
        }
        Conversation c = conversation(request.messages());
        List<WireMessage> messages = new ArrayList<>(c.turns().size());
        for (Turn t : c.turns()) {
            messages.add(new WireMessage(t.role().wire(), content(t.blocks())));
        }
        List<JsonNode> tools = null;
        JsonNode choice = null;
        String json = jsonTool(request);
        if (json != null) {
            tools = List.of(jsonToolDefinition(request.output().format(), json));
            choice = NODES.objectNode().put("type", "tool").put("name", json);
        } else if (request.toolUse().any() && !(request.toolUse().choice() instanceof ToolChoice.None)) {
            tools = tools(request.toolUse().tools());
            choice = toolChoice(request.toolUse().choice(), request.toolUse().parallelCalls());
        } else if (request.toolUse().any()) {
            // none: the tools stay defined (earlier turns may use them) but the model must not call one
            tools = tools(request.toolUse().tools());
            choice = NODES.objectNode().put("type", "none");
        }
        Map<String, JsonNode> extras = request.origin().extrasFor(Dialect.ANTHROPIC_MESSAGES);
        return new MessagesRequest(
                upstreamModel,
                request.maxTokens() != null ? request.maxTokens() : defaultMaxTokens,
                messages,
                system(c.system()),
                request.sampling().temperature(),
                request.sampling().topP(),
                request.sampling().topK(),
                request.stop().isEmpty() ? null : request.stop(),
                stream ? Boolean.TRUE : null,
                tools,
                choice,
                request.user() == null ? null : NODES.objectNode().put("user_id", request.user()),
                extras.isEmpty() ? null : extras);
    }

    /**
     * Reshapes a chat for the Messages API. System turns, wherever they stand, become the system blocks. A tool
     * result is a user turn's {@code tool_result} block; consecutive turns of one side become one turn. A chat whose
     * first turn is the assistant's is refused rather than given a made-up user turn: what such a turn should say
     * is the caller's decision, not ours. Tool calls without an id (OpenAI's legacy functions) get one, and the
     * results that follow answer the oldest call of the same name still open.
     */
    public static Conversation conversation(List<Message> messages) {
        List<JsonNode> system = new ArrayList<>();
        List<Turn> turns = new ArrayList<>();
        Map<String, String> open = new LinkedHashMap<>(); // id → name of calls not yet answered
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (m.role().isSystem()) {
                for (ContentPart p : m.content()) {
                    if (p instanceof ContentPart.Text t && !t.text().isBlank()) {
                        system.add(text(t));
                    } else if (!(p instanceof ContentPart.Text)) {
                        throw new InvalidRequestException("messages[" + i + "].content",
                                "Anthropic takes text only in system messages");
                    }
                }
                continue;
            }
            Role side = m.role() == Role.ASSISTANT ? Role.ASSISTANT : Role.USER;
            if (turns.isEmpty() && side == Role.ASSISTANT) {
                throw new InvalidRequestException("messages", "Anthropic models need the conversation to start with a user "
                        + "message (system messages aside); this one starts with an assistant message");
            }
            List<JsonNode> blocks = switch (m.role()) {
                case ASSISTANT -> assistantBlocks(m, i, open);
                case TOOL -> List.of(toolResult(m, i, open));
                default -> partBlocks(m.content());
            };
            if (!turns.isEmpty() && turns.getLast().role() == side) {
                List<JsonNode> merged = new ArrayList<>(turns.getLast().blocks());
                merged.addAll(blocks);
                turns.set(turns.size() - 1, new Turn(side, merged));
            } else {
                turns.add(new Turn(side, blocks));
            }
        }
        if (turns.isEmpty()) {
            throw new InvalidRequestException("messages", "Anthropic models need at least one user message; this request has only system messages");
        }
        return new Conversation(system, turns);
    }

    /** Text (empty text left out: the API refuses empty blocks), images, and blocks of this dialect as they came. */
    private static List<JsonNode> partBlocks(List<ContentPart> parts) {
        List<JsonNode> out = new ArrayList<>(parts.size());
        for (ContentPart p : parts) {
            switch (p) {
                case ContentPart.Text t -> {
                    if (!t.text().isEmpty()) {
                        out.add(text(t));
                    }
                }
                case ContentPart.Image img -> out.add(image(img));
                case ContentPart.Opaque o -> out.add(o.raw());
            }
        }
        return out;
    }

    private static List<JsonNode> assistantBlocks(Message m, int at, Map<String, String> open) {
        List<JsonNode> out = partBlocks(m.content());
        for (int k = 0; k < m.toolCalls().size(); k++) {
            ToolCall c = m.toolCalls().get(k);
            String id = c.id() != null ? c.id() : "toolu_sb_" + at + "_" + k;
            open.put(id, c.name());
            ObjectNode use = NODES.objectNode().put("type", "tool_use").put("id", id).put("name", c.name());
            use.set("input", c.argumentsObject("messages[" + at + "].tool_calls", WHO));
            out.add(use);
        }
        return out;
    }

    private static JsonNode toolResult(Message m, int at, Map<String, String> open) {
        String id = m.toolCallId();
        if (id == null) {
            id = oldestOpen(open, m.name());
            if (id == null) {
                throw new InvalidRequestException("messages[" + at + "]", "this tool result answers no earlier tool call");
            }
        }
        open.remove(id);
        ObjectNode result = NODES.objectNode().put("type", "tool_result").put("tool_use_id", id);
        m.extras().forEach(result::set); // is_error, cache_control: only from this dialect, refused from others
        if (m.textOnly()) {
            result.put("content", m.text());
        } else {
            ArrayNode content = result.putArray("content");
            partBlocks(m.content()).forEach(content::add);
        }
        return result;
    }

    private static String oldestOpen(Map<String, String> open, String name) {
        for (Iterator<Map.Entry<String, String>> it = open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, String> e = it.next();
            if (name == null || name.equals(e.getValue())) {
                return e.getKey();
            }
        }
        return null;
    }

    private static JsonNode text(ContentPart.Text t) {
        ObjectNode block = NODES.objectNode().put("type", "text").put("text", t.text());
        t.extras().forEach(block::set);
        return block;
    }

    private static JsonNode image(ContentPart.Image img) {
        ObjectNode block = NODES.objectNode().put("type", "image");
        ObjectNode source = block.putObject("source");
        switch (img.source()) {
            case ImageSource.Inline in -> source.put("type", "base64").put("media_type", in.mediaType())
                    .putPOJO("data", in.base64Json());
            case ImageSource.Url u -> source.put("type", "url").put("url", u.url());
        }
        img.extras().forEach(block::set);
        return block;
    }

    /** A lone plain text block travels as a string; anything else as blocks. */
    private static JsonNode content(List<JsonNode> blocks) {
        if (blocks.isEmpty()) {
            return TextNode.valueOf("");
        }
        if (blocks.size() == 1 && blocks.getFirst().size() == 2 && "text".equals(blocks.getFirst().path("type").asText())) {
            return blocks.getFirst().get("text");
        }
        ArrayNode out = NODES.arrayNode(blocks.size());
        out.addAll(blocks);
        return out;
    }

    private static JsonNode system(List<JsonNode> blocks) {
        if (blocks.isEmpty()) {
            return null;
        }
        boolean plain = blocks.stream().allMatch(b -> b.size() == 2);
        if (plain) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode b : blocks) {
                sb.append(sb.isEmpty() ? "" : "\n\n").append(b.get("text").asText());
            }
            return TextNode.valueOf(sb.toString());
        }
        ArrayNode out = NODES.arrayNode(blocks.size());
        out.addAll(blocks);
        return out;
    }

    /** Function tools; a tool of this dialect's own kinds (server tools, cache markers) as it came. */
    static List<JsonNode> tools(List<Tool> tools) {
        List<JsonNode> out = new ArrayList<>(tools.size());
        for (Tool t : tools) {
            out.add(switch (t) {
                case Tool.Function f -> {
                    ObjectNode tool = NODES.objectNode().put("name", f.name());
                    if (f.description() != null) {
                        tool.put("description", f.description());
                    }
                    tool.set("input_schema", f.parameters() != null ? f.parameters() : emptySchema());
                    yield tool;
                }
                case Tool.Opaque o -> o.raw();
            });
        }
        return out;
    }

    /** Null when the request leaves it to the model ({@code auto}, Anthropic's default) and allows parallel calls. */
    private static JsonNode toolChoice(ToolChoice c, Boolean parallel) {
        if (c == null && !Boolean.FALSE.equals(parallel)) {
            return null;
        }
        ObjectNode out = switch (c) {
            case null -> NODES.objectNode().put("type", "auto");
            case ToolChoice.Auto a -> NODES.objectNode().put("type", "auto");
            case ToolChoice.Required r -> NODES.objectNode().put("type", "any");
            case ToolChoice.Named n -> NODES.objectNode().put("type", "tool").put("name", n.name());
            case ToolChoice.None n -> NODES.objectNode().put("type", "none");
            case ToolChoice.Opaque o -> (ObjectNode) o.raw().deepCopy(); // this dialect's own; others are refused by support()
        };
        if (Boolean.FALSE.equals(parallel)) {
            out.put("disable_parallel_tool_use", true);
        }
        return out;
    }

    private static JsonNode jsonToolDefinition(ResponseFormat f, String name) {
        ObjectNode tool = NODES.objectNode().put("name", name);
        JsonNode schema = f instanceof ResponseFormat.JsonSchema s && s.schema() != null ? s.schema() : null;
        String description = f instanceof ResponseFormat.JsonSchema s && s.description() != null ? s.description()
                : "Give the answer as this tool's input.";
        tool.put("description", description);
        tool.set("input_schema", schema != null ? schema : emptySchema());
        return tool;
    }

    private static ObjectNode emptySchema() {
        ObjectNode schema = NODES.objectNode().put("type", "object");
        schema.putObject("properties");
        return schema;
    }
}
