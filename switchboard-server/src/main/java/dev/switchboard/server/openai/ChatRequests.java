package dev.switchboard.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.json.Json;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.Dialect;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.Message;
import dev.switchboard.model.Origin;
import dev.switchboard.model.OutputShape;
import dev.switchboard.model.Requirements;
import dev.switchboard.model.Sampling;
import dev.switchboard.model.TaskType;
import dev.switchboard.model.Tool;
import dev.switchboard.model.ToolChoice;
import dev.switchboard.model.ToolUse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Switchboard's {@code /v1/chat/completions} request → the canonical request. Every field OpenAI defines either maps
 * to a canonical field or travels as an extra to OpenAI-dialect upstreams (and is refused by name, or reported as
 * not forwarded, by the others); fields OpenAI does not define travel the same way.
 */
final class ChatRequests {
    /** Model names that mean "let Switchboard choose". */
    private static final Set<String> AUTO = Set.of("auto", "switchboard/auto", "switchboard");

    private ChatRequests() {}

    /** What the door itself takes from {@code stream_options}. */
    record StreamOptions(boolean includeUsage) {}

    static ChatRequest toCanonical(ChatWire.Request r, String taskHeader) {
        if (r.model() != null && r.model().isBlank()) {
            throw new InvalidRequestException("model", "must not be empty");
        }
        if (r.messages() == null || r.messages().isEmpty()) {
            throw new InvalidRequestException("messages", "is required and must contain at least one message");
        }
        if (r.maxTokens() != null && r.maxCompletionTokens() != null) {
            throw new InvalidRequestException("max_tokens", "give max_tokens or max_completion_tokens, not both");
        }
        boolean legacy = r.functions() != null || r.functionCall() != null;
        if (legacy && (r.tools() != null || r.toolChoice() != null)) {
            throw new InvalidRequestException("functions", "give tools and tool_choice, or the deprecated functions and "
                    + "function_call, not both");
        }
        Set<Origin.Spelling> spelling = EnumSet.noneOf(Origin.Spelling.class);
        if (legacy) {
            spelling.add(Origin.Spelling.LEGACY_FUNCTIONS);
        }
        if (r.maxCompletionTokens() != null) {
            spelling.add(Origin.Spelling.MAX_COMPLETION_TOKENS);
        }
        List<Message> messages = ChatMessages.read(r.messages());
        Map<String, JsonNode> extras = r.extras() == null ? Map.of() : new LinkedHashMap<>(r.extras());
        Map<String, Object> metadata = metadata(extras.get("metadata"));
        String task = taskHeader != null ? taskHeader : metadata.get("task_type") instanceof String s ? s : null;
        return ChatRequest.builder()
                .messages(messages)
                .model(r.model() == null || AUTO.contains(r.model()) ? null : r.model())
                .requirements(Requirements.forTask(task == null ? TaskType.GENERAL_CHAT : TaskType.fromWire(task)))
                .maxTokens(r.maxCompletionTokens() != null ? r.maxCompletionTokens() : r.maxTokens())
                .sampling(new Sampling(r.temperature(), r.topP(), r.topK(), r.seed(), r.presencePenalty(), r.frequencyPenalty()))
                .stop(stop(r.stop()))
                .stream(Boolean.TRUE.equals(r.stream()))
                .toolUse(legacy ? legacyTools(r) : ChatTools.read(r.tools(), r.toolChoice(), r.parallelToolCalls()))
                .output(new OutputShape(r.n(), r.logprobs(), r.topLogprobs(), ChatTools.format(r.responseFormat())))
                .user(r.user())
                .metadata(metadata)
                .origin(Origin.of(Dialect.OPENAI_CHAT, extras, spelling))
                .build();
    }

    /** {@code include_usage} is honoured; {@code include_obfuscation} is accepted (Switchboard never pads chunks). */
    static StreamOptions streamOptions(JsonNode options) {
        if (options == null || options.isNull()) {
            return new StreamOptions(false);
        }
        if (!options.isObject()) {
            throw new InvalidRequestException("stream_options", "must be an object");
        }
        options.fieldNames().forEachRemaining(f -> {
            if (!f.equals("include_usage") && !f.equals("include_obfuscation")) {
                throw new InvalidRequestException("stream_options." + f, "is not supported (include_usage and include_obfuscation are)");
            }
        });
        JsonNode usage = options.path("include_usage");
        if (!usage.isMissingNode() && !usage.isNull() && !usage.isBoolean()) {
            throw new InvalidRequestException("stream_options.include_usage", "must be true or false");
        }
        return new StreamOptions(usage.asBoolean(false));
    }

    /** OpenAI's {@code metadata} (string tags); Switchboard reads {@code task_type} from it. */
    private static Map<String, Object> metadata(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidRequestException("metadata", "must be an object of string values");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> out = Json.mapper().convertValue(node, Map.class);
        return out;
    }

    /** The deprecated {@code functions}: each is a function tool; {@code function_call} is the choice. */
    private static ToolUse legacyTools(ChatWire.Request r) {
        List<Tool> tools = new ArrayList<>();
        if (r.functions() != null) {
            for (int i = 0; i < r.functions().size(); i++) {
                JsonNode f = r.functions().get(i);
                if (f == null || !f.isObject()) {
                    throw new InvalidRequestException("functions[" + i + "]", "must be an object");
                }
                tools.add(ChatTools.function(f, "functions[" + i + "]"));
            }
        }
        ToolChoice choice = null;
        JsonNode c = r.functionCall();
        if (c != null && !c.isNull()) {
            if (c.isTextual() && (c.asText().equals("auto") || c.asText().equals("none"))) {
                choice = c.asText().equals("auto") ? ToolChoice.AUTO : ToolChoice.NONE;
            } else if (c.isObject() && c.path("name").isTextual()) {
                choice = new ToolChoice.Named(c.path("name").asText());
            } else {
                throw new InvalidRequestException("function_call", "must be auto, none or {\"name\":…}");
            }
        }
        return new ToolUse(tools, choice, null);
    }

    private static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(stop.asText());
        }
        if (stop.isArray()) {
            List<String> out = new ArrayList<>();
            for (JsonNode s : stop) {
                if (!s.isTextual()) {
                    throw new InvalidRequestException("stop", "must be a string or an array of strings");
                }
                out.add(s.asText());
            }
            return out;
        }
        throw new InvalidRequestException("stop", "must be a string or an array of strings");
    }

    static String text(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidRequestException(path + "." + field, "must be a string");
        }
        return v.asText();
    }
}
