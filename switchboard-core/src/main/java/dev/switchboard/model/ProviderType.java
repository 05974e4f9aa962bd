package dev.switchboard.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The seed's provider kinds; the wire value is what configuration and the API use. */
public enum ProviderType {
    LOCAL("local"),
    OPENROUTER("openrouter"),
    OLLAMA("ollama"),
    LM_STUDIO("lm_studio"),
    CUSTOM_API("custom_api");

    private final String wire;

    ProviderType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static ProviderType fromWire(String value) {
        for (ProviderType t : values()) {
            if (t.wire.equalsIgnoreCase(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown provider type '" + value + "', expected one of "
                + Arrays.stream(values()).map(ProviderType::wire).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return wire;
    }
}
