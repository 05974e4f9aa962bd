package dev.switchboard.neo4j;

import dev.switchboard.monitor.MetricRecord;
import java.time.Instant;

/** Metric records with every field set, so a round trip shows any field a store loses. */
final class Records {
    private Records() {}

    static MetricRecord attempt(Instant at, String requestId, String provider, String model, String outcome) {
        return attempt(at, requestId, provider, model, outcome, null, null);
    }

    static MetricRecord attempt(Instant at, String requestId, String provider, String model, String outcome,
                                String fallbackFrom, String fallbackFromProvider) {
        boolean ok = MetricRecord.SUCCESS.equals(outcome);
        return new MetricRecord(MetricRecord.ATTEMPT, at, requestId, model, provider, provider + "-type", "general",
                outcome, 812.5, 95.25, 42.125, 120, ok ? 256 : 0, ok ? 376 : 120, 0.00042, 0.75, 0.9,
                Boolean.TRUE, fallbackFrom, fallbackFromProvider, ok ? null : "upstream said: " + outcome);
    }

    static MetricRecord feedback(Instant at, String requestId, String provider, String model) {
        return MetricRecord.feedback(at, requestId, model, provider, provider + "-type", "therapeutic", 0.8, 0.95);
    }
}
