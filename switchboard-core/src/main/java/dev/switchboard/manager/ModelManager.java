package dev.switchboard.manager;

import dev.switchboard.config.ModelManagementConfig;
import dev.switchboard.hardware.HardwareDetector;
import dev.switchboard.hardware.HardwareFit;
import dev.switchboard.hardware.HardwareInfo;
import dev.switchboard.hardware.Recommender;
import dev.switchboard.hardware.SystemReport;
import dev.switchboard.model.DeploymentKey;
import dev.switchboard.model.TaskType;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.StreamSink;
import dev.switchboard.model.TokenSink;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.provider.Health;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.provider.ModelProvider;
import dev.switchboard.provider.ProviderStatus;
import dev.switchboard.model.Requirements;
import dev.switchboard.routing.Catalog;
import dev.switchboard.routing.Explanation;
import dev.switchboard.routing.Router;
import dev.switchboard.routing.Routing;
import dev.switchboard.monitor.Monitoring;
import dev.switchboard.monitor.PerformanceMonitor;
import dev.switchboard.state.ExpiringState;
import dev.switchboard.state.SettingsStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one facade: starts and stops providers, keeps their health, and serves listings and generation. The API
 * layer talks to this class only. {@link #start()} and {@link #stop()} are idempotent and thread-safe.
 */
public final class ModelManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelManager.class);

    private final ModelManagementConfig config;
    private final ProviderRegistry registry;
    private final Map<String, String> env;
    private final MeterRegistry meterRegistry;
    private final Map<DeploymentKey, ModelInstance> active = new ConcurrentHashMap<>();
    private final Map<String, ProviderStatus> failedProviders = new ConcurrentHashMap<>();

    private final Routing.Extensions extensions;
    private final HardwareFit hardwareFit;

    private volatile boolean running;
    private volatile Monitoring monitoring;
    private volatile dev.switchboard.provider.LoadProgress loadProgress = dev.switchboard.provider.LoadProgress.NONE;
    private volatile Catalog catalog = new Catalog(List.of(), Map.of());
    private volatile Routing routing;
    private volatile Instant lastHealthCheck;
    private ScheduledExecutorService healthLoop;

    public ModelManager(ModelManagementConfig config) {
        this(config, ProviderRegistry.discover(), System.getenv());
    }

    public ModelManager(ModelManagementConfig config, ProviderRegistry registry, Map<String, String> env) {
        this(config, registry, env, Routing.Extensions.defaults());
    }

    /** With the routing extensions other parts plug in (hardware fit, history, shared state, the monitor). */
    public ModelManager(ModelManagementConfig config, ProviderRegistry registry, Map<String, String> env,
                        Routing.Extensions extensions) {
        this(config, registry, env, extensions, new CompositeMeterRegistry());
    }

    /**
     * With a Micrometer registry for the request, latency, token, cost and buffer meters (the server passes its
     * Prometheus registry). Extensions given here win over what monitoring supplies; the rest come from the stores
     * opened at {@link #start()}.
     */
    public ModelManager(ModelManagementConfig config, ProviderRegistry registry, Map<String, String> env,
                        Routing.Extensions extensions, MeterRegistry meterRegistry) {
        this(config, registry, env, extensions, meterRegistry, null);
    }

    /**
     * With the detector that says what this machine has (tests and embedding applications pass a fixed one); null:
     * OSHI and the GPU tools, with the free disk of the data directory.
     */
    public ModelManager(ModelManagementConfig config, ProviderRegistry registry, Map<String, String> env,
                        Routing.Extensions extensions, MeterRegistry meterRegistry, HardwareDetector hardware) {
        this.config = config;
        this.registry = registry;
        this.env = Map.copyOf(env);
        this.extensions = extensions;
        this.meterRegistry = meterRegistry;
        this.hardwareFit = new HardwareFit(hardware != null ? hardware
                : HardwareDetector.forDataDir(config.monitoring().dataDir(this.env)));
    }

    /** Initializes every enabled provider in parallel; one that fails is reported in status, never fatal. */
    public synchronized void start() {
        if (running) {
            return;
        }
        failedProviders.clear();
        Monitoring opened = Monitoring.open(config, env, meterRegistry, clock());
        List<ModelProvider> started = List.of();
        try {
            ProviderLauncher.Launched launched = ProviderLauncher.launch(config, registry, env, opened.settings());
            started = launched.started();
            failedProviders.putAll(launched.failed());
            started.forEach(p -> p.setLoadProgress(loadProgress));
            catalog = new Catalog(started, config.models());
            routing = new Routing(config, catalog, withHardware(extensions.or(opened.extensions())));
        } catch (RuntimeException e) {
            started.forEach(ModelProvider::close);
            opened.close();
            throw e;
        }
        monitoring = opened;
        long interval = config.healthCheckIntervalSeconds();
        healthLoop = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("switchboard-health").factory());
        healthLoop.scheduleWithFixedDelay(this::checkHealth, interval, interval, TimeUnit.SECONDS);
        running = true;
        log.info("switchboard started: {} provider(s) ready, {} failed", started.size(), failedProviders.size());
    }

    /**
     * The hardware-fit gate and the selector's hardware bonus, unless the embedding application supplied its own
     * signals or gate. The bonus rides on the monitor's history signals.
     */
    private Routing.Extensions withHardware(Routing.Extensions ext) {
        return new Routing.Extensions(extensions.signals() != null ? ext.signals() : hardwareFit.signals(ext.signals()),
                ext.state(), ext.spend(), ext.listener(),
                ext.hardwareUnfit() != null ? ext.hardwareUnfit() : hardwareFit::unfit,
                ext.clock(), ext.rateLimits(), ext.fallbackStats());
    }

    /** Unloads everything and closes every client. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        healthLoop.shutdownNow();
        for (Map.Entry<DeploymentKey, ModelInstance> e : active.entrySet()) {
            ModelProvider p = catalog.provider(e.getValue().provider());
            if (p != null) {
                p.unload(e.getValue().modelId());
            }
        }
        active.clear();
        for (ModelProvider p : catalog.providers()) {
            try {
                p.close();
            } catch (RuntimeException e) {
                log.warn("closing provider {} failed: {}", p.name(), e.getMessage());
            }
        }
        catalog = new Catalog(List.of(), Map.of());
        routing = null;
        failedProviders.clear();
        // Last, so the attempts of requests that were still finishing are delivered before the stores close.
        monitoring.close();
        monitoring = null;
        log.info("switchboard stopped");
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        return running;
    }

    /** Probes every provider now and drops model instances that no longer pass their check. */
    public void checkHealth() {
        for (ModelProvider p : catalog.providers()) {
            try {
                Health h = p.healthCheck();
                if (!h.healthy()) {
                    log.warn("provider {} is unhealthy: {}", p.name(), h.detail());
                }
            } catch (RuntimeException e) {
                log.warn("health check of provider {} failed: {}", p.name(), e.getMessage());
            }
        }
        active.entrySet().removeIf(e -> !e.getValue().healthCheck());
        lastHealthCheck = Instant.now();
    }

    // --- generation ---------------------------------------------------------------------------------------

    /** Routes the request (explicit model, alias or selection by task), with retries and fallback. */
    public ChatResponse generate(ChatRequest request) {
        return generate(request, null);
    }

    /**
     * As {@link #generate(ChatRequest)}, under the caller's request id (the OpenAI API's {@code chatcmpl-} id):
     * the response carries it, the recorded attempts carry it, and feedback names it. Null: one is made up.
     */
    public ChatResponse generate(ChatRequest request, String requestId) {
        requireRunning();
        return routing.route(request, m -> instanceFor(m).generate(request), new Router.Progress(requestId));
    }

    public ChatResponse stream(ChatRequest request, TokenSink sink) {
        return stream(request, null, StreamSink.text(sink), m -> { });
    }

    public ChatResponse stream(ChatRequest request, TokenSink sink, java.util.function.Consumer<ModelInfo> servedBy) {
        return stream(request, null, StreamSink.text(sink), servedBy);
    }

    /**
     * Streams the answer into {@code sink}. {@code servedBy} hears which deployment is answering just before its
     * first delta: a failure before that falls back unseen, so only then is the serving model known.
     */
    public ChatResponse stream(ChatRequest request, String requestId, StreamSink sink,
                               java.util.function.Consumer<ModelInfo> servedBy) {
        requireRunning();
        return routing.stream(request, (m, s) -> instanceFor(m).stream(request, s), sink, servedBy,
                new Router.Progress(requestId));
    }

    /** The ranking and explanation for a set of requirements, calling nothing ({@code POST /select}). */
    public Explanation select(Requirements requirements) {
        requireRunning();
        return routing.select(requirements);
    }

    /** The seed's fallback statistics, with each deployment's cooldown and breaker state. */
    public Map<String, Object> fallbackStatistics() {
        requireRunning();
        Map<String, Boolean> health = new LinkedHashMap<>();
        status().providers().forEach((name, st) -> health.put(name, st.healthy()));
        return routing.fallbackStatistics(health);
    }

    /** Forgets a model's failures, cooldowns and breaker state; false when none were recorded. */
    public boolean resetFailures(String modelRef) {
        requireRunning();
        return routing.reset(modelRef);
    }

    /** Spend against the budgets, globally and per provider. */
    public Map<String, Object> spend() {
        requireRunning();
        return routing.spend(catalog.providers().stream().map(ModelProvider::name).toList());
    }

    /** Looks up {@code provider:model} or a bare model id in the catalog. */
    public ModelInfo resolve(String ref) {
        requireRunning();
        return catalog.resolve(ref);
    }

    private ModelInstance instanceFor(ModelInfo model) {
        DeploymentKey key = model.deployment();
        ModelInstance instance = active.get(key);
        if (instance != null && instance.healthCheck()) {
            return instance;
        }
        ModelProvider provider = catalog.provider(model.provider());
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

    // --- model lifecycle ----------------------------------------------------------------------------------

    public ModelInstance load(String providerName, String modelId) {
        requireRunning();
        ModelProvider provider = catalog.provider(providerName);
        if (provider == null) {
            throw new UnknownModelException("unknown provider '" + providerName + "'");
        }
        ModelInstance instance;
        try {
            ModelInfo model = catalog.find(new DeploymentKey(provider.name(), modelId));
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

    /** Downloads a model into a provider's store (Ollama's pull), reporting each step to {@code progress}. */
    public void pull(String providerName, String modelId, dev.switchboard.provider.PullProgress progress) {
        requireRunning();
        providerNamed(providerName).pull(modelId, progress);
    }

    /** Deletes a downloaded model from a provider's store; false when the provider does not have it. */
    public boolean delete(String providerName, String modelId) {
        requireRunning();
        ModelProvider provider = providerNamed(providerName);
        active.remove(new DeploymentKey(provider.name(), modelId));
        return provider.delete(modelId);
    }

    /**
     * Embeds the inputs with a model ({@code provider:model} or a bare id) through the router: its deployments and
     * {@code fallback_models}, retries, limits, budgets, spend and a monitor record, as for chat. A model that does
     * not embed is a 400.
     */
    public dev.switchboard.model.Embeddings embed(String modelRef, List<String> inputs) {
        return embed(modelRef, inputs, null);
    }

    public dev.switchboard.model.Embeddings embed(String modelRef, List<String> inputs, String requestId) {
        requireRunning();
        if (modelRef == null || modelRef.isBlank()) {
            throw new InvalidRequestException("model", "is required for embeddings");
        }
        if (inputs == null || inputs.isEmpty()) {
            throw new InvalidRequestException("input", "at least one input is required");
        }
        return routing.embed(modelRef, inputs, m -> instanceFor(m).embed(inputs), new Router.Progress(requestId));
    }

    private ModelProvider providerNamed(String providerName) {
        ModelProvider provider = catalog.provider(providerName);
        if (provider == null) {
            throw new UnknownModelException("unknown provider '" + providerName + "'");
        }
        return provider;
    }

    /** Unloads a model from one provider, or from every provider that has it loaded. */
    public boolean unload(String modelId, String providerName) {
        requireRunning();
        List<DeploymentKey> keys = new ArrayList<>();
        for (Map.Entry<DeploymentKey, ModelInstance> e : active.entrySet()) {
            ModelInstance i = e.getValue();
            if (i.modelId().equals(modelId) && (providerName == null || i.provider().equals(providerName)
                    || (catalog.provider(providerName) != null && catalog.provider(providerName).name().equals(i.provider())))) {
                keys.add(e.getKey());
            }
        }
        for (DeploymentKey key : keys) {
            ModelInstance i = active.remove(key);
            ModelProvider p = catalog.provider(i.provider());
            if (p != null) {
                p.unload(i.modelId());
            }
            log.info("unloaded {}", key);
        }
        return !keys.isEmpty();
    }

    // --- listings -----------------------------------------------------------------------------------------

    public List<ModelInfo> availableModels(String providerName, boolean freeOnly) {
        requireRunning();
        List<ModelInfo> models = providerName == null ? catalog.all() : catalog.of(providerName);
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

    // --- the seed's OpenRouter extras: the free-model filter and users' own keys ---------------------------

    /** The OpenRouter provider's filter and accounts; 404 (unknown) when no OpenRouter provider is running. */
    public OpenRouterControls openRouter() {
        requireRunning();
        ModelProvider p = catalog.providers().stream().filter(x -> x.type() == ProviderType.OPENROUTER).findFirst()
                .orElseThrow(() -> new UnknownModelException("no OpenRouter provider is configured"));
        return new OpenRouterControls(p, this::freeModels);
    }

    /** What a user paid with their own key through Switchboard, today and this month. */
    public Map<String, Object> callerSpend(dev.switchboard.model.Caller caller) {
        requireRunning();
        return routing.callerSpend(caller);
    }

    // --- performance monitoring -----------------------------------------------------------------------------

    /** What {@link #feedback} recorded: the deployment credited, and whether this process served that request. */
    public record FeedbackResult(String requestId, String modelId, String provider, boolean matched,
                                 Double qualityScore, Double therapeuticSafetyScore) {}

    /**
     * Records a caller's quality and therapeutic-safety scores (0 to 10, at least one) for a request it got back.
     * {@code modelRef} is the model that answered ({@code provider:model} or a bare id). When this process served
     * {@code requestId} the scores go to the deployment that did, and naming another model is a 400; a request
     * served by another replica, or over a day ago, is credited to the model named.
     */
    public FeedbackResult feedback(String modelRef, String requestId, Double quality, Double safety) {
        requireRunning();
        if (requestId == null || requestId.isBlank()) {
            throw new InvalidRequestException("request_id", "is required: the id of the response being scored");
        }
        if (requestId.length() > 200) {
            throw new InvalidRequestException("request_id", "is longer than 200 characters");
        }
        if (quality == null && safety == null) {
            throw new InvalidRequestException(null, "give quality_score, therapeutic_safety_score or both");
        }
        checkScore("quality_score", quality);
        checkScore("therapeutic_safety_score", safety);
        if (modelRef == null || modelRef.isBlank()) {
            throw new InvalidRequestException("model_id", "is required");
        }
        ModelInfo model = catalog.resolve(modelRef);
        PerformanceMonitor monitor = monitor();
        PerformanceMonitor.Served served = monitor.served(requestId);
        String task = null;
        if (served != null) {
            boolean pinned = catalog.namesProvider(modelRef);
            boolean same = served.modelId().equals(model.modelId()) && (!pinned || served.provider().equals(model.provider()));
            if (!same) {
                throw new InvalidRequestException("model_id", "request " + requestId + " was served by "
                        + new DeploymentKey(served.provider(), served.modelId()) + ", not " + modelRef);
            }
            ModelInfo actual = catalog.all().stream()
                    .filter(m -> m.provider().equals(served.provider()) && m.modelId().equals(served.modelId()))
                    .findFirst().orElse(model);
            model = actual;
            task = served.taskType();
        }
        monitor.feedback(requestId, model, task, quality, safety);
        return new FeedbackResult(requestId, model.modelId(), model.provider(), served != null, quality, safety);
    }

    private static void checkScore(String field, Double v) {
        if (v != null && (!Double.isFinite(v) || v < 0 || v > 10)) {
            throw new InvalidRequestException(field, "must be a number from 0 to 10, got " + v);
        }
    }

    /** The seed's {@code get_model_performance} over the last {@code hours}; 404 for a model no provider lists. */
    public Map<String, Object> modelPerformance(String modelRef, double hours) {
        requireRunning();
        checkHours(hours);
        ModelInfo model = catalog.resolve(modelRef);
        // "provider:model" narrows to one provider; a bare id (which may hold a colon itself: llama3:8b) covers all.
        return monitor().modelPerformance(model.modelId(), catalog.namesProvider(modelRef) ? model.provider() : null, hours);
    }

    /** The seed's {@code get_system_performance} over the last {@code hours}. */
    public Map<String, Object> systemPerformance(double hours) {
        requireRunning();
        checkHours(hours);
        return monitor().systemPerformance(hours);
    }

    private static void checkHours(double hours) {
        if (!Double.isFinite(hours) || hours <= 0 || hours > 24 * 366) {
            throw new InvalidRequestException("timeframe_hours", "must be a number of hours above 0 and at most 8784, got " + hours);
        }
    }

    /** The performance monitor; a 503 when {@code performance_monitoring_enabled} is false. */
    public PerformanceMonitor monitor() {
        requireRunning();
        PerformanceMonitor m = monitoring.monitor();
        if (m == null) {
            throw new PerformanceMonitor.MetricsUnavailableException("performance monitoring is disabled in configuration");
        }
        return m;
    }

    /** Where data lives, each metrics store's buffer and delivery figures, and the shared state; no secrets. */
    public Map<String, Object> monitoringStatus() {
        Monitoring m = monitoring;
        return m == null ? Map.of() : m.status();
    }

    /** Brings the cooldown gauges up to date, for a scrape of {@code /metrics}. */
    public void refreshGauges() {
        Monitoring m = monitoring;
        Routing r = routing;
        if (m != null && r != null && m.monitor() != null) {
            m.monitor().deploymentStates(r.deploymentStates());
        }
    }

    /**
     * Sessions, one-time sign-in states and frontend events: shared by every replica when {@code shared_state: redis},
     * else kept in the data directory's database. A 503 (not initialized) while the manager is stopped.
     */
    public ExpiringState expiringState() {
        Monitoring m = monitoring;
        if (m == null) {
            throw new NotStartedException();
        }
        return m.expiring();
    }

    /** The clock routing and monitoring run on: the embedding application's (or a test's), else the system's in UTC. */
    public Clock clock() {
        return extensions.clock() != null ? extensions.clock() : Clock.systemUTC();
    }

    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** Who hears in-process model loads (the CLI's progress line); applies to running providers and later starts. */
    public void onLoadProgress(dev.switchboard.provider.LoadProgress listener) {
        loadProgress = listener == null ? dev.switchboard.provider.LoadProgress.NONE : listener;
        catalog.providers().forEach(p -> p.setLoadProgress(loadProgress));
    }

    // --- hardware ---------------------------------------------------------------------------------------------

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
        return SystemReport.system(hardware(), running ? catalog.all() : List.of());
    }

    /** The seed's recommendations for a task on this machine, installed models that fit first. */
    public Recommender.Recommendations recommendations(TaskType task) {
        return Recommender.recommend(hardware(), task, running ? catalog.all() : List.of());
    }

    // --- diagnostics --------------------------------------------------------------------------------------

    /** The seed's connectivity test: a real ten-token generation, timed. Failures are reported, not thrown. */
    public ConnectivityResult testConnectivity(String modelId, String providerName) {
        requireRunning();
        String providerLabel = providerName;
        try {
            ModelInfo model = providerName == null || providerName.isBlank() ? catalog.resolve(modelId)
                    : catalog.find(new DeploymentKey(providerNamed(providerName).name(), modelId));
            providerLabel = model.provider();
            ModelInstance instance = instanceFor(model);
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

    public SystemStatus status() {
        Map<String, ProviderStatus> providers = new LinkedHashMap<>();
        for (ModelProvider p : catalog.providers()) {
            try {
                providers.put(p.name(), p.status());
            } catch (RuntimeException e) {
                providers.put(p.name(), new ProviderStatus(p.name(), p.type(), null, true, false, 0, 0, null, null,
                        List.of(), e.getMessage()));
            }
        }
        providers.putAll(failedProviders);
        List<String> activeKeys = active.keySet().stream().sorted().map(DeploymentKey::toString).toList();
        Routing r = routing;
        return new SystemStatus(running, activeKeys.size(), activeKeys, providers,
                SystemReport.systemResources(hardware()), lastHealthCheck,
                r == null ? Map.of() : r.deploymentStates(), monitoringStatus());
    }

    /** The environment this manager reads (keys, data directory, the OpenRouter sign-in callback). */
    public Map<String, String> env() {
        return env;
    }

    /** Where this manager keeps its data: the database, settings, the session key. */
    public java.nio.file.Path dataDir() {
        return config.monitoring().dataDir(env);
    }

    public ModelManagementConfig config() {
        return config;
    }

    private void requireRunning() {
        if (!running) {
            throw new NotStartedException();
        }
    }
}
