package dev.switchboard.manager;

import dev.switchboard.config.ModelManagementConfig;
import dev.switchboard.provider.ModelProvider;
import dev.switchboard.provider.ProviderFactory;
import dev.switchboard.provider.ProviderSettings;
import dev.switchboard.provider.ProviderStatus;
import dev.switchboard.state.SettingsStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts every enabled provider in parallel (an unreachable upstream costs its connect timeout once, not once per
 * provider). A provider that cannot start is reported with its error and never stops the others.
 */
final class ProviderLauncher {
    private static final Logger log = LoggerFactory.getLogger(ProviderLauncher.class);

    record Launched(List<ModelProvider> started, Map<String, ProviderStatus> failed) {}

    static Launched launch(ModelManagementConfig config, ProviderRegistry registry, Map<String, String> env,
                           SettingsStore settings) {
        List<ProviderSpec> specs = config.enabled() ? ProviderSpec.from(config) : List.of();
        Map<String, ProviderStatus> failed = new LinkedHashMap<>();
        List<ModelProvider> started = new ArrayList<>();
        try (ExecutorService init = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ModelProvider>> futures = new ArrayList<>();
            for (ProviderSpec spec : specs) {
                futures.add(init.submit(() -> start(spec, config, registry, env, settings, failed)));
            }
            for (Future<ModelProvider> f : futures) {
                ModelProvider p = f.get();
                if (p != null) {
                    started.add(p);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.forEach(ModelProvider::close);
            throw new IllegalStateException("interrupted while starting providers", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("provider start failed unexpectedly", e.getCause());
        }
        return new Launched(started, failed);
    }

    private static ModelProvider start(ProviderSpec spec, ModelManagementConfig config, ProviderRegistry registry,
                                       Map<String, String> env, SettingsStore settings, Map<String, ProviderStatus> failed) {
        ProviderFactory factory = registry.find(spec.kind());
        if (factory == null) {
            fail(spec, "no implementation of provider kind '" + spec.kind() + "' in this build (available: "
                    + String.join(", ", registry.kinds()) + ")", failed);
            return null;
        }
        ModelProvider provider = factory.create();
        try {
            provider.initialize(new ProviderSettings(spec.name(), spec.type(), spec.config(), spec.endpoint(),
                    Duration.ofSeconds(config.cacheTtlSeconds()), env, settings));
            return provider;
        } catch (RuntimeException e) {
            provider.close();
            fail(spec, e.getMessage(), failed);
            return null;
        }
    }

    private static void fail(ProviderSpec spec, String error, Map<String, ProviderStatus> failed) {
        log.error("provider {} ({}) failed to start: {}", spec.name(), spec.kind(), error);
        synchronized (failed) {
            failed.put(spec.name(), new ProviderStatus(spec.name(), spec.type(), null, false, false, 0, 0,
                    null, Instant.now(), List.of(), error));
        }
    }
}
