package dev.switchboard.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The order of the deployments left after a failure ({@code fallback_config.fallback_strategy}, the seed's). */
public enum FallbackStrategy {
    /** The ranking's order (the default). */
    PERFORMANCE_BASED("performance_based"),
    /** Cheaper first. */
    COST_BASED("cost_based"),
    /** Fewer recorded failures first. */
    AVAILABILITY_BASED("availability_based");

    private final String wire;

    FallbackStrategy(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static FallbackStrategy fromWire(String value) {
        for (FallbackStrategy s : values()) {
            if (s.wire.equalsIgnoreCase(value) || s.name().equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not a fallback strategy; expected one of "
                + Arrays.stream(values()).map(FallbackStrategy::wire).collect(Collectors.joining(", ")));
    }
}
