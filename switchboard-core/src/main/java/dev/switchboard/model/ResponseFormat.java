package dev.switchboard.model;

import com.fasterxml.jackson.databind.JsonNode;

/** The shape the answer must take: free text, any JSON object, or JSON that matches a schema. */
public sealed interface ResponseFormat {
    ResponseFormat TEXT = new Text();
    ResponseFormat JSON_OBJECT = new JsonObject();

    record Text() implements ResponseFormat {}

    record JsonObject() implements ResponseFormat {}

    /** {@code strict}: the upstream must follow the schema exactly (OpenAI's structured outputs). */
    record JsonSchema(String name, String description, JsonNode schema, Boolean strict) implements ResponseFormat {
        public JsonSchema {
            if (name == null || !Tool.NAME.matcher(name).matches()) {
                throw new InvalidRequestException("response_format.json_schema.name",
                        "must be 1 to 64 letters, digits, underscores or hyphens, got '" + name + "'");
            }
            if (schema != null && !schema.isObject()) {
                throw new InvalidRequestException("response_format.json_schema.schema", "must be a JSON Schema object");
            }
        }
    }
}
