package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What OpenAI's Chat Completions refuses with a 400 {@code invalid_request_error} beyond a missing model or
 * messages, in its own words (as clients have quoted them) where known: tool conversations that do not pair up,
 * tool choices that name nothing, image URLs that are neither http(s) nor base64 data URLs, and parameters out of
 * range or in conflict.
 */
final class OpenAiRequestRules {
    private static final Pattern DATA_URL = Pattern.compile("data:([^;,]+);base64,(.*)", Pattern.DOTALL);
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");

    private OpenAiRequestRules() {}

    /** One refusal: OpenAI's message, the parameter it names and its code (null when OpenAI sends none). */
    record Violation(String message, String param, String code) {}

    /** The first thing OpenAI would reject in this body; null when it is valid. */
    static Violation firstViolation(JsonNode req) {
        Violation v = parameters(req);
        if (v == null) {
            v = toolChoice(req);
        }
        if (v == null) {
            v = toolConversation(req.path("messages"));
        }
        if (v == null) {
            v = images(req.path("messages"));
        }
        return v;
    }

    private static Violation parameters(JsonNode req) {
        if (present(req, "max_tokens") && present(req, "max_completion_tokens")) {
            return new Violation("Setting 'max_tokens' and 'max_completion_tokens' at the same time is not supported.",
                    "max_tokens", "invalid_parameter_combination");
        }
        Violation v = range(req, "n", 1, 128);
        if (v != null) {
            return v;
        }
        if (present(req, "top_logprobs") && !req.path("logprobs").asBoolean(false)) {
            return new Violation("The 'top_logprobs' parameter is only allowed when 'logprobs' is enabled.", "top_logprobs", null);
        }
        return range(req, "top_logprobs", 0, 20);
    }

    /** OpenAI's words for an integer out of bounds. */
    private static Violation range(JsonNode req, String field, int min, int max) {
        if (!present(req, field)) {
            return null;
        }
        long n = req.get(field).asLong();
        if (n < min) {
            return new Violation("Invalid '" + field + "': integer below minimum value. Expected a value >= " + min
                    + ", but got " + n + " instead.", field, "integer_below_min_value");
        }
        if (n > max) {
            return new Violation("Invalid '" + field + "': integer above maximum value. Expected a value <= " + max
                    + ", but got " + n + " instead.", field, "integer_above_max_value");
        }
        return null;
    }

    /** A tool choice needs tools, and a named one must name one of them; the same for legacy function_call. */
    private static Violation toolChoice(JsonNode req) {
        Violation v = choice(req, "tool_choice", "tools", req.path("tool_choice").path("function").path("name"));
        return v != null ? v : choice(req, "function_call", "functions", req.path("function_call").path("name"));
    }

    private static Violation choice(JsonNode req, String field, String listField, JsonNode named) {
        if (!present(req, field)) {
            return null;
        }
        List<String> names = OpenAiAnswer.functionNames(req.path(listField), listField.equals("tools"));
        if (names.isEmpty()) {
            return new Violation("Invalid value for '" + field + "': '" + field + "' is only allowed when '" + listField
                    + "' are specified.", field, null);
        }
        if (named.isTextual() && !names.contains(named.asText())) {
            return new Violation("Invalid value for '" + field + "': function '" + named.asText()
                    + "' is not one of the functions given in '" + listField + "'.", field, null);
        }
        return null;
    }

    /**
     * Tool messages must answer, right after it, an assistant message's {@code tool_calls}, and every call of such a
     * message must be answered before the conversation goes on.
     */
    private static Violation toolConversation(JsonNode messages) {
        Set<String> open = null; // ids of the latest assistant tool_calls not yet answered; null: no such message just before
        int openAt = -1;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if ("tool".equals(m.path("role").asText())) {
                String id = m.path("tool_call_id").asText();
                if (open == null) {
                    return new Violation("Invalid parameter: messages with role 'tool' must be a response to a preceeding "
                            + "message with 'tool_calls'.", "messages.[" + i + "].role", null);
                }
                if (!open.remove(id)) {
                    return new Violation("Invalid parameter: 'tool_call_id' of '" + id + "' not found in 'tool_calls' of "
                            + "previous message.", "messages.[" + i + "].tool_call_id", null);
                }
                continue;
            }
            if (open != null && !open.isEmpty()) {
                return unanswered(open, i);
            }
            open = callIds(m);
            openAt = i;
        }
        return open != null && !open.isEmpty() ? unanswered(open, openAt) : null;
    }

    private static Set<String> callIds(JsonNode m) {
        if (!"assistant".equals(m.path("role").asText()) || !m.path("tool_calls").isArray() || m.path("tool_calls").isEmpty()) {
            return null;
        }
        Set<String> ids = new LinkedHashSet<>();
        m.path("tool_calls").forEach(c -> ids.add(c.path("id").asText()));
        return ids;
    }

    private static Violation unanswered(Set<String> ids, int at) {
        return new Violation("An assistant message with 'tool_calls' must be followed by tool messages responding to each "
                + "'tool_call_id'. The following tool_call_ids did not have response messages: " + String.join(", ", ids),
                "messages.[" + at + "].role", null);
    }

    /** An image URL is fetched over http(s) or carried inline as a base64 data URL; nothing else reaches the model. */
    private static Violation images(JsonNode messages) {
        for (int i = 0; i < messages.size(); i++) {
            JsonNode content = messages.get(i).path("content");
            for (int j = 0; content.isArray() && j < content.size(); j++) {
                JsonNode part = content.get(j);
                if ("image_url".equals(part.path("type").asText())) {
                    String problem = imageUrlProblem(part.path("image_url").path("url").asText(""));
                    if (problem != null) {
                        String param = "messages[" + i + "].content[" + j + "].image_url.url";
                        return new Violation("Invalid image URL: '" + param + "'. Expected a base64-encoded data URL with an "
                                + "image MIME type (e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got " + problem
                                + ".", param, "invalid_value");
                    }
                }
            }
        }
        return null;
    }

    private static String imageUrlProblem(String url) {
        if (url.startsWith("http://") || url.startsWith("https://")) {
            return null;
        }
        if (!url.startsWith("data:")) {
            return "a value without the 'data:' prefix";
        }
        java.util.regex.Matcher m = DATA_URL.matcher(url);
        if (!m.matches()) {
            return "an invalid base64-encoded value";
        }
        if (m.group(2).isEmpty()) {
            return "empty base64-encoded bytes";
        }
        return BASE64.matcher(m.group(2)).matches() && m.group(2).length() % 4 == 0 ? null : "an invalid base64-encoded value";
    }

    private static boolean present(JsonNode req, String field) {
        return req.has(field) && !req.get(field).isNull();
    }
}
