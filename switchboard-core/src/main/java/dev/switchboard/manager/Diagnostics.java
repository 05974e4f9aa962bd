package dev.switchboard.manager;

import dev.switchboard.hardware.HardwareFit;
import dev.switchboard.hardware.HardwareInfo;
import dev.switchboard.hardware.Recommender;
import dev.switchboard.hardware.SystemReport;
import dev.switchboard.model.Caller;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.DeploymentKey;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.TaskType;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.monitor.Monitoring;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.provider.ModelProvider;
import dev.switchboard.provider.ProviderStatus;
import dev.switchboard.routing.Catalog;
import dev.switchboard.routing.Routing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the service says about itself: status, the connectivity test, fallback statistics and their reset, spend,
 * where data lives, and this machine (hardware, how models fit, recommendations). The machine is described whether
 * or not the manager runs; the rest needs it running.
 */
public final class Diagnostics {
    private final ModelManager manager;
    private final HardwareFit hardwareFit;

    Diagnostics(ModelManager manager, HardwareFit hardwareFit) {
        this.manager = manager;
        this.hardwareFit = hardwareFit;
    }

    public SystemStatus status() {
        Catalog catalog = manager.currentCatalog();
        Map<String, ProviderStatus> providers = new LinkedHashMap<>();
        for (ModelProvider p : catalog.providers()) {
            try {
                providers.put(p.name(), p.status());
            } catch (RuntimeException e) {
                providers.put(p.name(), new ProviderStatus(p.name(), p.type(), null, true, false, 0, 0, null, null,
                        List.of(), e.getMessage()));
            }
        }
        providers.putAll(manager.failedProviders());
        List<String> loaded = manager.models().loaded();
        Routing r = manager.currentRouting();
        return new SystemStatus(manager.isRunning(), loaded.size(), loaded, providers,
                SystemReport.systemResources(hardware()), manager.lastHealthCheck(),
                r == null ? Map.of() : r.deploymentStates(), monitoringStatus());
    }

    /** The seed's connectivity test: a real ten-token generation, timed. Failures are reported, not thrown. */
    public ConnectivityResult testConnectivity(String modelId, String providerName) {
        Catalog catalog = manager.runningCatalog();
        String providerLabel = providerName;
        try {
            ModelInfo model = providerName == null || providerName.isBlank() ? catalog.resolve(modelId)
                    : catalog.find(new DeploymentKey(manager.models().providerNamed(providerName).name(), modelId));
            providerLabel = model.provider();
            ModelInstance instance = manager.models().instanceFor(model);
            boolean healthy = instance.healthCheck();
            ChatRequest probe = ChatRequest.builder().prompt("Hello, how are you?").maxTokens(10).temperature(0.0).build();
            long start = System.nanoTime();
            ChatResponse r = instance.generate(probe);
            double ms = (System.nanoTime() - start) / 1e6;
            String text = r.text().length() > 100 ? r.text().substring(0, 100) + "..." : r.text();
            return new ConnectivityResult(model.modelId(), model.provider(), healthy, !r.text().isEmpty(), ms, text, null, "success");
        } catch (ModelFailure | UnknownModelException e) {
            return new ConnectivityResult(modelId, providerLabel, false, false, null, null, e.getMessage(), "failed");
        }
    }

    /** The seed's fallback statistics, with each deployment's cooldown and breaker state. */
    public Map<String, Object> fallbackStatistics() {
        Routing routing = manager.runningRouting();
        Map<String, Boolean> health = new LinkedHashMap<>();
        status().providers().forEach((name, st) -> health.put(name, st.healthy()));
        return routing.fallbackStatistics(health);
    }

    /** Forgets a model's failures, cooldowns and breaker state; false when none were recorded. */
    public boolean resetFailures(String modelRef) {
        return manager.runningRouting().reset(modelRef);
    }

    /** Spend against the budgets, globally and per provider. */
    public Map<String, Object> spend() {
        Routing routing = manager.runningRouting();
        return routing.spend(manager.currentCatalog().providers().stream().map(ModelProvider::name).toList());
    }

    /** What a user paid with their own key through Switchboard, today and this month. */
    public Map<String, Object> callerSpend(Caller caller) {
        return manager.runningRouting().callerSpend(caller);
    }

    /** Where data lives, each metrics store's buffer and delivery figures, and the shared state; no secrets. */
    public Map<String, Object> monitoringStatus() {
        Monitoring m = manager.currentMonitoring();
        return m == null ? Map.of() : m.status();
    }

    /** Brings the cooldown gauges up to date, for a scrape of {@code /metrics}. */
    public void refreshGauges() {
        Monitoring m = manager.currentMonitoring();
        Routing r = manager.currentRouting();
        if (m != null && r != null && m.monitor() != null) {
            m.monitor().deploymentStates(r.deploymentStates());
        }
    }

    /** This machine now (from a cache a few seconds old at most). */
    public HardwareInfo hardware() {
        return hardwareFit.detector().current();
    }

    /** How each model fits this machine: the gate and bonus routing uses. */
    public HardwareFit hardwareFit() {
        return hardwareFit;
    }

    /** {@code GET /models/system}: the machine, its tiers, how size classes and installed models fit. */
    public Map<String, Object> systemReport() {
        return SystemReport.system(hardware(), manager.isRunning() ? manager.currentCatalog().all() : List.of());
    }

    /** The seed's answer: the model ids its rule recommends for a task on this machine, in its order. */
    public List<String> seedRecommendations(TaskType task) {
        return Recommender.seedRecommendations(hardware(), task);
    }

    /** The seed's recommendations for a task on this machine, installed models that fit first. */
    public Recommender.Recommendations recommendations(TaskType task) {
        return Recommender.recommend(hardware(), task, manager.isRunning() ? manager.currentCatalog().all() : List.of());
    }
}
