package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * What a mock model was asked, read from its own wire format into terms that are the same for every mock, so a test
 * can script one answer for OpenAI, Anthropic and Ollama alike.
 *
 * @param lastUserText  the text of the last user turn (its text parts joined)
 * @param toolNames     the functions offered, in order
 * @param forcedTool    the function the model must call (a named tool choice), "*" when it must call some tool
 *                      (required / any), null otherwise
 * @param toolResults   the results given for earlier calls, by call id (Ollama: by function name), in order
 * @param images        how many images the conversation holds
 * @param jsonSchema    the JSON Schema the answer must follow (response_format json_schema, Ollama's format), or null
 * @param choices       how many choices were asked for ({@code n})
 * @param raw           the request body as received
 */
public record MockAsk(String lastUserText, List<String> toolNames, String forcedTool, Map<String, String> toolResults,
                      int images, JsonNode jsonSchema, int choices, JsonNode raw) {

    public boolean offersTools() {
        return !toolNames.isEmpty();
    }
}
