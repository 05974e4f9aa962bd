package dev.switchboard.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum Role {
    SYSTEM, DEVELOPER, USER, ASSISTANT, TOOL;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * OpenAI's newer {@code developer} role means the same as {@code system} to every other API; it is kept apart only
     * so an OpenAI upstream gets back the role the client sent.
     */
    public boolean isSystem() {
        return this == SYSTEM || this == DEVELOPER;
    }

    public static Role fromWire(String value) {
        if (value != null) {
            switch (value) {
                case "system" -> { return SYSTEM; }
                case "developer" -> { return DEVELOPER; }
                case "user" -> { return USER; }
                case "assistant" -> { return ASSISTANT; }
                case "tool" -> { return TOOL; }
                default -> { }
            }
        }
        throw new InvalidRequestException("role", "unknown role '" + value + "', expected system, developer, user, assistant or tool");
    }
}
