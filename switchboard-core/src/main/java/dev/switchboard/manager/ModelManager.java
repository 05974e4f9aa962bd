package dev.switchboard.manager;

import dev.switchboard.config.ModelManagementConfig;
import dev.switchboard.hardware.HardwareDetector;
import dev.switchboard.hardware.HardwareFit;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.provider.Health;
import dev.switchboard.provider.ModelProvider;
import dev.switchboard.provider.ProviderStatus;
import dev.switchboard.routing.Catalog;
import dev.switchboard.routing.Routing;
import dev.switchboard.monitor.Monitoring;
import dev.switchboard.state.ExpiringState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops providers, keeps their health, and hands out what the service does: {@link #chat()}
 * (generation, embeddings, selection), {@link #models()} (catalog and loaded models), {@link #feedback()} (scores
 * and performance), {@link #diagnostics()} (status, statistics, spend, hardware) and provider-specific controls
 * ({@link #openRouter()}). {@link #start()} and {@link #stop()} are idempotent and thread-safe.
 */
public final class ModelManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelManager.class);

    private final ModelManagementConfig config;
    private final ProviderRegistry registry;
    private final Map<String, String> env;
    private final MeterRegistry meterRegistry;
    private final Map<String, ProviderStatus> failedProviders = new ConcurrentHashMap<>();
    private final Routing.Extensions extensions;
    private final HardwareFit hardwareFit;
    private final ModelLifecycle models;
    private final ChatService chat;
    private final FeedbackService feedback;
    private final Diagnostics diagnostics;

    private volatile boolean running;
    private volatile Monitoring monitoring;
    private volatile dev.switchboard.provider.LoadProgress loadProgress = dev.switchboard.provider.LoadProgress.NONE;
    private volatile Catalog catalog = new Catalog(List.of(), Map.of());
    private volatile Routing routing;
    private volatile Instant lastHealthCheck;
    private ScheduledExecutorService healthLoop;

    public ModelManager(ModelManagementConfig config) {
        this(builder(config));
    }

    public ModelManager(ModelManagementConfig config, ProviderRegistry registry, Map<String, String> env) {
        this(builder(config).registry(registry).env(env));
    }

    private ModelManager(Builder b) {
        this.config = b.config;
        this.registry = b.registry;
        this.env = Map.copyOf(b.env);
        this.extensions = b.extensions;
        this.meterRegistry = b.meterRegistry;
        this.hardwareFit = new HardwareFit(b.hardware != null ? b.hardware
                : HardwareDetector.forDataDir(config.monitoring().dataDir(this.env)));
        this.models = new ModelLifecycle(this::currentCatalog, this::requireRunning);
        this.chat = new ChatService(this::runningRouting, models);
        this.feedback = new FeedbackService(this::runningCatalog, this::runningMonitoring);
        this.diagnostics = new Diagnostics(this, hardwareFit);
    }

    public static Builder builder(ModelManagementConfig config) {
        return new Builder(config);
    }

    /** A manager with what other parts plug in; everything not given has its default. */
    public static final class Builder {
        private final ModelManagementConfig config;
        private ProviderRegistry registry;
        private Map<String, String> env = System.getenv();
        private Routing.Extensions extensions = Routing.Extensions.defaults();
        private MeterRegistry meterRegistry = new CompositeMeterRegistry();
        private HardwareDetector hardware;

        private Builder(ModelManagementConfig config) {
            this.config = config;
        }

        /** The provider kinds it can start; default: those found on the class path. */
        public Builder registry(ProviderRegistry r) {
            this.registry = r;
            return this;
        }

        /** The environment it reads (keys, the data directory); default: the process's. */
        public Builder env(Map<String, String> e) {
            this.env = e;
            return this;
        }

        /**
         * The routing extensions other parts plug in (hardware fit, history, shared state, the monitor); those given
         * here win over what monitoring supplies at {@link #start()}.
         */
        public Builder extensions(Routing.Extensions x) {
            this.extensions = x;
            return this;
        }

        /** Where the request, latency, token, cost and buffer meters go (the server passes its Prometheus one). */
        public Builder meterRegistry(MeterRegistry m) {
            this.meterRegistry = m;
            return this;
        }

        /** What this machine has (tests and embedding applications pass a fixed one); default: OSHI and GPU tools. */
        public Builder hardware(HardwareDetector h) {
            this.hardware = h;
            return this;
        }

        public ModelManager build() {
            if (registry == null) {
                registry = ProviderRegistry.discover();
            }
            return new ModelManager(this);
        }
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
        models.unloadAll();
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
        models.dropUnhealthy();
        lastHealthCheck = Instant.now();
    }

    // --- what the manager hands out ----------------------------------------------------------------------

    /** Generation and embeddings, routed. */
    public ChatService chat() {
        return chat;
    }

    /** The catalog and the loaded models. */
    public ModelLifecycle models() {
        return models;
    }

    /** Callers' scores and the monitor's figures. */
    public FeedbackService feedback() {
        return feedback;
    }

    /** Status, statistics, spend and this machine. */
    public Diagnostics diagnostics() {
        return diagnostics;
    }

    /** The OpenRouter provider's filter and accounts; 404 (unknown) when no OpenRouter provider is running. */
    public OpenRouterControls openRouter() {
        ModelProvider p = runningCatalog().providers().stream().filter(x -> x.type() == ProviderType.OPENROUTER)
                .findFirst().orElseThrow(() -> new UnknownModelException("no OpenRouter provider is configured"));
        return new OpenRouterControls(p, models::freeModels);
    }

    /**
     * Sessions, one-time sign-in states and frontend events: shared by every replica when {@code shared_state: redis},
     * else kept in the data directory's database. A 503 (not initialized) while the manager is stopped.
     */
    public ExpiringState expiringState() {
        return runningMonitoring().expiring();
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

    // --- for the services: the running parts, or a 503 -------------------------------------------------------

    Catalog currentCatalog() {
        return catalog;
    }

    Routing currentRouting() {
        return routing;
    }

    Monitoring currentMonitoring() {
        return monitoring;
    }

    Map<String, ProviderStatus> failedProviders() {
        return failedProviders;
    }

    Instant lastHealthCheck() {
        return lastHealthCheck;
    }

    Catalog runningCatalog() {
        requireRunning();
        return catalog;
    }

    Routing runningRouting() {
        requireRunning();
        return routing;
    }

    Monitoring runningMonitoring() {
        requireRunning();
        return monitoring;
    }

    private void requireRunning() {
        if (!running) {
            throw new NotStartedException();
        }
    }
}
