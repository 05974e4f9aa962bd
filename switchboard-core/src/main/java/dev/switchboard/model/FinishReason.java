package dev.switchboard.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why generation stopped, in OpenAI's vocabulary, which every other API maps onto. */
public enum FinishReason {
    STOP, LENGTH, CONTENT_FILTER, TOOL_CALLS;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Unknown or missing reasons count as a normal stop rather than failing an otherwise good answer. */
    public static FinishReason fromWire(String value) {
        if (value == null) {
            return STOP;
        }
        return switch (value) {
            case "length", "max_tokens", "model_length", "model_context_window_exceeded" -> LENGTH;
            case "content_filter", "refusal" -> CONTENT_FILTER;
            case "tool_calls", "function_call", "tool_use" -> TOOL_CALLS;
            default -> STOP;
        };
    }
}
