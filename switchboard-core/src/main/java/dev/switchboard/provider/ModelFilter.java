package dev.switchboard.provider;

import dev.switchboard.model.ModelInfo;
import java.util.List;

/** The seed's catalog filters. Unknown cost or context passes, as in the seed. */
public record ModelFilter(boolean freeOnly, Double maxCostPerToken, Integer minContextLength, List<String> requiredCapabilities) {
    public static final ModelFilter NONE = new ModelFilter(false, null, null, List.of());
    public static final ModelFilter FREE_ONLY = new ModelFilter(true, null, null, List.of());

    public ModelFilter {
        requiredCapabilities = requiredCapabilities == null ? List.of() : List.copyOf(requiredCapabilities);
    }

    public boolean matches(ModelInfo m) {
        if (freeOnly && !m.isFree()) {
            return false;
        }
        if (maxCostPerToken != null && m.costPerToken() != null && m.costPerToken() > maxCostPerToken) {
            return false;
        }
        if (minContextLength != null && m.contextLength() != null && m.contextLength() < minContextLength) {
            return false;
        }
        return m.capabilities().containsAll(requiredCapabilities);
    }

    public List<ModelInfo> apply(List<ModelInfo> models) {
        if (this.equals(NONE)) {
            return models;
        }
        return models.stream().filter(this::matches).toList();
    }
}
