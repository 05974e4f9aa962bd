package dev.switchboard.manager;

import dev.switchboard.provider.ProviderStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The seed's system status, field for field, plus {@code deployments}: every deployment that is cooling down or
 * whose circuit breaker is not closed, with until when; and {@code monitoring}: where data lives, each metrics store's buffer, deliveries and
 * drops, and the shared state (addresses without credentials).
 */
public record SystemStatus(
        boolean initialized,
        int activeModels,
        List<String> activeModelList,
        Map<String, ProviderStatus> providers,
        Map<String, Object> systemResources,
        Instant lastHealthCheck,
        Map<String, Map<String, Object>> deployments,
        Map<String, Object> monitoring) {}
