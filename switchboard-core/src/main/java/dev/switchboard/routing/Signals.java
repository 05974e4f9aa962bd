package dev.switchboard.routing;

import dev.switchboard.model.ModelInfo;

/**
 * What the selector learns from outside the catalog: how well a model fits this machine (the hardware issue fills
 * this in) and how it has behaved lately (the monitoring issue fills this in). Defaults add nothing.
 */
public interface Signals {
    Signals NONE = new Signals() { };

    /** The seed's hardware-compatibility bonus (0 to 1.5); 0 for cloud models. */
    default double hardwareBonus(ModelInfo model) {
        return 0;
    }

    /** The seed's performance-history bonus from observed quality and success rate. */
    default double historyBonus(ModelInfo model) {
        return 0;
    }

    /** Observed typical latency in ms, or NaN when there is no history. */
    default double observedLatencyMs(ModelInfo model) {
        return Double.NaN;
    }
}
