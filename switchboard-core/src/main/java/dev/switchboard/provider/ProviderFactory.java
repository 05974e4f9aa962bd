package dev.switchboard.provider;

/**
 * Registers a provider implementation under a kind: the provider type's wire name ({@code openrouter},
 * {@code ollama}, …) or {@code custom_api/<api_type>}. Found with {@link java.util.ServiceLoader}, so optional
 * modules (the in-process GGUF runtime) plug in by being on the classpath.
 */
public interface ProviderFactory {
    String kind();

    ModelProvider create();
}
