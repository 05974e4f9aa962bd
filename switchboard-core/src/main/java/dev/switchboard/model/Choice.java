package dev.switchboard.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One of the answers a model gave: the assistant message (text, tool calls, refusal), why it ended, the token
 * log-probabilities when asked for (in OpenAI's {@code {content, refusal}} shape, which is what every dialect that
 * has them uses), and the upstream's other choice fields.
 */
public record Choice(int index, Message message, FinishReason finishReason, JsonNode logprobs,
                     Map<String, JsonNode> extras) {
    public Choice {
        if (message == null) {
            message = new Message(Role.ASSISTANT, java.util.List.of(), null, null, null, null, null);
        }
        finishReason = finishReason == null ? FinishReason.STOP : finishReason;
        logprobs = logprobs == null || logprobs.isNull() ? null : logprobs;
        extras = extras == null || extras.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    /** A plain text answer. */
    public static Choice text(String text, FinishReason finish) {
        return new Choice(0, Message.assistant(text), finish, null, null);
    }
}
