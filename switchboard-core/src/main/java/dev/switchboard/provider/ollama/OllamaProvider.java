package dev.switchboard.provider.ollama;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.hardware.HardwareDetector;
import dev.switchboard.json.Json;
import dev.switchboard.model.DeploymentKey;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.provider.AbstractHttpProvider;
import dev.switchboard.provider.Health;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.provider.ProviderSettings;
import dev.switchboard.provider.ProviderStatus;
import dev.switchboard.provider.PullProgress;
import dev.switchboard.provider.http.HttpCall;
import dev.switchboard.provider.http.HttpErrors;
import dev.switchboard.provider.http.HttpResult;
import dev.switchboard.provider.http.HttpTransport.FailureContext;
import dev.switchboard.provider.http.LineStream;
import dev.switchboard.provider.ollama.docker.ManagedOllama;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ollama's native API ({@code providers.ollama}): the catalog from {@code /api/tags} with context lengths from
 * {@code /api/show} and loaded states from {@code /api/ps}; loading and unloading through {@code keep_alive}; chat,
 * embeddings, pull and delete. With {@code use_docker: true} the server runs in a container Switchboard manages.
 */
public class OllamaProvider extends AbstractHttpProvider {
    private static final Logger log = LoggerFactory.getLogger(OllamaProvider.class);
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(10);
    private static final Map<String, String> HEADERS = Map.of("content-type", "application/json",
            "accept", "application/json, application/x-ndjson");

    private URI root;
    private Duration requestTimeout;
    private Object keepAlive;
    private boolean autoPull;
    private double costPerToken;
    private String dockerProblem;
    /** What /api/show said, by name and digest: a re-pulled model under the same name is asked again. */
    private final Map<String, OllamaMapper.Shown> shown = new ConcurrentHashMap<>();
    /** Names /api/ps listed at the last catalog refresh. */
    private volatile Set<String> running = Set.of();

    @Override
    public void initialize(ProviderSettings settings) {
        ProviderConfig c = settings.config();
        this.keepAlive = OllamaMapper.keepAlive(c.keepAlive());
        this.autoPull = Boolean.TRUE.equals(c.autoPull());
        this.costPerToken = c.computeCostPerToken();
        this.requestTimeout = seconds(c.requestTimeoutSeconds());
        String base = c.apiBase() != null && !c.apiBase().isBlank() ? c.apiBase()
                : "http://" + c.ollamaHost() + ":" + c.ollamaPort();
        if (Boolean.TRUE.equals(c.useDocker())) {
            base = startContainer(settings.name(), c, base);
        }
        base = base.strip().replaceAll("/+$", "");
        URI uri = URI.create(base);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("provider " + settings.name() + ": base_url '" + base
                    + "' is not an http:// or https:// URL with a host");
        }
        this.root = uri;
        init(settings, uri, seconds(c.connectTimeoutSeconds()));
    }

    /**
     * The seed ran Ollama in Docker by default. A machine without Docker still gets the configured address, and
     * status says why the container is missing.
     */
    private String startContainer(String name, ProviderConfig c, String configured) {
        if (answers(configured)) {
            // An Ollama already serves the configured address (installed natively, or a container of the user's):
            // use it rather than start a second one that would fight it for the port.
            log.info("provider {}: Ollama already answers at {}; not starting a container", name, configured);
            return configured;
        }
        try {
            // The container gets a GPU device request only for an NVIDIA card (the NVIDIA container toolkit's kind).
            boolean gpu = !Boolean.FALSE.equals(c.gpuEnabled()) && HardwareDetector.shared().current().gpus().stream()
                    .anyMatch(g -> g.vendor() != null && g.vendor().toLowerCase(java.util.Locale.ROOT).contains("nvidia"));
            // ---- the one call into the managed container (dev.switchboard.provider.ollama.docker) ----
            return ManagedOllama.ensureRunning(new ManagedOllama.Settings(null, c.dockerImage(), c.containerName(),
                    c.ollamaPort(),
                    null, gpu, null));
        } catch (RuntimeException e) {
            dockerProblem = "use_docker is on but the Ollama container could not be started: " + e.getMessage()
                    + "; using " + configured;
            log.warn("provider {}: {}", name, dockerProblem);
            return configured;
        }
    }

    /** Whether {@code GET /api/tags} answers 200 at {@code base} within a second. */
    private static boolean answers(String base) {
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            java.net.http.HttpResponse<Void> r = http.send(java.net.http.HttpRequest.newBuilder(
                    URI.create(base.strip().replaceAll("/+$", "") + "/api/tags")).timeout(Duration.ofSeconds(1)).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (java.io.IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis((long) (s * 1000));
    }

    URI uri(String path) {
        return root.resolve(root.getPath() + path);
    }

    Map<String, String> headers() {
        return HEADERS;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    Object keepAlive() {
        return keepAlive;
    }

    private Duration listTimeout() {
        return requestTimeout.compareTo(LIST_TIMEOUT) < 0 ? requestTimeout : LIST_TIMEOUT;
    }

    // --- catalog --------------------------------------------------------------------------------------------

    @Override
    protected List<ModelInfo> fetchCatalog() {
        OllamaWire.ModelList tags;
        try {
            tags = get("/api/tags", OllamaWire.ModelList.class);
        } catch (ModelFailure.Unavailable e) {
            if (e.upstreamStatus() != 0) {
                throw e;
            }
            throw new ModelFailure.Unavailable(name, null, 0, "Ollama is not reachable at " + endpoint() + ": "
                    + e.getMessage() + ". Is it running? Start it with `ollama serve`.", e);
        }
        Map<String, OllamaWire.Model> ps = runningModels();
        List<ModelInfo> out = new ArrayList<>();
        for (OllamaWire.Model m : tags.models() == null ? List.<OllamaWire.Model>of() : tags.models()) {
            if (m == null || m.name() == null || m.name().isBlank()) {
                continue;
            }
            out.add(OllamaMapper.model(m, ps.get(m.name()), show(m), type, name, costPerToken));
        }
        running = Set.copyOf(ps.keySet());
        return out;
    }

    /** {@code /api/ps}; an Ollama too old for it (or failing it) lists nothing as loaded rather than failing the catalog. */
    private Map<String, OllamaWire.Model> runningModels() {
        try {
            OllamaWire.ModelList ps = get("/api/ps", OllamaWire.ModelList.class);
            Map<String, OllamaWire.Model> out = new java.util.LinkedHashMap<>();
            if (ps.models() != null) {
                ps.models().stream().filter(m -> m != null && m.name() != null).forEach(m -> out.put(m.name(), m));
            }
            return out;
        } catch (ModelFailure e) {
            log.debug("provider {}: /api/ps failed: {}", name, e.getMessage());
            return Map.of();
        }
    }

    private OllamaMapper.Shown show(OllamaWire.Model m) {
        String key = m.name() + "@" + m.digest();
        OllamaMapper.Shown s = shown.get(key);
        if (s != null) {
            return s;
        }
        try {
            HttpResult r = send(HttpCall.post(uri("/api/show"), HEADERS, Json.bytes(new OllamaWire.ShowRequest(m.name())), listTimeout()), m.name());
            s = OllamaMapper.shown(parse(r.body(), OllamaWire.ShowResponse.class, m.name()));
            shown.put(key, s);
            return s;
        } catch (ModelFailure e) {
            log.debug("provider {}: /api/show {} failed: {}", name, m.name(), e.getMessage());
            return OllamaMapper.Shown.NOTHING; // asked again at the next refresh
        }
    }

    private <T> T get(String path, Class<T> type) {
        HttpResult r = send(HttpCall.get(uri(path), HEADERS, listTimeout()), null);
        return parse(r.body(), type, null);
    }

    /** Sends a call; an error status becomes the classified failure, with the pull hint for a missing model. */
    HttpResult send(HttpCall call, String modelId) {
        HttpResult r = transport.send(call, new FailureContext(name, modelId));
        if (!r.ok()) {
            throw failure(modelId, r.status(), r.header(), r.bodyText());
        }
        return r;
    }

    ModelFailure failure(String modelId, int status, Function<String, String> header, String body) {
        return withPullHint(HttpErrors.classify(name, modelId, status, header, body, redactor()));
    }

    /** Ollama's 404 {@code model 'x' not found, try pulling it first}, with the way to do that from here. */
    ModelFailure withPullHint(ModelFailure f) {
        if (f instanceof ModelFailure.Unavailable && f.upstreamStatus() == 404 && f.modelId() != null
                && !f.getMessage().contains("switchboard pull")) {
            return new ModelFailure.Unavailable(name, f.modelId(), 404, f.getMessage() + " (pull it with `switchboard pull "
                    + new DeploymentKey(name, f.modelId()) + "`, or set auto_pull: true to pull on first load)", null);
        }
        return f;
    }

    @Override
    protected Health probe() {
        catalog.refreshNow();
        List<ModelInfo> models = catalog.peek().orElse(List.of());
        return Health.ok("reachable: " + models.size() + " models, " + running.size() + " loaded");
    }

    @Override
    public ProviderStatus status() {
        ProviderStatus s = super.status();
        Set<String> loaded = new LinkedHashSet<>(s.loadedModels());
        loaded.addAll(running);
        String error = s.lastError() == null ? dockerProblem
                : dockerProblem == null || s.healthy() ? s.lastError() : s.lastError() + " (" + dockerProblem + ")";
        return new ProviderStatus(s.name(), s.providerType(), s.endpoint(), s.initialized(), s.healthy(), loaded.size(),
                s.availableModelsCount(), s.lastModelRefresh(), s.lastHealthCheck(), List.copyOf(loaded), error);
    }

    // --- lifecycle --------------------------------------------------------------------------------------------

    @Override
    public dev.switchboard.model.Dialect dialect() {
        return dev.switchboard.model.Dialect.OLLAMA;
    }

    @Override
    public dev.switchboard.provider.RequestSupport support() {
        return OllamaChatMapper.support();
    }

    @Override
    protected ModelInstance newInstance(ModelInfo model, Map<String, Object> options) {
        return new OllamaModelInstance(this, model.modelId());
    }

    /** Loads the model into Ollama's memory now (empty prompt, configured keep_alive), pulling it first if allowed. */
    @Override
    public ModelInstance load(String requested, Map<String, Object> options) {
        String modelId = localName(requested);
        if (!offers(modelId)) {
            if (!autoPull) {
                throw new UnknownModelException("model '" + modelId + "' is not downloaded in Ollama (" + name
                        + "); pull it with `switchboard pull " + new DeploymentKey(name, modelId) + "`, or set auto_pull: true");
            }
            log.info("provider {}: pulling {} before its first load (auto_pull)", name, modelId);
            pull(modelId, PullProgress.NONE);
        }
        generateEmpty(modelId, keepAlive);
        ModelInstance instance = super.load(modelId, options);
        refreshQuietly();
        return instance;
    }

    /** Tells Ollama to free the model now ({@code keep_alive: 0}). */
    @Override
    public boolean unload(String modelId) {
        boolean ours = super.unload(modelId);
        boolean wasRunning = running.contains(modelId);
        try {
            generateEmpty(modelId, 0);
        } catch (ModelFailure.Unavailable e) {
            if (e.upstreamStatus() != 404) {
                throw e;
            }
        }
        refreshQuietly();
        return ours || wasRunning;
    }

    private boolean offers(String modelId) {
        try {
            return catalog.get().stream().anyMatch(m -> m.modelId().equals(modelId));
        } catch (ModelFailure e) {
            return true; // let the load itself report the failure
        }
    }

    /** Ollama lists an untagged name under {@code :latest}; {@code llama3} loads {@code llama3:latest}. */
    private String localName(String modelId) {
        if (modelId == null || modelId.contains(":")) {
            return modelId;
        }
        List<ModelInfo> models = catalog.peek().orElse(List.of());
        boolean exact = models.stream().anyMatch(m -> m.modelId().equals(modelId));
        return !exact && models.stream().anyMatch(m -> m.modelId().equals(modelId + ":latest")) ? modelId + ":latest" : modelId;
    }

    private void generateEmpty(String modelId, Object keep) {
        HttpResult r = send(HttpCall.post(uri("/api/generate"), HEADERS,
                Json.bytes(new OllamaWire.GenerateRequest(modelId, "", false, keep)), requestTimeout), modelId);
        OllamaWire.GenerateResponse g = parse(r.body(), OllamaWire.GenerateResponse.class, modelId);
        if (g.error() != null) {
            throw failure(modelId, 500, h -> null, "{\"error\":" + Json.string(g.error()) + "}");
        }
    }

    @Override
    public void pull(String modelId, PullProgress progress) {
        requireModelName(modelId);
        PullProgress listener = progress == null ? PullProgress.NONE : progress;
        // A pull streams for as long as the download takes: only silence between lines is bounded.
        HttpCall call = new HttpCall("POST", uri("/api/pull"), HEADERS, Json.bytes(new OllamaWire.PullRequest(modelId, true)),
                requestTimeout, Duration.ofMinutes(5));
        boolean success = false;
        try (LineStream lines = transport.stream(call, new FailureContext(name, modelId))) {
            if (lines.status() < 200 || lines.status() >= 300) {
                throw failure(modelId, lines.status(), lines.header(), lines.drain());
            }
            String line;
            while ((line = lines.nextLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                OllamaWire.PullStatus s = parse(line.getBytes(StandardCharsets.UTF_8), OllamaWire.PullStatus.class, modelId);
                if (s.error() != null) {
                    throw new ModelFailure.Unavailable(name, modelId, lines.status(),
                            name + " could not pull " + modelId + ": " + redactor().apply(s.error()), null);
                }
                if (s.status() != null) {
                    listener.update(new PullProgress.Update(s.status(), s.digest(), s.total(), s.completed()));
                    success |= "success".equals(s.status());
                }
            }
        } finally {
            refreshQuietly();
        }
        if (!success) {
            throw new ModelFailure.Unavailable(name, modelId, 200, name + " ended the pull of " + modelId + " before it succeeded", null);
        }
    }

    @Override
    public boolean delete(String modelId) {
        requireModelName(modelId);
        super.unload(modelId);
        HttpResult r = transport.send(HttpCall.delete(uri("/api/delete"), HEADERS,
                Json.bytes(new OllamaWire.DeleteRequest(modelId)), requestTimeout), new FailureContext(name, modelId));
        refreshQuietly();
        if (r.status() == 404) {
            return false;
        }
        if (!r.ok()) {
            throw HttpErrors.classify(name, modelId, r.status(), r.header(), r.bodyText(), redactor());
        }
        return true;
    }

    private static void requireModelName(String modelId) {
        if (modelId == null || modelId.isBlank() || modelId.length() > 300 || modelId.chars().anyMatch(ch -> ch < 0x21 || ch == 0x7f)) {
            throw new dev.switchboard.model.InvalidRequestException("model", "'" + modelId + "' is not an Ollama model name");
        }
    }

    /** A refresh that fails keeps the last list and shows in status; it never fails the caller's request. */
    void refreshQuietly() {
        if (!lastKnownHealthy()) {
            return;
        }
        try {
            catalog.refreshNow();
        } catch (ModelFailure e) {
            log.debug("refreshing the catalog of {} failed: {}", name, e.getMessage());
        }
    }
}
