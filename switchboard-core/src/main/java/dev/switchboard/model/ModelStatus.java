package dev.switchboard.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Lifecycle state of a model instance, as the seed named them. */
public enum ModelStatus {
    UNKNOWN, AVAILABLE, LOADING, READY, BUSY, ERROR, OFFLINE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
