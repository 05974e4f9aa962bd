package dev.switchboard.provider;

import dev.switchboard.model.ProviderType;
import java.time.Instant;
import java.util.List;

/** The seed's provider metrics, plus the instance name, endpoint (credentials stripped) and last error. */
public record ProviderStatus(
        String name,
        ProviderType providerType,
        String endpoint,
        boolean initialized,
        boolean healthy,
        int loadedModelsCount,
        int availableModelsCount,
        Instant lastModelRefresh,
        Instant lastHealthCheck,
        List<String> loadedModels,
        String lastError) {

    public ProviderStatus {
        loadedModels = loadedModels == null ? List.of() : List.copyOf(loadedModels);
    }
}
