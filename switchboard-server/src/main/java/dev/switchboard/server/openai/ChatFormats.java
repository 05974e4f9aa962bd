package dev.switchboard.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.ResponseFormat;

/** OpenAI's {@code response_format}: {@code text}, {@code json_object}, or {@code json_schema} with a named schema. */
final class ChatFormats {
    private ChatFormats() {}

    static ResponseFormat read(JsonNode f) {
        if (f == null || f.isNull()) {
            return null;
        }
        if (!f.isObject() || !f.path("type").isTextual()) {
            throw new InvalidRequestException("response_format", "must be an object with a type: text, json_object or json_schema");
        }
        return switch (f.get("type").asText()) {
            case "text" -> ResponseFormat.TEXT;
            case "json_object" -> ResponseFormat.JSON_OBJECT;
            case "json_schema" -> schema(f.path("json_schema"));
            default -> throw new InvalidRequestException("response_format.type",
                    "must be text, json_object or json_schema, got '" + f.get("type").asText() + "'");
        };
    }

    private static ResponseFormat schema(JsonNode s) {
        if (!s.isObject()) {
            throw new InvalidRequestException("response_format.json_schema", "is required: {name, schema, strict?, description?}");
        }
        JsonNode strict = s.get("strict");
        if (strict != null && !strict.isNull() && !strict.isBoolean()) {
            throw new InvalidRequestException("response_format.json_schema.strict", "must be true or false");
        }
        return new ResponseFormat.JsonSchema(ChatRequests.text(s, "name", "response_format.json_schema"),
                ChatRequests.text(s, "description", "response_format.json_schema"),
                s.get("schema") == null || s.get("schema").isNull() ? null : s.get("schema"),
                strict == null || strict.isNull() ? null : strict.asBoolean());
    }
}
