package dev.switchboard.local;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.switchboard.config.MonitoringConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.hardware.Compatibility;
import dev.switchboard.hardware.HardwareDetector;
import dev.switchboard.hardware.HardwareInfo;
import dev.switchboard.hardware.ModelRequirements;
import dev.switchboard.local.gguf.GgufFormatException;
import dev.switchboard.local.gguf.GgufReader;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.Capability;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.provider.CatalogCache;
import dev.switchboard.provider.Health;
import dev.switchboard.provider.ModelFilter;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.provider.ModelProvider;
import dev.switchboard.provider.ProviderSettings;
import dev.switchboard.provider.ProviderStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.switchboard.provider.LoadProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process GGUF models through llama.cpp ({@code providers.local}, the seed's {@code provider_type: local}).
 * <ul>
 * <li>Catalog: the {@code *.gguf} files in {@code models_cache_dir} (default {@code $SWITCHBOARD_HOME/models}, else
 *     {@code ~/.switchboard/models}), described from their headers without loading them.</li>
 * <li>Load: the file must pass its SHA-256 pin ({@code trusted_model_revisions}, name → hash; with
 *     {@code require_revision_pinning} an unpinned file is refused) and fit the machine (the hardware-fit gate);
 *     layers go to the GPU as far as {@code gpu_memory_fraction} of it allows. At most {@code max_concurrent_models}
 *     stay loaded; loading another closes the least recently used.</li>
 * <li>A {@link ModelInstance} is a handle, not the native model: an instance whose model was evicted loads it again
 *     on its next request, so eviction never breaks a caller that still holds one.</li>
 * </ul>
 * The demo model ({@link DemoModel}) is pinned to its generator's hash unless configured otherwise, so it loads under
 * the default {@code require_revision_pinning: true}.
 */
public final class LocalProvider implements ModelProvider {
    private static final Logger log = LoggerFactory.getLogger(LocalProvider.class);
    /** The largest context window loaded by default: the KV cache grows with it. Override: metadata.context_size. */
    static final int DEFAULT_CONTEXT_CAP = 4096;
    private static final Duration CATALOG_TTL = Duration.ofSeconds(5);

    private final HardwareDetector hardware;
    private String name = "local";
    private Path modelsDir;
    private int maxLoaded = 2;
    private double gpuFraction = 0.8;
    private RevisionPins pins = new RevisionPins("local", Map.of(), true);
    private double costPerToken;
    private int contextCap = DEFAULT_CONTEXT_CAP;
    private Duration requestTimeout = Duration.ofMinutes(2);
    private CatalogCache catalog;
    private volatile boolean initialized;
    private volatile Health lastHealth;

    private final Map<Path, ModelFile> headers = new ConcurrentHashMap<>();
    private final Map<String, String> unreadable = new ConcurrentHashMap<>();
    /** Loaded (or loading) models, least recently used first. Guarded by itself; never held while waiting for a model. */
    private final LinkedHashMap<String, LoadedModel> loaded = new LinkedHashMap<>(8, 0.75f, true);
    private volatile LoadProgress progress = LoadProgress.NONE;

    public LocalProvider() {
        this(HardwareDetector.shared());
    }

    public LocalProvider(HardwareDetector hardware) {
        this.hardware = hardware;
    }

    /** The models directory a configuration means: {@code models_cache_dir} with {@code ~} expanded, else the data dir's {@code models}. */
    public static Path modelsDir(ProviderConfig config, Map<String, String> env) {
        String dir = config.modelsCacheDir();
        if (dir == null || dir.isBlank()) {
            return MonitoringConfig.defaults().dataDir(env).resolve("models");
        }
        if (dir.equals("~") || dir.startsWith("~/")) {
            return Path.of(System.getProperty("user.home"), dir.length() > 2 ? dir.substring(2) : "");
        }
        return Path.of(dir);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProviderType type() {
        return ProviderType.LOCAL;
    }

    @Override
    public void initialize(ProviderSettings settings) {
        ProviderConfig c = settings.config();
        name = settings.name();
        modelsDir = modelsDir(c, settings.env());
        maxLoaded = c.maxConcurrentModels();
        gpuFraction = c.gpuMemoryFraction();
        pins = new RevisionPins(name, c.trustedModelRevisions(), c.requireRevisionPinning());
        costPerToken = c.computeCostPerToken();
        requestTimeout = Duration.ofMillis((long) (c.requestTimeoutSeconds() * 1000));
        if (c.metadata().get("context_size") instanceof Number n && n.intValue() > 0) {
            contextCap = n.intValue();
        }
        if (Files.exists(modelsDir) && !Files.isDirectory(modelsDir)) {
            throw new IllegalArgumentException("provider " + name + ": models_cache_dir " + modelsDir + " is not a directory");
        }
        Duration ttl = settings.catalogTtl().compareTo(CATALOG_TTL) < 0 ? settings.catalogTtl() : CATALOG_TTL;
        catalog = new CatalogCache(ttl, this::scan);
        initialized = true;
        log.info("local models from {} ({} GGUF file(s))", modelsDir, catalog.get().size());
    }

    public Path modelsDir() {
        return modelsDir;
    }

    // --- catalog ------------------------------------------------------------------------------------------

    @Override
    public List<ModelInfo> availableModels(ModelFilter filter) {
        return filter == null ? catalog.get() : filter.apply(catalog.get());
    }

    private List<ModelInfo> scan() {
        if (!Files.isDirectory(modelsDir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(modelsDir)) {
            files = s.filter(LocalProvider::isModelFile).sorted().toList();
        } catch (IOException e) {
            throw new ModelFailure.Unavailable(name, null, 0, "cannot list " + modelsDir + ": " + e.getMessage(), e);
        }
        List<ModelInfo> models = new ArrayList<>(files.size());
        for (Path f : files) {
            ModelFile mf = describe(f);
            if (mf != null) {
                models.add(toInfo(mf));
            }
        }
        headers.keySet().retainAll(files);
        return models;
    }

    private static boolean isModelFile(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".gguf") && !n.startsWith(".") && n.length() > 5 && Files.isRegularFile(p);
    }

    /** The file's header, read once per size and modification time; null (and remembered in status) when unreadable. */
    private ModelFile describe(Path file) {
        try {
            long size = Files.size(file);
            long modified = Files.getLastModifiedTime(file).toMillis();
            ModelFile cached = headers.get(file);
            if (cached != null && cached.size() == size && cached.modified() == modified) {
                return cached;
            }
            var header = GgufReader.read(file);
            int trained = header.contextLength().orElse(2048);
            ModelFile mf = new ModelFile(ModelFile.idOf(file), file, size, modified, header, Math.min(trained, contextCap));
            headers.put(file, mf);
            unreadable.remove(file.getFileName().toString());
            return mf;
        } catch (IOException | GgufFormatException e) {
            if (unreadable.put(file.getFileName().toString(), e.getMessage()) == null) {
                log.warn("skipping {}: {}", file, e.getMessage());
            }
            return null;
        }
    }

    private ModelInfo toInfo(ModelFile f) {
        var h = f.header();
        boolean demo = f.modelId().equals(DemoModel.MODEL_ID);
        ModelRequirements need = f.requirements();
        String description = demo
                ? "Switchboard's demo model: continues byte sequences (abc -> defghijklm) to prove the setup works. It cannot chat."
                : String.format(Locale.ROOT, "%s, %s parameters, %s (local GGUF)", h.architecture(),
                        humanCount(h.parameterCount()), f.quantization());
        return ModelInfo.builder(f.modelId(), ProviderType.LOCAL, name)
                .name(h.name().filter(n -> !n.isBlank()).orElse(f.modelId()))
                .description(description)
                .contextLength(f.contextSize())
                .maxCompletionTokens(f.contextSize())
                .pricing(costPerToken, costPerToken)
                .free(costPerToken == 0)
                .capabilities(CAPABILITIES)
                // ranks last when Switchboard chooses by itself: it only continues byte sequences
                .performanceScore(demo ? 1.0 : null)
                .loaded(isLoaded(f.modelId()))
                .detail("format", "gguf")
                .detail("architecture", h.architecture())
                .detail("parameter_count", Long.toString(h.parameterCount()))
                .detail("quantization", f.quantization())
                .detail("file_size", Long.toString(f.size()))
                .detail("trained_context_length", h.contextLength().map(String::valueOf).orElse(null))
                .detail("chat_template", h.chatTemplate().isPresent() ? "yes" : "no (plain prompt)")
                .detail("ram_gb", Double.toString(need.ramGb()))
                .detail("file", f.path().getFileName().toString())
                .build();
    }

    /**
     * Text chat, and JSON output enforced by a grammar. No images (the bundled llama.cpp has no vision projector
     * here) and no tools: this binding renders chat templates without tool definitions and cannot parse a model's
     * tool calls, so claiming tool calling would send agents a model that silently ignores their tools.
     */
    private static final List<String> CAPABILITIES = List.of(Capability.CHAT, Capability.TEXT_GENERATION,
            Capability.JSON_MODE, Capability.JSON_SCHEMA);

    static String humanCount(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1fB", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1fM", n / 1e6);
        }
        return n >= 1000 ? String.format(Locale.ROOT, "%.0fK", n / 1e3) : Long.toString(n);
    }

    private ModelFile fileFor(String modelId) {
        if (modelId == null || modelId.isBlank() || modelId.contains("/") || modelId.contains("\\") || modelId.startsWith(".")) {
            throw new UnknownModelException("unknown local model '" + modelId + "'");
        }
        Path file = modelsDir.resolve(modelId + ".gguf");
        if (!Files.isRegularFile(file)) {
            throw new UnknownModelException("no local model '" + modelId + "': " + file + " does not exist");
        }
        ModelFile mf = describe(file);
        if (mf == null) {
            throw new ModelFailure.Unavailable(name, modelId, 0, "local model " + modelId + " is not a readable GGUF file: "
                    + unreadable.get(file.getFileName().toString()), null);
        }
        return mf;
    }

    // --- loading ------------------------------------------------------------------------------------------

    @Override
    public void setLoadProgress(LoadProgress listener) {
        progress = listener == null ? LoadProgress.NONE : listener;
    }

    @Override
    public ModelInstance load(String modelId, Map<String, Object> options) {
        ModelFile file = fileFor(modelId);
        lease(modelId, Instant.now().plus(requestTimeout)).close();
        refreshCatalogQuietly();
        return new LocalModelInstance(this, file.modelId());
    }

    @Override
    public boolean unload(String modelId) {
        LoadedModel m;
        synchronized (loaded) {
            m = loaded.remove(modelId);
        }
        if (m == null) {
            return false;
        }
        boolean wasOpen = close(m);
        refreshCatalogQuietly();
        return wasOpen;
    }

    boolean isLoaded(String modelId) {
        LoadedModel m = loadedModel(modelId);
        return m != null && m.open();
    }

    /** The model's entry without counting as a use (a get would move it in the LRU order). */
    LoadedModel loadedModel(String modelId) {
        synchronized (loaded) {
            for (LoadedModel m : loaded.values()) {
                if (m.file.modelId().equals(modelId)) {
                    return m;
                }
            }
            return null;
        }
    }

    /** The ids of loaded models, least recently used first. */
    public List<String> loadedModels() {
        synchronized (loaded) {
            return loaded.values().stream().filter(LoadedModel::open).map(m -> m.file.modelId()).toList();
        }
    }

    /** A loaded model with its lock held; closing the lease releases it. */
    final class Lease implements AutoCloseable {
        final LoadedModel model;

        private Lease(LoadedModel model) {
            this.model = model;
        }

        @Override
        public void close() {
            model.lock.unlock();
        }
    }

    /**
     * The model, loaded and locked for this caller; waits for a running generation on it (up to the deadline) and
     * loads it when it is not loaded, closing the least recently used models beyond {@code max_concurrent_models}.
     */
    Lease lease(String modelId, Instant deadline) {
        while (true) {
            ModelFile file = fileFor(modelId);
            LoadedModel m;
            List<LoadedModel> evicted = new ArrayList<>();
            synchronized (loaded) {
                m = loaded.get(modelId);
                if (m != null && (m.file.size() != file.size() || m.file.modified() != file.modified())) {
                    loaded.remove(modelId);
                    evicted.add(m); // the file changed on disk: its pin and header are checked again
                    m = null;
                }
                if (m == null) {
                    m = new LoadedModel(file);
                    loaded.put(modelId, m);
                }
                var it = loaded.values().iterator();
                while (loaded.size() > maxLoaded && it.hasNext()) {
                    LoadedModel oldest = it.next();
                    if (oldest != m) {
                        evicted.add(oldest);
                        it.remove();
                    }
                }
            }
            for (LoadedModel victim : evicted) {
                if (close(victim)) {
                    log.info("unloaded {} (least recently used; max_concurrent_models={})", victim.file.modelId(), maxLoaded);
                }
            }
            acquire(m, deadline);
            if (m.closed) {
                m.lock.unlock(); // evicted while we waited; take the new one
                continue;
            }
            if (m.llama == null) {
                try {
                    open(m);
                } catch (RuntimeException e) {
                    synchronized (loaded) {
                        loaded.remove(modelId, m);
                    }
                    m.closed = true;
                    m.lock.unlock();
                    throw e;
                }
            }
            return new Lease(m);
        }
    }

    private void acquire(LoadedModel m, Instant deadline) {
        long waitNanos = Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
        try {
            if (!m.lock.tryLock(waitNanos, TimeUnit.NANOSECONDS)) {
                throw new ModelFailure.Timeout(name, m.file.modelId(), 0, "local model " + m.file.modelId()
                        + " was busy with other requests for the whole request timeout", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelFailure.Timeout(name, m.file.modelId(), 0, "interrupted while waiting for " + m.file.modelId(), e);
        }
    }

    /** Closes a model once no generation runs on it; true when it had been loaded. */
    private static boolean close(LoadedModel m) {
        m.lock.lock();
        try {
            boolean wasOpen = m.open();
            m.closeNative();
            return wasOpen;
        } finally {
            m.lock.unlock();
        }
    }

    /** Pin check, fit gate, GPU offload, native load; the caller holds the model's lock. */
    private void open(LoadedModel m) {
        ModelFile f = m.file;
        pins.verify(f, progress);
        ModelRequirements need = f.requirements();
        HardwareInfo hw = hardware.current();
        Compatibility fit = Compatibility.check(hw, need);
        if (!fit.compatible()) {
            throw new ModelFailure.Unavailable(name, f.modelId(), 0, "local model " + f.modelId() + " does not fit this machine: "
                    + String.join("; ", fit.warnings()) + " (estimated from its GGUF header: "
                    + humanCount(f.header().parameterCount()) + " parameters, " + f.quantization() + ", context "
                    + f.contextSize() + ")", null);
        }
        int gpuLayers = gpuLayers(hw, need, f.layers());
        LlamaRuntime.prepare();
        ModelParameters params = new ModelParameters()
                .setModel(f.path().toString())
                .setCtxSize(f.contextSize())
                .setParallel(1)
                .disableLog();
        if (gpuLayers > 0) {
            params.setGpuLayers(gpuLayers); // a CPU-only build warns on stderr about any value
        }
        boolean hasTemplate = f.header().chatTemplate().isPresent();
        if (hasTemplate) {
            params.enableJinja();
        }
        progress.update(name, f.modelId(), LoadProgress.Stage.LOADING, 0, f.size());
        long start = System.nanoTime();
        try {
            m.llama = new LlamaModel(params);
        } catch (RuntimeException | UnsatisfiedLinkError e) { // LlamaException is not public
            throw new ModelFailure.Unavailable(name, f.modelId(), 0, "llama.cpp could not load " + f.path() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + (e instanceof UnsatisfiedLinkError ? " (the native library needs libgomp1 and libstdc++ on Linux)" : ""), e);
        }
        m.loadMillis = (System.nanoTime() - start) / 1e6;
        progress.update(name, f.modelId(), LoadProgress.Stage.LOADED, Math.round(m.loadMillis), f.size());
        m.hasTemplate = hasTemplate;
        m.addBos = f.header().metadata().get("tokenizer.ggml.add_bos_token") instanceof Boolean b ? b : true;
        m.gpuLayers = gpuLayers;
        log.info("loaded local model {} in {} ms ({} GPU layers, context {})", f.modelId(),
                String.format(Locale.ROOT, "%.0f", m.loadMillis), gpuLayers, f.contextSize());
    }

    /**
     * Layers to offload: all when the model fits in {@code gpu_memory_fraction} of the GPU memory (and no more than
     * is free), a proportional share when only part fits, none without a GPU.
     */
    int gpuLayers(HardwareInfo hw, ModelRequirements need, long layers) {
        if (!hw.hasGpu() || gpuFraction <= 0 || hw.totalVramGb() <= 0) {
            return 0;
        }
        double budget = Math.min(hw.freeVramGb(), hw.totalVramGb() * gpuFraction);
        if (need.vramGb() <= budget) {
            return (int) Math.min(Integer.MAX_VALUE, layers + 1); // + the output layer
        }
        return (int) Math.max(0, Math.floor(layers * budget / need.vramGb()));
    }

    double costPerToken() {
        return costPerToken;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    boolean fileExists(String modelId) {
        return Files.isRegularFile(modelsDir.resolve(modelId + ".gguf"));
    }

    // --- health and status --------------------------------------------------------------------------------

    @Override
    public Health healthCheck() {
        Health h;
        try {
            catalog.refreshNow();
            int n = catalog.peek().map(List::size).orElse(0);
            h = Health.ok(n + " GGUF model(s) in " + modelsDir + ", " + loadedModels().size() + " loaded");
        } catch (RuntimeException e) {
            h = Health.failed(e.getMessage());
        }
        lastHealth = h;
        return h;
    }

    @Override
    public boolean healthy() {
        Health h = lastHealth;
        return h == null || h.healthy();
    }

    @Override
    public ProviderStatus status() {
        Health h = lastHealth;
        String error = h != null && !h.healthy() ? h.detail() : catalog == null ? null : catalog.lastError();
        if (error == null && !unreadable.isEmpty()) {
            error = "unreadable GGUF files: " + unreadable;
        }
        List<String> loadedNow = loadedModels();
        return new ProviderStatus(name, ProviderType.LOCAL, modelsDir == null ? null : modelsDir.toString(), initialized,
                h == null || h.healthy(), loadedNow.size(), catalog == null ? 0 : catalog.peek().map(List::size).orElse(0),
                catalog == null ? null : catalog.lastRefresh(), h == null ? null : h.checkedAt(), loadedNow, error);
    }

    private void refreshCatalogQuietly() {
        try {
            catalog.refreshNow();
        } catch (RuntimeException e) {
            log.debug("refreshing the local catalog failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        List<LoadedModel> all;
        synchronized (loaded) {
            all = new ArrayList<>(loaded.values());
            loaded.clear();
        }
        all.forEach(LocalProvider::close);
    }
}
