package dev.switchboard.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.ResponseFormat;
import dev.switchboard.model.Tool;
import dev.switchboard.model.ToolChoice;
import dev.switchboard.model.ToolUse;
import java.util.ArrayList;
import java.util.List;

/** OpenAI's tool definitions and tool choice → canonical, for every door that takes them in OpenAI's shape. */
public final class ChatTools {
    private ChatTools() {}

    /** {@code tools}, {@code tool_choice} and {@code parallel_tool_calls} as OpenAI defines them. */
    public static ToolUse read(List<JsonNode> tools, JsonNode toolChoice, Boolean parallel) {
        if (tools == null && toolChoice == null && parallel == null) {
            return ToolUse.NONE;
        }
        List<Tool> out = new ArrayList<>();
        if (tools != null) {
            for (int i = 0; i < tools.size(); i++) {
                out.add(tool(tools.get(i), "tools[" + i + "]"));
            }
        }
        return new ToolUse(out, toolChoice(toolChoice), parallel);
    }

    /** OpenAI's {@code response_format}. */
    public static ResponseFormat format(JsonNode f) {
        return ChatFormats.read(f);
    }

    private static Tool tool(JsonNode t, String path) {
        if (t == null || !t.isObject()) {
            throw new InvalidRequestException(path, "must be an object");
        }
        String type = t.path("type").asText("");
        if (!type.equals("function")) {
            if (type.isEmpty()) {
                throw new InvalidRequestException(path + ".type", "is required");
            }
            return new Tool.Opaque(type, t);
        }
        JsonNode f = t.path("function");
        if (!f.isObject()) {
            throw new InvalidRequestException(path + ".function", "is required: {name, description?, parameters?, strict?}");
        }
        return function(f, path + ".function");
    }

    static Tool.Function function(JsonNode f, String path) {
        if (!f.path("name").isTextual()) {
            throw new InvalidRequestException(path + ".name", "is required");
        }
        JsonNode strict = f.get("strict");
        if (strict != null && !strict.isNull() && !strict.isBoolean()) {
            throw new InvalidRequestException(path + ".strict", "must be true or false");
        }
        try {
            return new Tool.Function(f.get("name").asText(), ChatRequests.text(f, "description", path),
                    f.get("parameters"), strict == null || strict.isNull() ? null : strict.asBoolean());
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException(path, e.getMessage().replaceFirst("^tools: ", ""));
        }
    }

    private static ToolChoice toolChoice(JsonNode c) {
        if (c == null || c.isNull()) {
            return null;
        }
        if (c.isTextual()) {
            return switch (c.asText()) {
                case "auto" -> ToolChoice.AUTO;
                case "none" -> ToolChoice.NONE;
                case "required" -> ToolChoice.REQUIRED;
                default -> throw new InvalidRequestException("tool_choice", "must be auto, none, required or "
                        + "{\"type\":\"function\",\"function\":{\"name\":…}}, got '" + c.asText() + "'");
            };
        }
        if (c.isObject() && "function".equals(c.path("type").asText()) && c.path("function").path("name").isTextual()) {
            return new ToolChoice.Named(c.path("function").path("name").asText());
        }
        if (c.isObject() && c.path("type").isTextual()) {
            return new ToolChoice.Opaque(c);
        }
        throw new InvalidRequestException("tool_choice", "must be auto, none, required or {\"type\":\"function\",\"function\":{\"name\":…}}");
    }

}
