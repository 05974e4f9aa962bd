package dev.switchboard.provider;

/** The seed's free-models filter settings, with its defaults. */
public record FreeModelFilter(boolean showFreeOnly, boolean preferFree, double maxCostPerToken) {
    public static final FreeModelFilter DEFAULTS = new FreeModelFilter(false, true, 0.001);
}
