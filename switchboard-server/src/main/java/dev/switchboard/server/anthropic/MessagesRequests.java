package dev.switchboard.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.json.Json;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ContentPart;
import dev.switchboard.model.Dialect;
import dev.switchboard.model.ImageSource;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.Message;
import dev.switchboard.model.Origin;
import dev.switchboard.model.Requirements;
import dev.switchboard.model.Role;
import dev.switchboard.model.Sampling;
import dev.switchboard.model.TaskType;
import dev.switchboard.model.Tool;
import dev.switchboard.model.ToolCall;
import dev.switchboard.model.ToolChoice;
import dev.switchboard.model.ToolUse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An Anthropic Messages request → the canonical request. A user turn's {@code tool_result} blocks become tool
 * turns (in order, before the rest of that user turn), {@code tool_use} blocks become tool calls with their input as
 * JSON text, images become image parts; blocks of kinds only Anthropic has (documents, thinking, server tools) are
 * kept whole, for an Anthropic upstream.
 */
public final class MessagesRequests {
    private static final Set<String> CUSTOM_TOOL_FIELDS = Set.of("type", "name", "description", "input_schema");

    private MessagesRequests() {}

    public static ChatRequest toCanonical(MessagesWire.Request r, String taskHeader) {
        if (r.model() == null || r.model().isBlank()) {
            throw new InvalidRequestException("model", "Field required");
        }
        if (r.maxTokens() == null) {
            throw new InvalidRequestException("max_tokens", "Field required");
        }
        if (r.messages() == null || r.messages().isEmpty()) {
            throw new InvalidRequestException("messages", "Field required");
        }
        if (r.temperature() != null && (r.temperature() < 0 || r.temperature() > 1)) {
            throw new InvalidRequestException("temperature", "must be between 0 and 1, got " + r.temperature());
        }
        List<Message> messages = new ArrayList<>(r.messages().size() + 1);
        if (r.system() != null && !r.system().isNull()) {
            messages.add(new Message(Role.SYSTEM, textBlocks(r.system(), "system"), null, null, null, null, null));
        }
        for (int i = 0; i < r.messages().size(); i++) {
            turn(r.messages().get(i), "messages." + i, messages);
        }
        return ChatRequest.builder()
                .messages(messages)
                .model(r.model())
                .requirements(Requirements.forTask(taskHeader == null ? TaskType.GENERAL_CHAT : TaskType.fromWire(taskHeader)))
                .maxTokens(r.maxTokens())
                .sampling(new Sampling(r.temperature(), r.topP(), r.topK(), null, null, null))
                .stop(r.stopSequences())
                .stream(Boolean.TRUE.equals(r.stream()))
                .toolUse(tools(r.tools(), r.toolChoice()))
                .user(user(r.metadata()))
                .origin(Origin.of(Dialect.ANTHROPIC_MESSAGES, r.extras(), null))
                .build();
    }

    private static void turn(MessagesWire.InMessage m, String path, List<Message> out) {
        if (m == null || m.role() == null) {
            throw new InvalidRequestException(path + ".role", "Field required");
        }
        boolean assistant = switch (m.role()) {
            case "user" -> false;
            case "assistant" -> true;
            default -> throw new InvalidRequestException(path + ".role", "Input should be 'user' or 'assistant'");
        };
        JsonNode content = m.content();
        if (content == null || content.isNull()) {
            throw new InvalidRequestException(path + ".content", "Field required");
        }
        if (content.isTextual()) {
            out.add(new Message(assistant ? Role.ASSISTANT : Role.USER, content.asText(), null));
            return;
        }
        if (!content.isArray()) {
            throw new InvalidRequestException(path + ".content", "Input should be a valid string or list of content blocks");
        }
        List<ContentPart> parts = new ArrayList<>();
        List<ToolCall> calls = new ArrayList<>();
        for (int j = 0; j < content.size(); j++) {
            JsonNode b = content.get(j);
            String at = path + ".content." + j;
            String type = b == null ? "" : b.path("type").asText("");
            switch (type) {
                case "tool_use" -> {
                    if (!assistant) {
                        throw new InvalidRequestException(at, "tool_use blocks belong to assistant turns");
                    }
                    calls.add(new ToolCall(text(b, "id", at), text(b, "name", at),
                            b.path("input").isObject() ? b.get("input").toString() : "{}"));
                }
                case "tool_result" -> {
                    if (assistant) {
                        throw new InvalidRequestException(at, "tool_result blocks belong to user turns");
                    }
                    JsonNode c = b.get("content");
                    List<ContentPart> result = c == null || c.isNull() ? List.of(new ContentPart.Text(""))
                            : c.isTextual() ? List.of(new ContentPart.Text(c.asText())) : blocks(c, at + ".content");
                    out.add(new Message(Role.TOOL, result, null, null, text(b, "tool_use_id", at), null,
                            Json.fieldsExcept(b, "type", "tool_use_id", "content")));
                }
                case "" -> throw new InvalidRequestException(at + ".type", "Field required");
                default -> parts.add(block(b, at));
            }
        }
        if (assistant) {
            out.add(new Message(Role.ASSISTANT, parts, null, calls, null, null, null));
        } else if (!parts.isEmpty()) {
            out.add(new Message(Role.USER, parts, null, null, null, null, null));
        }
    }

    private static List<ContentPart> blocks(JsonNode array, String path) {
        if (!array.isArray()) {
            throw new InvalidRequestException(path, "Input should be a valid string or list of content blocks");
        }
        List<ContentPart> out = new ArrayList<>(array.size());
        for (int j = 0; j < array.size(); j++) {
            out.add(block(array.get(j), path + "." + j));
        }
        return out;
    }

    /** Text and images are understood; any other block is kept whole. */
    private static ContentPart block(JsonNode b, String at) {
        return switch (b.path("type").asText("")) {
            case "text" -> new ContentPart.Text(text(b, "text", at), Json.fieldsExcept(b, "type", "text"));
            case "image" -> new ContentPart.Image(source(b.path("source"), at + ".source"), null, Json.fieldsExcept(b, "type", "source"));
            default -> new ContentPart.Opaque(b.path("type").asText(), b);
        };
    }

    private static ImageSource source(JsonNode s, String at) {
        return switch (s.path("type").asText("")) {
            case "base64" -> new ImageSource.Inline(text(s, "media_type", at), text(s, "data", at));
            case "url" -> new ImageSource.Url(text(s, "url", at));
            default -> throw new InvalidRequestException(at + ".type", "must be base64 or url");
        };
    }

    private static List<ContentPart> textBlocks(JsonNode system, String path) {
        if (system.isTextual()) {
            return List.of(new ContentPart.Text(system.asText()));
        }
        List<ContentPart> parts = blocks(system, path);
        for (ContentPart p : parts) {
            if (!(p instanceof ContentPart.Text)) {
                throw new InvalidRequestException(path, "system blocks must be text blocks");
            }
        }
        return parts;
    }

    private static ToolUse tools(List<JsonNode> tools, JsonNode choice) {
        if (tools == null && choice == null) {
            return ToolUse.NONE;
        }
        List<Tool> out = new ArrayList<>();
        if (tools != null) {
            for (int i = 0; i < tools.size(); i++) {
                JsonNode t = tools.get(i);
                String at = "tools." + i;
                String type = t.path("type").asText("custom");
                boolean plain = type.equals("custom") && fieldsWithin(t, CUSTOM_TOOL_FIELDS);
                out.add(plain ? new Tool.Function(text(t, "name", at), t.path("description").asText(null),
                        t.get("input_schema"), null) : new Tool.Opaque(type, t));
            }
        }
        return new ToolUse(out, toolChoice(choice), choice != null && choice.path("disable_parallel_tool_use").asBoolean(false)
                ? Boolean.FALSE : null);
    }

    private static ToolChoice toolChoice(JsonNode c) {
        if (c == null || c.isNull()) {
            return null;
        }
        if (!fieldsWithin(c, Set.of("type", "name", "disable_parallel_tool_use"))) {
            return new ToolChoice.Opaque(c);
        }
        return switch (c.path("type").asText("")) {
            case "auto" -> ToolChoice.AUTO;
            case "any" -> ToolChoice.REQUIRED;
            case "none" -> ToolChoice.NONE;
            case "tool" -> new ToolChoice.Named(text(c, "name", "tool_choice"));
            default -> throw new InvalidRequestException("tool_choice.type", "must be auto, any, tool or none");
        };
    }

    private static String user(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) {
            return null;
        }
        if (!fieldsWithin(metadata, Set.of("user_id"))) {
            throw new InvalidRequestException("metadata", "only user_id is allowed");
        }
        return metadata.path("user_id").isTextual() ? metadata.get("user_id").asText() : null;
    }

    private static boolean fieldsWithin(JsonNode node, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            if (!allowed.contains(it.next())) {
                return false;
            }
        }
        return true;
    }

    private static String text(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new InvalidRequestException(path + "." + field, "Field required");
        }
        return v.asText();
    }

}
