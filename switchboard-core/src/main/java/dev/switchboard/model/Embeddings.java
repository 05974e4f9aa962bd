package dev.switchboard.model;

import java.util.List;

/** The vectors for a list of inputs, in input order, with the tokens the upstream counted. */
public record Embeddings(String modelId, String provider, List<double[]> vectors, Usage usage) {
    public Embeddings {
        vectors = vectors == null ? List.of() : List.copyOf(vectors);
        usage = usage == null ? Usage.NONE : usage;
    }
}
