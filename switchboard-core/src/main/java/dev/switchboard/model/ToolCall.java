package dev.switchboard.model;

/**
 * A function call the model made. {@code arguments} is the JSON text the model produced, kept as text: models
 * sometimes produce JSON that does not parse, and the caller (not the gateway) decides what to do with it.
 */
public record ToolCall(String id, String name, String arguments) {
    public ToolCall {
        if (name == null || name.isBlank()) {
            throw new InvalidRequestException("tool_calls", "a tool call needs the function's name");
        }
        arguments = arguments == null ? "" : arguments;
    }
}
