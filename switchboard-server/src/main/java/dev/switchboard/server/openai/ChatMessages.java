package dev.switchboard.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.json.Json;
import dev.switchboard.model.ContentPart;
import dev.switchboard.model.ImageSource;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.Message;
import dev.switchboard.model.Role;
import dev.switchboard.model.ToolCall;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI-shaped messages → canonical messages: string or part-array content (text, {@code image_url} with an http
 * or data URL; other part types kept whole), assistant {@code tool_calls}, {@code tool} results, and the
 * deprecated {@code function_call} / {@code function} turns. Shared by {@code /v1/chat/completions} and the
 * seed's {@code /generate}, which takes the same messages.
 */
public final class ChatMessages {
    private ChatMessages() {}

    public static List<Message> read(List<ChatWire.InMessage> messages) {
        List<Message> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            out.add(message(messages.get(i), "messages[" + i + "]"));
        }
        return out;
    }

    private static Message message(ChatWire.InMessage m, String path) {
        if (m == null) {
            throw new InvalidRequestException(path, "must be an object with role and content");
        }
        if (m.role() == null) {
            throw new InvalidRequestException(path + ".role", "is required");
        }
        if (m.role().equals("function")) {
            // The deprecated function result: the name says which function it answers.
            if (m.name() == null || m.name().isBlank()) {
                throw new InvalidRequestException(path + ".name", "is required for a function message");
            }
            return new Message(Role.TOOL, content(m.content(), path + ".content", true), m.name(), null, null, null, extras(m));
        }
        Role role;
        try {
            role = Role.fromWire(m.role());
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException(path + ".role", "unknown role '" + m.role()
                    + "', expected system, developer, user, assistant, tool or function");
        }
        if (role == Role.TOOL && (m.toolCallId() == null || m.toolCallId().isBlank())) {
            throw new InvalidRequestException(path + ".tool_call_id", "is required for a tool message");
        }
        if (role != Role.ASSISTANT && (m.toolCalls() != null || m.functionCall() != null)) {
            throw new InvalidRequestException(path + ".tool_calls", "only assistant messages carry tool calls");
        }
        List<ToolCall> calls = role == Role.ASSISTANT ? toolCalls(m, path) : List.of();
        // Only an assistant turn may come without content (it calls tools, refuses, or is a prefill).
        List<ContentPart> content = content(m.content(), path + ".content", role == Role.ASSISTANT);
        return new Message(role, content, m.name(), calls, role == Role.TOOL ? m.toolCallId() : null,
                role == Role.ASSISTANT ? m.refusal() : null, extras(m));
    }

    private static Map<String, JsonNode> extras(ChatWire.InMessage m) {
        return m.extras() == null ? Map.of() : m.extras();
    }

    private static List<ToolCall> toolCalls(ChatWire.InMessage m, String path) {
        List<ToolCall> out = new ArrayList<>();
        if (m.toolCalls() != null) {
            for (int k = 0; k < m.toolCalls().size(); k++) {
                JsonNode c = m.toolCalls().get(k);
                String at = path + ".tool_calls[" + k + "]";
                if (c == null || !c.isObject()) {
                    throw new InvalidRequestException(at, "must be an object");
                }
                if (!c.path("type").asText("function").equals("function")) {
                    throw new InvalidRequestException(at + ".type", "only function tool calls can be carried, got '"
                            + c.path("type").asText() + "'");
                }
                JsonNode f = c.path("function");
                if (!c.path("id").isTextual() || c.path("id").asText().isBlank()) {
                    throw new InvalidRequestException(at + ".id", "is required");
                }
                if (!f.path("name").isTextual()) {
                    throw new InvalidRequestException(at + ".function.name", "is required");
                }
                out.add(new ToolCall(c.get("id").asText(), f.get("name").asText(), arguments(f, at + ".function")));
            }
        }
        if (m.functionCall() != null && !m.functionCall().isNull()) {
            JsonNode f = m.functionCall();
            if (!f.path("name").isTextual()) {
                throw new InvalidRequestException(path + ".function_call.name", "is required");
            }
            out.add(new ToolCall(null, f.get("name").asText(), arguments(f, path + ".function_call")));
        }
        return out;
    }

    private static String arguments(JsonNode f, String path) {
        JsonNode a = f.get("arguments");
        if (a == null || a.isNull()) {
            return "";
        }
        if (!a.isTextual()) {
            throw new InvalidRequestException(path + ".arguments", "must be a string of JSON");
        }
        return a.asText();
    }

    /** A string is one text part; null is no content (an assistant turn that only calls tools). */
    static List<ContentPart> content(JsonNode c, String path, boolean mayBeNull) {
        if (c == null || c.isNull()) {
            if (mayBeNull) {
                return List.of();
            }
            throw new InvalidRequestException(path, "is required");
        }
        if (c.isTextual()) {
            return List.of(new ContentPart.Text(c.asText()));
        }
        if (!c.isArray()) {
            throw new InvalidRequestException(path, "must be a string or an array of content parts");
        }
        List<ContentPart> parts = new ArrayList<>(c.size());
        for (int i = 0; i < c.size(); i++) {
            parts.add(part(c.get(i), path + "[" + i + "]"));
        }
        return parts;
    }

    private static ContentPart part(JsonNode p, String path) {
        if (p == null || !p.isObject()) {
            throw new InvalidRequestException(path, "must be a content part object");
        }
        String type = p.path("type").asText("");
        switch (type) {
            case "text" -> {
                if (!p.path("text").isTextual()) {
                    throw new InvalidRequestException(path + ".text", "is required");
                }
                return new ContentPart.Text(p.get("text").asText(), Json.fieldsExcept(p, "type", "text"));
            }
            case "image_url" -> {
                JsonNode image = p.path("image_url");
                String url = image.isTextual() ? image.asText() : image.path("url").isTextual() ? image.path("url").asText() : null;
                if (url == null) {
                    throw new InvalidRequestException(path + ".image_url.url", "is required");
                }
                JsonNode detail = image.path("detail");
                if (!detail.isMissingNode() && !detail.isNull()
                        && !(detail.isTextual() && List.of("auto", "low", "high").contains(detail.asText()))) {
                    throw new InvalidRequestException(path + ".image_url.detail", "must be auto, low or high");
                }
                return new ContentPart.Image(ImageSource.parse(url, path + ".image_url.url"),
                        detail.isTextual() ? detail.asText() : null, Json.fieldsExcept(p, "type", "image_url"));
            }
            case "" -> throw new InvalidRequestException(path + ".type", "is required");
            default -> {
                return new ContentPart.Opaque(type, p);
            }
        }
    }

}
