package dev.switchboard.model;

import com.fasterxml.jackson.databind.JsonNode;

/** Whether and which tool the model must call. */
public sealed interface ToolChoice {
    ToolChoice AUTO = new Auto();
    ToolChoice NONE = new None();
    ToolChoice REQUIRED = new Required();

    /** The model decides. */
    record Auto() implements ToolChoice {}

    /** The model must not call a tool. */
    record None() implements ToolChoice {}

    /** The model must call some tool (OpenAI's {@code required}, Anthropic's {@code any}). */
    record Required() implements ToolChoice {}

    /** The model must call this function. */
    record Named(String name) implements ToolChoice {
        public Named {
            if (name == null || name.isBlank()) {
                throw new InvalidRequestException("tool_choice", "a named tool choice needs the function's name");
            }
        }
    }

    /** A form this model does not interpret (OpenAI's {@code allowed_tools}), as the door received it. */
    record Opaque(JsonNode raw) implements ToolChoice {}
}
