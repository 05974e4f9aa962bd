package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;

/** What the real Messages API refuses with a 400 invalid_request_error, in its own words. */
final class AnthropicRequestRules {
    private AnthropicRequestRules() {}

    /** The first thing the real API would reject in this body, in its words; null when the body is valid. */
    static String firstViolation(JsonNode req) {
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
            if (content.isTextual() && content.asText().isEmpty() && !finalAssistant) {
                return "messages." + i + ": all messages must have non-empty content except for the optional final assistant message";
            }
            if (content.isArray()) {
                for (JsonNode block : content) {
                    if (!"text".equals(block.path("type").asText()) || block.path("text").asText("").isEmpty()) {
                        return "messages: text content blocks must be non-empty";
                    }
                }
            } else if (!content.isTextual()) {
                return "messages." + i + ".content: Input should be a valid string or list of content blocks";
            }
        }
        return null;
    }

}
