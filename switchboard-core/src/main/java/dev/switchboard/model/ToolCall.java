package dev.switchboard.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.json.Json;

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

    /**
     * The arguments as a JSON object, for the dialects that carry them as one (Anthropic, Ollama); empty arguments
     * are the empty object. A 400 naming {@code field} and {@code who} when they are not a JSON object.
     */
    public ObjectNode argumentsObject(String field, String who) {
        try {
            JsonNode node = Json.mapper().readTree(arguments.isBlank() ? "{}" : arguments);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException notJson) {
            // refused below
        }
        throw new InvalidRequestException(field, "the arguments of the call to '" + name
                + "' are not a JSON object, which " + who + " needs them to be");
    }
}
