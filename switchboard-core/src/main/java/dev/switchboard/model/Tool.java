package dev.switchboard.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/** A tool the model may call: a function with a JSON Schema for its arguments, or a tool of another kind. */
public sealed interface Tool {
    /** What OpenAI and Anthropic both accept as a tool name. */
    Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    /**
     * A function. {@code parameters} is a JSON Schema object (null: the function takes no arguments); {@code strict}
     * asks the upstream to follow the schema exactly, where it can.
     */
    record Function(String name, String description, JsonNode parameters, Boolean strict) implements Tool {
        public Function {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new InvalidRequestException("tools", "tool name '" + name
                        + "' must be 1 to 64 letters, digits, underscores or hyphens");
            }
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw new InvalidRequestException("tools", "the parameters of tool '" + name + "' must be a JSON Schema object");
            }
            if (parameters != null && parameters.isNull()) {
                parameters = null;
            }
        }
    }

    /** A tool of a kind this model does not interpret (OpenAI's custom tools, say), as the door received it. */
    record Opaque(String type, JsonNode raw) implements Tool {}
}
