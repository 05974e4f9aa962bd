package dev.switchboard.server.api;

import dev.switchboard.model.InvalidRequestException;
import java.util.List;
import java.util.Set;

/**
 * The bodies the seed's frontend posts to {@code /api/v1/analytics} ({@code analyticsAPI} in its {@code api.ts}), one
 * record per kind. The strict parser settles JSON types and unknown fields; {@link Body#check()} refuses what the
 * types allow but the frontend's declarations do not (a missing required field, a score of 11), naming the field.
 * Free text is capped, since every event is kept for a month.
 */
final class AnalyticsBodies {
    private AnalyticsBodies() {}

    static final int MAX_ID = 256;
    static final int MAX_REASON = 1000;
    static final int MAX_FEEDBACK = 4000;
    static final int MAX_PROVIDERS = 100;

    /** A body with the right JSON types, to be checked against the frontend's declarations before it is kept. */
    interface Body {
        void check();
    }

    record ModelSelection(String modelId, String provider, Boolean isFree, Double costPerToken, String selectionReason,
                          String userId, String sessionId) implements Body {
        @Override
        public void check() {
            id("model_id", modelId);
            id("provider", provider);
            required("is_free", isFree);
            if (costPerToken != null) {
                atLeastZero("cost_per_token", costPerToken);
            }
            text("selection_reason", selectionReason, MAX_REASON);
            id("user_id", userId);
            if (sessionId != null) {
                id("session_id", sessionId);
            }
        }
    }

    private static final Set<String> FILTER_TYPES = Set.of("free_only", "affordable", "all");

    record FilterUsage(String filterType, Double maxCostThreshold, String userId, Long modelsShown, Long modelsSelected)
            implements Body {
        @Override
        public void check() {
            oneOf("filter_type", filterType, FILTER_TYPES, "free_only, affordable or all");
            if (maxCostThreshold != null) {
                atLeastZero("max_cost_threshold", maxCostThreshold);
            }
            id("user_id", userId);
            count("models_shown", required("models_shown", modelsShown));
            if (modelsSelected != null) {
                count("models_selected", modelsSelected);
            }
        }
    }

    record UserPreferences(String userId, Preferences preferences) implements Body {
        @Override
        public void check() {
            id("user_id", userId);
            required("preferences", preferences).check();
        }
    }

    private static final Set<String> FREQUENCIES = Set.of("low", "medium", "high");

    record Preferences(Boolean preferFreeModels, Double maxCostTolerance, List<String> preferredProviders,
                       String modelSwitchingFrequency) {
        void check() {
            required("preferences.prefer_free_models", preferFreeModels);
            atLeastZero("preferences.max_cost_tolerance", required("preferences.max_cost_tolerance", maxCostTolerance));
            List<String> providers = required("preferences.preferred_providers", preferredProviders);
            if (providers.size() > MAX_PROVIDERS) {
                throw new InvalidRequestException("preferences.preferred_providers", "must hold at most " + MAX_PROVIDERS
                        + " providers, got " + providers.size());
            }
            for (int i = 0; i < providers.size(); i++) {
                id("preferences.preferred_providers[" + i + "]", providers.get(i));
            }
            oneOf("preferences.model_switching_frequency", modelSwitchingFrequency, FREQUENCIES, "low, medium or high");
        }
    }

    record ModelSatisfaction(String modelId, String provider, String userId, String sessionId, Double satisfactionScore,
                             String feedback, Double performanceRating, Double costSatisfaction) implements Body {
        @Override
        public void check() {
            id("model_id", modelId);
            id("provider", provider);
            id("user_id", userId);
            id("session_id", sessionId);
            score("satisfaction_score", required("satisfaction_score", satisfactionScore));
            text("feedback", feedback, MAX_FEEDBACK);
            if (performanceRating != null) {
                score("performance_rating", performanceRating);
            }
            if (costSatisfaction != null) {
                score("cost_satisfaction", costSatisfaction);
            }
        }
    }

    private static <T> T required(String field, T value) {
        if (value == null) {
            throw new InvalidRequestException(field, "is required");
        }
        return value;
    }

    /** A required identifier: a non-blank string of at most {@value #MAX_ID} characters. */
    private static void id(String field, String value) {
        if (required(field, value).isBlank()) {
            throw new InvalidRequestException(field, "must not be empty");
        }
        text(field, value, MAX_ID);
    }

    private static void text(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new InvalidRequestException(field, "must be at most " + max + " characters, got " + value.length());
        }
    }

    private static void oneOf(String field, String value, Set<String> allowed, String described) {
        if (!allowed.contains(required(field, value))) {
            throw new InvalidRequestException(field, "must be " + described + ", got '" + shorten(value) + "'");
        }
    }

    private static void atLeastZero(String field, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new InvalidRequestException(field, "must be a finite number of 0 or more, got " + value);
        }
    }

    private static void count(String field, long value) {
        if (value < 0) {
            throw new InvalidRequestException(field, "must be a whole number of 0 or more, got " + value);
        }
    }

    private static void score(String field, double value) {
        if (!(value >= 1 && value <= 10)) {
            throw new InvalidRequestException(field, "must be a number from 1 to 10, got " + value);
        }
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
