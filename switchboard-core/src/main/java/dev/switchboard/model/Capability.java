package dev.switchboard.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The capability names models declare (in their catalog entry, or the {@code models:} configuration, which wins),
 * and which of them a request needs. The vocabulary is open: configuration may name others, which only matter to
 * requirements that name them too.
 */
public final class Capability {
    public static final String CHAT = "chat";
    public static final String TEXT_GENERATION = "text_generation";
    public static final String TOOL_CALLING = "tool_calling";
    public static final String VISION = "vision";
    public static final String JSON_MODE = "json_mode";
    public static final String JSON_SCHEMA = "json_schema";
    public static final String LOGPROBS = "logprobs";
    public static final String EMBEDDINGS = "embeddings";

    /** What a model from an endpoint that says nothing about it can do: the seed's default. */
    public static final List<String> DEFAULTS = List.of(CHAT, TEXT_GENERATION);

    private Capability() {}

    /** A capability a request needs, the request field that needs it, and what in that field does. */
    public record Need(String capability, String field, String why) {}

    /**
     * What a chat request needs of the model that serves it, first need first. A model must chat at all; tools
     * (or tool turns in the history), images, a JSON Schema format and logprobs each need their capability.
     */
    public static List<Need> needs(ChatRequest r) {
        List<Need> out = new ArrayList<>(2);
        out.add(new Need(CHAT, "messages", "the request is a chat"));
        if (r.toolUse().any()) {
            out.add(new Need(TOOL_CALLING, "tools", "the request defines tools"));
        } else {
            for (int i = 0; i < r.messages().size(); i++) {
                Message m = r.messages().get(i);
                if (!m.toolCalls().isEmpty() || m.role() == Role.TOOL) {
                    out.add(new Need(TOOL_CALLING, "messages[" + i + "]", "the conversation has tool calls"));
                    break;
                }
            }
        }
        image:
        for (int i = 0; i < r.messages().size(); i++) {
            List<ContentPart> parts = r.messages().get(i).content();
            for (int j = 0; j < parts.size(); j++) {
                if (parts.get(j) instanceof ContentPart.Image) {
                    out.add(new Need(VISION, "messages[" + i + "].content[" + j + "]", "the request has an image"));
                    break image;
                }
            }
        }
        if (r.output().format() instanceof ResponseFormat.JsonSchema) {
            out.add(new Need(JSON_SCHEMA, "response_format", "the request asks for JSON that follows a schema"));
        }
        if (r.output().wantsLogprobs()) {
            out.add(new Need(LOGPROBS, "logprobs", "the request asks for log-probabilities"));
        }
        return out;
    }

    /**
     * Whether a model with these declared capabilities has {@code capability}. Chat is assumed of a model that
     * declares nothing (the seed's default) and denied only to one that declares other things without it (an
     * embedding model); every other capability must be declared.
     */
    public static boolean has(List<String> declared, String capability) {
        if (declared.contains(capability)) {
            return true;
        }
        if (CHAT.equals(capability)) {
            return declared.isEmpty() || declared.contains(TEXT_GENERATION);
        }
        return false;
    }
}
