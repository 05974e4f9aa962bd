package dev.switchboard.manager;

import dev.switchboard.model.DeploymentKey;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.provider.ModelProvider;
import dev.switchboard.provider.PullProgress;
import dev.switchboard.routing.Catalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models: what the catalog lists, and the one registry of model instances this process has loaded (load,
 * unload, pull, delete). A provider may keep its own view of what it holds (Ollama's loaded models, the in-process
 * runtime's context); this registry is which instance a request goes to.
 */
public final class ModelLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ModelLifecycle.class);

    private final Supplier<Catalog> catalog;
    private final Runnable requireRunning;
    private final Map<DeploymentKey, ModelInstance> active = new ConcurrentHashMap<>();

    /**
     * @param catalog        the catalog now (empty while stopped)
     * @param requireRunning a 503 unless the manager runs; what callers ask of a stopped manager
     */
    ModelLifecycle(Supplier<Catalog> catalog, Runnable requireRunning) {
        this.catalog = catalog;
        this.requireRunning = requireRunning;
    }

    /** Looks up {@code provider:model} or a bare model id in the catalog. */
    public ModelInfo resolve(String ref) {
        requireRunning.run();
        return catalog.get().resolve(ref);
    }

    public List<ModelInfo> availableModels(String providerName, boolean freeOnly) {
        requireRunning.run();
        Catalog c = catalog.get();
        List<ModelInfo> models = providerName == null ? c.all() : c.of(providerName);
        return freeOnly ? models.stream().filter(ModelInfo::isFree).toList() : models;
    }

    public List<ModelInfo> freeModels(String providerName) {
        return availableModels(providerName, true);
    }

    /** Free models and models priced at or below the cap (per token, USD); unpriced models are left out. */
    public List<ModelInfo> affordableModels(double maxCostPerToken, String providerName) {
        return availableModels(providerName, false).stream()
                .filter(m -> m.isFree() || (m.costPerToken() != null && m.costPerToken() <= maxCostPerToken))
                .toList();
    }

    public ModelInstance load(String providerName, String modelId) {
        requireRunning.run();
        ModelProvider provider = providerNamed(providerName);
        ModelInstance instance;
        try {
            ModelInfo model = catalog.get().find(new DeploymentKey(provider.name(), modelId));
            instance = provider.load(model.modelId(), Map.of());
        } catch (UnknownModelException notListed) {
            // Providers with a model store (Ollama's auto_pull) may fetch a model the catalog does not list yet.
            instance = provider.load(modelId, Map.of());
        }
        DeploymentKey key = new DeploymentKey(provider.name(), instance.modelId());
        active.put(key, instance);
        log.info("loaded {}", key);
        return instance;
    }

    /** Unloads a model from one provider, or from every provider that has it loaded. */
    public boolean unload(String modelId, String providerName) {
        requireRunning.run();
        Catalog c = catalog.get();
        ModelProvider named = providerName == null ? null : c.provider(providerName);
        List<DeploymentKey> keys = new ArrayList<>();
        for (Map.Entry<DeploymentKey, ModelInstance> e : active.entrySet()) {
            ModelInstance i = e.getValue();
            if (i.modelId().equals(modelId) && (providerName == null || i.provider().equals(providerName)
                    || (named != null && named.name().equals(i.provider())))) {
                keys.add(e.getKey());
            }
        }
        for (DeploymentKey key : keys) {
            ModelInstance i = active.remove(key);
            ModelProvider p = c.provider(i.provider());
            if (p != null) {
                p.unload(i.modelId());
            }
            log.info("unloaded {}", key);
        }
        return !keys.isEmpty();
    }

    /** Downloads a model into a provider's store (Ollama's pull), reporting each step to {@code progress}. */
    public void pull(String providerName, String modelId, PullProgress progress) {
        requireRunning.run();
        providerNamed(providerName).pull(modelId, progress);
    }

    /** Deletes a downloaded model from a provider's store; false when the provider does not have it. */
    public boolean delete(String providerName, String modelId) {
        requireRunning.run();
        ModelProvider provider = providerNamed(providerName);
        active.remove(new DeploymentKey(provider.name(), modelId));
        return provider.delete(modelId);
    }

    /** The instance a request for {@code model} goes to: the loaded one while it is healthy, else a fresh load. */
    ModelInstance instanceFor(ModelInfo model) {
        DeploymentKey key = model.deployment();
        ModelInstance instance = active.get(key);
        if (instance != null && instance.healthCheck()) {
            return instance;
        }
        ModelProvider provider = catalog.get().provider(model.provider());
        if (provider == null) {
            throw new UnknownModelException("provider '" + model.provider() + "' is not running");
        }
        if (instance != null) {
            provider.unload(model.modelId());
        }
        instance = provider.load(model.modelId(), Map.of());
        active.put(key, instance);
        return instance;
    }

    ModelProvider providerNamed(String providerName) {
        ModelProvider provider = catalog.get().provider(providerName);
        if (provider == null) {
            throw new UnknownModelException("unknown provider '" + providerName + "'");
        }
        return provider;
    }

    /** The loaded deployments, in order. */
    List<String> loaded() {
        return active.keySet().stream().sorted().map(DeploymentKey::toString).toList();
    }

    /** Forgets instances that no longer pass their own check (the periodic health check). */
    void dropUnhealthy() {
        active.entrySet().removeIf(e -> !e.getValue().healthCheck());
    }

    /** Unloads everything (on stop). */
    void unloadAll() {
        Catalog c = catalog.get();
        for (ModelInstance i : active.values()) {
            ModelProvider p = c.provider(i.provider());
            if (p != null) {
                p.unload(i.modelId());
            }
        }
        active.clear();
    }
}
