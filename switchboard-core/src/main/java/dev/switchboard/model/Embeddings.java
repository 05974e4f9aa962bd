package dev.switchboard.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The vectors for a list of inputs, in input order, with the tokens the upstream counted and, once routed,
 * Switchboard's metadata (request id, routing explanation).
 */
public record Embeddings(String modelId, String provider, List<double[]> vectors, Usage usage, Map<String, Object> metadata) {
    public Embeddings {
        vectors = vectors == null ? List.of() : List.copyOf(vectors);
        usage = usage == null ? Usage.NONE : usage;
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public Embeddings(String modelId, String provider, List<double[]> vectors, Usage usage) {
        this(modelId, provider, vectors, usage, Map.of());
    }

    /** The deployment that embedded the inputs. */
    public DeploymentKey deployment() {
        return new DeploymentKey(provider, modelId);
    }
}
