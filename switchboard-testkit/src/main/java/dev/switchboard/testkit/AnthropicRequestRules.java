package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** What the real Messages API refuses with a 400 invalid_request_error, in its own words. */
final class AnthropicRequestRules {
    /** The top-level fields the (non-beta) Messages API takes; anything else is an extra input it refuses. */
    private static final Set<String> FIELDS = Set.of("model", "messages", "max_tokens", "system", "metadata",
            "stop_sequences", "stream", "temperature", "top_p", "top_k", "tools", "tool_choice", "thinking",
            "service_tier", "container", "output_config");
    /** Fields the API takes only in a beta, named in an {@code anthropic-beta} header. */
    private static final Set<String> BETA_FIELDS = Set.of("mcp_servers", "context_management", "output_format");
    private static final Pattern TOOL_NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
    private static final List<String> MEDIA_TYPES = List.of("image/jpeg", "image/png", "image/gif", "image/webp");
    private static final List<String> BLOCK_TYPES = List.of("text", "image", "document", "tool_use", "tool_result",
            "thinking", "redacted_thinking");

    private AnthropicRequestRules() {}

    /**
     * The first thing the real API would reject in this body, in its words; null when the body is valid.
     * {@code beta}: the request named betas in an {@code anthropic-beta} header, which lets beta fields in.
     */
    static String firstViolation(JsonNode req, boolean beta) {
        if (!req.path("model").isTextual()) {
            return "model: Field required";
        }
        if (!req.has("max_tokens")) {
            return "max_tokens: Field required";
        }
        if (!req.path("max_tokens").canConvertToInt() || req.path("max_tokens").asInt() < 1) {
            return "max_tokens: Input should be a valid integer greater than or equal to 1";
        }
        double t = req.path("temperature").asDouble(0);
        if (t < 0 || t > 1) {
            return "temperature: Input should be less than or equal to 1";
        }
        JsonNode messages = req.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            return "messages: Field required";
        }
        if (req.has("system") && !req.path("system").isTextual() && !req.path("system").isArray()) {
            return "system: Input should be a valid string";
        }
        String v = first(extras(req, beta), metadata(req), topK(req), tools(req.path("tools")), toolChoice(req));
        if (v != null) {
            return v;
        }
        return first(turns(messages), toolPairs(messages));
    }

    private static String first(String... violations) {
        for (String v : violations) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String extras(JsonNode req, boolean beta) {
        for (Iterator<String> it = req.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field) && !(beta && BETA_FIELDS.contains(field))) {
                return field + ": Extra inputs are not permitted";
            }
        }
        return null;
    }

    /** {@code metadata} holds {@code user_id} and nothing else. */
    private static String metadata(JsonNode req) {
        if (!req.has("metadata") || req.get("metadata").isNull()) {
            return null;
        }
        if (!req.get("metadata").isObject()) {
            return "metadata: Input should be a valid dictionary or object to extract fields from";
        }
        for (Iterator<String> it = req.get("metadata").fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!field.equals("user_id")) {
                return "metadata." + field + ": Extra inputs are not permitted";
            }
        }
        JsonNode user = req.get("metadata").get("user_id");
        return user == null || user.isNull() || user.isTextual() ? null : "metadata.user_id: Input should be a valid string";
    }

    private static String topK(JsonNode req) {
        if (!req.has("top_k") || req.get("top_k").isNull()) {
            return null;
        }
        return req.get("top_k").canConvertToInt() && req.get("top_k").asInt() > 0 ? null : "top_k: Input should be greater than 0";
    }

    /** Custom tools: a name of letters, digits, {@code _} and {@code -}, and an object {@code input_schema}. */
    private static String tools(JsonNode tools) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            if (tool.has("type") && !"custom".equals(tool.path("type").asText())) {
                continue; // a server tool (web search, bash …) has its own shape
            }
            String at = "tools." + i + ".custom.";
            if (!tool.path("name").isTextual()) {
                return at + "name: Field required";
            }
            if (!TOOL_NAME.matcher(tool.path("name").asText()).matches()) {
                return at + "name: String should match pattern '" + TOOL_NAME.pattern() + "'";
            }
            if (!names.add(tool.path("name").asText())) {
                return "tools: Tool names must be unique.";
            }
            JsonNode schema = tool.get("input_schema");
            if (schema == null) {
                return at + "input_schema: Field required";
            }
            if (!schema.isObject()) {
                return at + "input_schema: Input should be a valid dictionary";
            }
            if (!schema.has("type")) {
                return at + "input_schema.type: Field required";
            }
            if (!"object".equals(schema.path("type").asText())) {
                return at + "input_schema.type: Input should be 'object'";
            }
        }
        return null;
    }

    /** {@code {type: auto|any|tool|none}}; {@code tool} names one of the tools. */
    private static String toolChoice(JsonNode req) {
        JsonNode choice = req.get("tool_choice");
        if (choice == null || choice.isNull()) {
            return null;
        }
        String type = choice.path("type").asText("");
        if (!List.of("auto", "any", "tool", "none").contains(type)) {
            return "tool_choice: Input tag '" + type + "' found using 'type' does not match any of the expected tags: "
                    + "'auto', 'any', 'tool', 'none'";
        }
        JsonNode parallel = choice.get("disable_parallel_tool_use");
        if (parallel != null && !parallel.isBoolean()) {
            return "tool_choice." + type + ".disable_parallel_tool_use: Input should be a valid boolean";
        }
        if (!type.equals("tool")) {
            return null;
        }
        if (!choice.path("name").isTextual()) {
            return "tool_choice.tool.name: Field required";
        }
        for (JsonNode tool : req.path("tools")) {
            if (choice.path("name").asText().equals(tool.path("name").asText())) {
                return null;
            }
        }
        return "tool_choice.tool.name: Tool '" + choice.path("name").asText() + "' not found in the provided tools";
    }

    /** The turns: user/assistant alternating from a user turn, non-empty content, and valid blocks. */
    private static String turns(JsonNode messages) {
        String previous = null;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText();
            if (!role.equals("user") && !role.equals("assistant")) {
                return "messages." + i + ".role: Input should be 'user' or 'assistant'";
            }
            if (i == 0 && !role.equals("user")) {
                return "messages: first message must use the \"user\" role";
            }
            if (role.equals(previous)) {
                return "messages: roles must alternate between \"user\" and \"assistant\", but found multiple \"" + role + "\" roles in a row";
            }
            previous = role;
            JsonNode content = m.path("content");
            boolean finalAssistant = i == messages.size() - 1 && role.equals("assistant");
            boolean empty = (content.isTextual() && content.asText().isEmpty()) || (content.isArray() && content.isEmpty());
            if (empty && !finalAssistant) {
                return "messages." + i + ": all messages must have non-empty content except for the optional final assistant message";
            }
            if (content.isArray()) {
                for (int j = 0; j < content.size(); j++) {
                    String v = block(content.get(j), "messages." + i + ".content." + j, role);
                    if (v != null) {
                        return v;
                    }
                }
            } else if (!content.isTextual()) {
                return "messages." + i + ".content: Input should be a valid string or list of content blocks";
            }
        }
        return null;
    }

    /** One content block of a {@code role} turn, at {@code at} ({@code messages.i.content.j}). */
    private static String block(JsonNode b, String at, String role) {
        String type = b.path("type").asText("");
        if (!BLOCK_TYPES.contains(type)) {
            return at + ": Input tag '" + type + "' found using 'type' does not match any of the expected tags: '"
                    + String.join("', '", BLOCK_TYPES) + "'";
        }
        return switch (type) {
            case "text" -> b.path("text").asText("").isEmpty() ? "messages: text content blocks must be non-empty" : null;
            case "image" -> image(b, at);
            case "document" -> b.path("source").isObject() ? null : at + ".document.source: Field required";
            case "tool_use" -> toolUse(b, at, role);
            case "tool_result" -> toolResult(b, at, role);
            case "thinking" -> !b.path("thinking").isTextual() ? at + ".thinking.thinking: Field required"
                    : !b.path("signature").isTextual() ? at + ".thinking.signature: Field required" : null;
            default -> b.path("data").isTextual() ? null : at + ".redacted_thinking.data: Field required";
        };
    }

    /** An image's source: base64 data of one of four media types, or a URL. */
    private static String image(JsonNode b, String at) {
        JsonNode source = b.path("source");
        String type = source.path("type").asText("");
        return switch (type) {
            case "base64" -> !MEDIA_TYPES.contains(source.path("media_type").asText())
                    ? at + ".image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'"
                    : source.path("data").asText("").isEmpty()
                    ? at + ".image.source.base64.data: String should have at least 1 character" : null;
            case "url" -> source.path("url").isTextual() ? null : at + ".image.source.url.url: Field required";
            default -> at + ".image.source: Input tag '" + type + "' found using 'type' does not match any of the expected tags: 'base64', 'url'";
        };
    }

    private static String toolUse(JsonNode b, String at, String role) {
        if (!role.equals("assistant")) {
            return at + ": `tool_use` blocks can only be in `assistant` messages";
        }
        if (!b.path("id").isTextual()) {
            return at + ".tool_use.id: Field required";
        }
        if (!b.path("name").isTextual()) {
            return at + ".tool_use.name: Field required";
        }
        return b.path("input").isObject() ? null : at + ".tool_use.input: Input should be a valid dictionary";
    }

    /** A tool result, in a user turn, with text or image blocks (or a string) as its content. */
    private static String toolResult(JsonNode b, String at, String role) {
        if (!role.equals("user")) {
            return at + ": `tool_result` blocks can only be in `user` messages";
        }
        if (!b.path("tool_use_id").isTextual()) {
            return at + ".tool_result.tool_use_id: Field required";
        }
        JsonNode content = b.path("content");
        for (int k = 0; content.isArray() && k < content.size(); k++) {
            JsonNode inner = content.get(k);
            String where = at + ".tool_result.content." + k;
            String v = switch (inner.path("type").asText("")) {
                case "text" -> inner.path("text").asText("").isEmpty() ? "messages: text content blocks must be non-empty" : null;
                case "image" -> image(inner, where);
                default -> where + ": Input tag '" + inner.path("type").asText("") + "' found using 'type' does not match "
                        + "any of the expected tags: 'text', 'image'";
            };
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /**
     * Tool calls and their results pair up turn by turn: a user turn's tool results answer the tool uses of the
     * assistant turn just before it, all of them, and come before anything else in that turn.
     */
    private static String toolPairs(JsonNode messages) {
        for (int i = 0; i < messages.size(); i++) {
            if (!"user".equals(messages.get(i).path("role").asText())) {
                continue;
            }
            Set<String> asked = i == 0 ? Set.of() : ids(messages.get(i - 1).path("content"), "tool_use", "id");
            JsonNode content = messages.get(i).path("content");
            Set<String> answered = new LinkedHashSet<>();
            for (int j = 0; content.isArray() && j < content.size(); j++) {
                JsonNode b = content.get(j);
                if ("tool_result".equals(b.path("type").asText())) {
                    String id = b.path("tool_use_id").asText();
                    if (!asked.contains(id)) {
                        return "messages." + i + ".content." + j + ": unexpected `tool_use_id` found in `tool_result` blocks: "
                                + id + ". Each `tool_result` block must have a corresponding `tool_use` block in the previous message.";
                    }
                    answered.add(id);
                }
            }
            String v = first(unanswered(asked, answered, i - 1), resultsFirst(content, asked.size(), i));
            if (v != null) {
                return v;
            }
        }
        JsonNode last = messages.get(messages.size() - 1);
        if ("assistant".equals(last.path("role").asText())) {
            return unanswered(ids(last.path("content"), "tool_use", "id"), Set.of(), messages.size() - 1);
        }
        return null;
    }

    private static String unanswered(Set<String> asked, Set<String> answered, int at) {
        List<String> missing = new ArrayList<>(asked);
        missing.removeAll(answered);
        return missing.isEmpty() ? null : "messages." + at + ": `tool_use` ids were found without `tool_result` blocks "
                + "immediately after: " + String.join(", ", missing) + ". Each `tool_use` block must have a corresponding "
                + "`tool_result` block in the next message.";
    }

    /** After tool uses, the next turn begins with as many tool results, before any other block. */
    private static String resultsFirst(JsonNode content, int asked, int at) {
        for (int j = 0; j < asked && content.isArray(); j++) {
            if (!"tool_result".equals(content.path(j).path("type").asText())) {
                return "messages." + at + ": Did not find " + asked + " `tool_result` block(s) at the beginning of this "
                        + "message. Messages following `tool_use` blocks must begin with a matching number of "
                        + "`tool_result` blocks.";
            }
        }
        return null;
    }

    /** The {@code field} values of the blocks of {@code type} in a turn's content. */
    static Set<String> ids(JsonNode content, String type, String field) {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode b : content) {
            if (type.equals(b.path("type").asText())) {
                out.add(b.path(field).asText());
            }
        }
        return out;
    }
}
