package dev.switchboard.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One turn of a conversation. {@code content} holds its parts in order: text given as a plain string is one
 * {@link ContentPart.Text}, and a message without content (an assistant turn that only calls tools) has none. An
 * assistant turn may carry {@code toolCalls} and a {@code refusal}; a tool turn answers the call {@code toolCallId}.
 * {@code extras} are fields of the door's dialect with no meaning here, passed on to an upstream of that dialect.
 */
public record Message(
        Role role,
        List<ContentPart> content,
        String name,
        List<ToolCall> toolCalls,
        String toolCallId,
        String refusal,
        Map<String, JsonNode> extras) {

    public Message {
        if (role == null) {
            throw new InvalidRequestException("role", "is required");
        }
        content = content == null ? List.of() : List.copyOf(content);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        extras = extras == null || extras.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    /** A plain text turn; null text is an empty one. */
    public Message(Role role, String text, String name) {
        this(role, List.of(new ContentPart.Text(text)), name, null, null, null, null);
    }

    public static Message system(String text) {
        return new Message(Role.SYSTEM, text, null);
    }

    public static Message user(String text) {
        return new Message(Role.USER, text, null);
    }

    public static Message assistant(String text) {
        return new Message(Role.ASSISTANT, text, null);
    }

    /** An assistant turn that calls tools, with optional text before the calls. */
    public static Message assistant(String text, List<ToolCall> calls) {
        List<ContentPart> parts = text == null ? List.of() : List.of(new ContentPart.Text(text));
        return new Message(Role.ASSISTANT, parts, null, calls, null, null, null);
    }

    /** The result of the tool call {@code callId}. */
    public static Message toolResult(String callId, String text) {
        return new Message(Role.TOOL, List.of(new ContentPart.Text(text)), null, null, callId, null, null);
    }

    /** The text parts joined; images and other parts are left out. */
    public String text() {
        if (content.size() == 1 && content.getFirst() instanceof ContentPart.Text t) {
            return t.text();
        }
        StringBuilder sb = new StringBuilder();
        for (ContentPart p : content) {
            if (p instanceof ContentPart.Text t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    /** Whether every part is text (or there is none): what text-only upstreams can take. */
    public boolean textOnly() {
        for (ContentPart p : content) {
            if (!(p instanceof ContentPart.Text)) {
                return false;
            }
        }
        return true;
    }

    public boolean hasImages() {
        for (ContentPart p : content) {
            if (p instanceof ContentPart.Image) {
                return true;
            }
        }
        return false;
    }

    /** The same turn with other content parts. */
    public Message withContent(List<ContentPart> parts) {
        return new Message(role, parts, name, toolCalls, toolCallId, refusal, extras);
    }

    /** Builds the content of a message part by part. */
    public static List<ContentPart> parts(ContentPart... parts) {
        return new ArrayList<>(List.of(parts));
    }
}
