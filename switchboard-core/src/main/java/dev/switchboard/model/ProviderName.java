package dev.switchboard.model;

/**
 * A provider's configured name read as its parts: a kind with one instance is named by its kind
 * ({@code openrouter}); each {@code custom_api} endpoint is an instance of its own, {@code custom_api:vllm}, which
 * also answers to its short name {@code vllm}. Configuration is keyed by kind (the {@code providers} section), and
 * budgets and model entries may use the short name.
 */
public record ProviderName(String kind, String instance) {
    public static ProviderName of(String name) {
        int colon = name.indexOf(':');
        return colon < 0 ? new ProviderName(name, null) : new ProviderName(name.substring(0, colon), name.substring(colon + 1));
    }

    /** The name it answers to besides its full one: the instance's own, or null for a kind's only instance. */
    public String shortName() {
        return instance;
    }

    @Override
    public String toString() {
        return instance == null ? kind : kind + ":" + instance;
    }
}
