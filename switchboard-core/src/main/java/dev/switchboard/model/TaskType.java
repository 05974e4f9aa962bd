package dev.switchboard.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The eight task types of the seed; selection weighs models differently per task. */
public enum TaskType {
    NARRATIVE_GENERATION("narrative_generation"),
    DIALOGUE_GENERATION("dialogue_generation"),
    CHARACTER_DEVELOPMENT("character_development"),
    THERAPEUTIC_RESPONSE("therapeutic_response"),
    WORLD_BUILDING("world_building"),
    CHOICE_GENERATION("choice_generation"),
    CONSEQUENCE_ANALYSIS("consequence_analysis"),
    GENERAL_CHAT("general_chat");

    private final String wire;

    TaskType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** Accepts the wire value or the enum name, case-insensitively (the seed accepted both). */
    @JsonCreator
    public static TaskType fromWire(String value) {
        if (value != null) {
            for (TaskType t : values()) {
                if (t.wire.equalsIgnoreCase(value) || t.name().equalsIgnoreCase(value)) {
                    return t;
                }
            }
        }
        throw new InvalidRequestException("task_type", "unknown task type '" + value + "', expected one of " + allWire());
    }

    public static String allWire() {
        return Arrays.stream(values()).map(TaskType::wire).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return wire;
    }
}
