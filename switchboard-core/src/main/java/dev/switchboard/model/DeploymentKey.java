package dev.switchboard.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * One deployment: a model at one provider. Both parts may hold colons ({@code custom_api:vllm} serving
 * {@code llama3.2:3b}), so the key is never split back from its wire form by guessing; the catalog, which knows
 * the provider names, is the one place that reads a reference ({@code Catalog.deployments}).
 *
 * <p>{@link #toString()} is the wire form {@code provider:model}, as explanations, status pages, metrics and logs
 * show it. Stored state (cooldowns and failure windows, in Redis too; the fallback statistics; the breakers' and
 * rate limits' names) is kept under that wire form: it must read back without the catalog, and only the catalog
 * could split it again.
 */
public record DeploymentKey(String provider, String modelId) implements Comparable<DeploymentKey> {
    private static final Comparator<DeploymentKey> ORDER =
            Comparator.comparing(DeploymentKey::provider).thenComparing(DeploymentKey::modelId);

    public DeploymentKey {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(modelId, "modelId");
    }

    @Override
    public String toString() {
        return provider + ":" + modelId;
    }

    @Override
    public int compareTo(DeploymentKey o) {
        return ORDER.compare(this, o);
    }
}
