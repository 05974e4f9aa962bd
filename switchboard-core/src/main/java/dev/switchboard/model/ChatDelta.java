package dev.switchboard.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One piece of a streamed answer, for one choice: text, refusal text, a fragment of a tool call, log-probabilities,
 * or the reason the choice ended. {@code extras} are the upstream's other delta fields (OpenRouter's
 * {@code reasoning}, say), for a door of the same dialect.
 */
public record ChatDelta(int choice, String text, String refusal, ToolCallDelta toolCall, JsonNode logprobs,
                        FinishReason finishReason, Map<String, JsonNode> extras) {

    public ChatDelta {
        extras = extras == null ? Map.of() : extras;
    }

    /**
     * A fragment of the tool call at {@code index} within the choice: its first fragment has the id and name, later
     * ones add to the arguments. Concatenating every fragment's {@code arguments} gives the call's arguments.
     */
    public record ToolCallDelta(int index, String id, String name, String arguments) {}

    public static ChatDelta text(int choice, String text) {
        return new ChatDelta(choice, text, null, null, null, null, null);
    }

    public static ChatDelta toolCall(int choice, int index, String id, String name, String arguments) {
        return new ChatDelta(choice, null, null, new ToolCallDelta(index, id, name, arguments), null, null, null);
    }

    public static ChatDelta finish(int choice, FinishReason reason) {
        return new ChatDelta(choice, null, null, null, null, reason, null);
    }

    /** Whether this carries anything of the answer (text, refusal, a tool call, logprobs, extras), not just its end. */
    public boolean isOutput() {
        return (text != null && !text.isEmpty()) || (refusal != null && !refusal.isEmpty()) || toolCall != null
                || logprobs != null || !extras.isEmpty();
    }
}
