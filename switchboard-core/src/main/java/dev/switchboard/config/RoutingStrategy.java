package dev.switchboard.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** How routing picks between deployments of one model ({@code selection_strategy.routing_strategy}). */
public enum RoutingStrategy {
    /** A weighted random order by each deployment's {@code weight} (the default). */
    WEIGHTED("weighted"),
    /** The deployment with the fewest calls in flight first. */
    LEAST_BUSY("least_busy"),
    /** The deployment with the lowest observed latency first. */
    LATENCY_BASED("latency_based");

    private final String wire;

    RoutingStrategy(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static RoutingStrategy fromWire(String value) {
        for (RoutingStrategy s : values()) {
            if (s.wire.equalsIgnoreCase(value) || s.name().equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not a routing strategy; expected one of "
                + Arrays.stream(values()).map(RoutingStrategy::wire).collect(Collectors.joining(", ")));
    }
}
