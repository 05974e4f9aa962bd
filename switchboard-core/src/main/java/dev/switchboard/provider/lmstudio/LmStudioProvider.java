package dev.switchboard.provider.lmstudio;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.provider.Health;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.provider.ProviderSettings;
import dev.switchboard.provider.http.HttpCall;
import dev.switchboard.provider.http.HttpErrors;
import dev.switchboard.provider.http.HttpResult;
import dev.switchboard.provider.http.HttpTransport.FailureContext;
import dev.switchboard.provider.openai.OpenAiCompatibleProvider;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LM Studio's local server ({@code providers.lm_studio}). Chat goes through its OpenAI-compatible {@code /v1}; the
 * catalog comes from its native {@code GET /api/v0/models}, the one list that says which models are loaded, what
 * kind they are and how they are quantized, with {@code /v1/models} as the fallback for versions before 0.3.6.
 * <p>
 * LM Studio loads a model on its first request and unloads idle ones on its own, so the cached catalog goes stale
 * between TTL refreshes. It is therefore refreshed when Switchboard loads or unloads a model, after a chat to a
 * model listed as not loaded (or no longer found), and by every health probe.
 */
public class LmStudioProvider extends OpenAiCompatibleProvider {
    static final String DEFAULT_BASE_URL = "http://localhost:1234";
    private static final Logger log = LoggerFactory.getLogger(LmStudioProvider.class);
    /** Listing local models is quick; a server that takes longer is as good as down for routing. */
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(10);

    private URI nativeModelsUri;

    @Override
    public void initialize(ProviderSettings settings) {
        ProviderConfig c = settings.config();
        String root = serverRoot(c.apiBase() == null || c.apiBase().isBlank() ? DEFAULT_BASE_URL : c.apiBase());
        URI uri = URI.create(root);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("provider " + settings.name() + ": base_url '" + root
                    + "' is not an http:// or https:// URL with a host");
        }
        nativeModelsUri = URI.create(root + "/api/v0/models"); // before configure(): it loads the catalog
        configure(settings, root, c.apiKey(), c.headers(), List.of(),
                seconds(c.connectTimeoutSeconds()), seconds(c.requestTimeoutSeconds()));
    }

    /** The server's root: users give LM Studio's address with or without the {@code /v1} its UI shows. */
    static String serverRoot(String baseUrl) {
        String s = baseUrl.strip().replaceAll("/+$", "");
        return s.endsWith("/v1") ? s.substring(0, s.length() - 3).replaceAll("/+$", "") : s;
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis((long) (s * 1000));
    }

    private Duration listTimeout() {
        return requestTimeout().compareTo(LIST_TIMEOUT) < 0 ? requestTimeout() : LIST_TIMEOUT;
    }

    @Override
    protected List<ModelInfo> fetchCatalog() {
        try {
            List<ModelInfo> models = fetchNative();
            if (models == null) {
                models = super.fetchCatalog().stream().map(LmStudioMapper::fromOpenAiList).toList();
            }
            return LmStudioMapper.readyFirst(models);
        } catch (ModelFailure.Unavailable e) {
            if (e.upstreamStatus() != 0) {
                throw e;
            }
            throw new ModelFailure.Unavailable(name, null, 0, "LM Studio is not reachable at " + endpoint() + ": "
                    + e.getMessage() + ". Is its server running? Start it in LM Studio's Developer tab or with `lms server start`.", e);
        }
    }

    /** The native list, or null when this LM Studio predates {@code /api/v0}. */
    private List<ModelInfo> fetchNative() {
        HttpResult r = transport.send(HttpCall.get(nativeModelsUri, headers(), listTimeout()), new FailureContext(name, null));
        if (r.status() == 404) {
            return null;
        }
        if (!r.ok()) {
            throw HttpErrors.classify(name, null, r.status(), r.header(), r.bodyText(), redactor());
        }
        LmStudioWire.ModelList list = parse(r.body(), LmStudioWire.ModelList.class, null);
        if (list.data() == null) {
            if (list.error() != null && !list.error().isNull()) {
                return null; // LM Studio answers paths it does not know with 200 and an error
            }
            throw new ModelFailure.Unavailable(name, null, r.status(), name + " returned a model list without 'data'", null);
        }
        return list.data().stream()
                .filter(m -> m != null && m.id() != null && !m.id().isBlank())
                .map(m -> LmStudioMapper.fromNative(m, type, name))
                .toList();
    }

    /** Listing the models is the probe: it proves the server answers and brings the loaded states up to date. */
    @Override
    protected Health probe() {
        catalog.refreshNow();
        List<ModelInfo> models = catalog.peek().orElse(List.of());
        long loaded = models.stream().filter(m -> Boolean.TRUE.equals(m.loaded())).count();
        return Health.ok("reachable: " + models.size() + " models, " + loaded + " loaded");
    }

    @Override
    protected ModelInstance newInstance(ModelInfo model, Map<String, Object> options) {
        return new LmStudioModelInstance(super.newInstance(model, options), this);
    }

    @Override
    public ModelInstance load(String modelId, Map<String, Object> options) {
        ModelInstance instance = super.load(modelId, options);
        refreshQuietly();
        return instance;
    }

    @Override
    public boolean unload(String modelId) {
        boolean wasLoaded = super.unload(modelId);
        refreshQuietly();
        return wasLoaded;
    }

    /** LM Studio loads a model on its first request: a model listed as not loaded is loaded now. */
    void answered(String modelId) {
        if (catalog.peek().orElse(List.of()).stream()
                .anyMatch(m -> m.modelId().equals(modelId) && Boolean.FALSE.equals(m.loaded()))) {
            refreshQuietly();
        }
    }

    /** A 404 from LM Studio means the model is gone (deleted or renamed): the listing should stop offering it. */
    void failed(ModelFailure failure) {
        if (failure.upstreamStatus() == 404) {
            refreshQuietly();
        }
    }

    /** A refresh that fails keeps the last list and shows in status; it never fails the caller's request. */
    private void refreshQuietly() {
        if (!lastKnownHealthy()) {
            return; // an unreachable server would only make the caller wait; the health loop brings it back
        }
        try {
            catalog.refreshNow();
        } catch (ModelFailure e) {
            log.debug("refreshing the catalog of {} failed: {}", name, e.getMessage());
        }
    }
}
