package dev.switchboard.provider.openrouter;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.provider.FreeModelFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's free-model filter: where each setting comes from (what the API set, then configuration, then the
 * environment, then the seed's defaults) and what the settings do to a catalog.
 */
final class FreeModelPolicy {
    private static final Logger log = LoggerFactory.getLogger(FreeModelPolicy.class);
    static final String ENV_SHOW_FREE_ONLY = "OPENROUTER_SHOW_FREE_ONLY";
    static final String ENV_PREFER_FREE = "OPENROUTER_PREFER_FREE_MODELS";
    static final String ENV_MAX_COST = "OPENROUTER_MAX_COST_PER_TOKEN";

    private FreeModelPolicy() {}

    /** The settings as stored after an API change; a null field falls through to the next source. */
    record Stored(Boolean showFreeOnly, Boolean preferFree, Double maxCostPerToken) {
        static Stored of(FreeModelFilter f) {
            return new Stored(f.showFreeOnly(), f.preferFree(), f.maxCostPerToken());
        }
    }

    /** Throws {@link IllegalArgumentException} naming the setting when configuration or environment is invalid. */
    static FreeModelFilter resolve(Stored stored, ProviderConfig config, Map<String, String> env) {
        Stored s = stored == null ? new Stored(null, null, null) : stored;
        Double storedCap = s.maxCostPerToken();
        if (storedCap != null && !validCap(storedCap)) {
            log.warn("ignoring the stored max_cost_per_token {}: not a finite number of 0 or more", storedCap);
            storedCap = null;
        }
        Double configCap = config.maxCostPerToken();
        if (configCap != null && !validCap(configCap)) {
            throw new IllegalArgumentException("max_cost_per_token: '" + configCap + "' is not valid, expected a number of 0 or more");
        }
        return new FreeModelFilter(
                first(s.showFreeOnly(), config.showFreeOnly(), flag(env, ENV_SHOW_FREE_ONLY), FreeModelFilter.DEFAULTS.showFreeOnly()),
                first(s.preferFree(), config.preferFreeModels(), flag(env, ENV_PREFER_FREE), FreeModelFilter.DEFAULTS.preferFree()),
                first(storedCap, configCap, cap(env, ENV_MAX_COST), FreeModelFilter.DEFAULTS.maxCostPerToken()));
    }

    /** The filter a caller asked for, or a 400 naming what is wrong with it. */
    static FreeModelFilter validated(FreeModelFilter f) {
        if (!validCap(f.maxCostPerToken())) {
            throw new InvalidRequestException("max_cost_per_token",
                    "must be a finite number of 0 or more, got " + f.maxCostPerToken());
        }
        return f;
    }

    /**
     * Free only; else free models first, then priced models at or under the cap (an unknown price is not known to
     * be under it); else everything. Catalog order is kept within each group.
     */
    static List<ModelInfo> apply(List<ModelInfo> models, FreeModelFilter f) {
        if (!f.showFreeOnly() && !f.preferFree()) {
            return models;
        }
        List<ModelInfo> free = new ArrayList<>();
        List<ModelInfo> affordable = new ArrayList<>();
        for (ModelInfo m : models) {
            if (m.isFree()) {
                free.add(m);
            } else if (!f.showFreeOnly() && m.costPerToken() != null && m.costPerToken() <= f.maxCostPerToken()) {
                affordable.add(m);
            }
        }
        free.addAll(affordable);
        return List.copyOf(free);
    }

    private static boolean validCap(double v) {
        return v >= 0 && !Double.isInfinite(v);
    }

    @SafeVarargs
    private static <T> T first(T... candidates) {
        for (T c : candidates) {
            if (c != null) {
                return c;
            }
        }
        throw new IllegalStateException("no default");
    }

    private static Boolean flag(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(name + ": '" + v + "' is not a boolean, expected true or false");
        };
    }

    private static Double cap(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            double d = Double.parseDouble(v.strip());
            if (validCap(d)) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + ": '" + v + "' is not valid, expected a number of 0 or more (USD per token)");
    }
}
