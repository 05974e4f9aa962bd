package dev.switchboard.provider.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.model.Caller;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.provider.CallKeys;
import dev.switchboard.provider.FreeModelFilter;
import dev.switchboard.provider.Health;
import dev.switchboard.provider.ModelFilter;
import dev.switchboard.provider.ProviderSettings;
import dev.switchboard.provider.openai.OpenAiCompatibleProvider;
import dev.switchboard.state.SettingsStore;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenRouter: OpenAI-dialect chat at {@code {base}/chat/completions} with attribution headers, its own catalog
 * (prices per token, capabilities from supported parameters and modalities), and the seed's free-model filter,
 * whose API-set values survive restarts in the settings store.
 */
public final class OpenRouterProvider extends OpenAiCompatibleProvider {
    private static final Logger log = LoggerFactory.getLogger(OpenRouterProvider.class);
    static final String DEFAULT_BASE_URL = "https://openrouter.ai/api/v1";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private SettingsStore store;
    private String settingsKey;
    private volatile FreeModelFilter filter = FreeModelFilter.DEFAULTS;
    private volatile Filtered filtered;
    private OpenRouterAccounts accounts;

    /** The filtered catalog, kept while neither the catalog nor the filter changes: the routing index keys on it. */
    private record Filtered(List<ModelInfo> source, FreeModelFilter filter, List<ModelInfo> models) {}

    @Override
    public void initialize(ProviderSettings settings) {
        ProviderConfig c = settings.config();
        store = settings.settings();
        settingsKey = settings.name().replaceAll("[^A-Za-z0-9._-]", "_") + ".free_model_filter";
        filter = FreeModelPolicy.resolve(store.get(settingsKey, FreeModelPolicy.Stored.class).orElse(null), c, settings.env());
        Map<String, String> attribution = new LinkedHashMap<>();
        if (c.httpReferer() != null && !c.httpReferer().isBlank()) {
            attribution.put("HTTP-Referer", c.httpReferer().strip());
        }
        if (c.xTitle() != null && !c.xTitle().isBlank()) {
            attribution.put("X-Title", c.xTitle().strip());
        }
        if (c.apiKey() == null) {
            log.warn("provider {} has no api_key (or OPENROUTER_API_KEY): the catalog is public, but chat is refused unless "
                    + "the caller connected their own OpenRouter key",
                    settings.name());
        }
        String base = apiBase(c.apiBase());
        // The catalog is OpenRouter's, never a static list: `models` has no meaning here.
        configure(settings, base, c.apiKey(), c.headers(), attribution, List.of(),
                seconds(c.connectTimeoutSeconds()), seconds(c.requestTimeoutSeconds()));
        accounts = new OpenRouterAccounts(settings.name(), URI.create(base), attribution, transport,
                requestTimeout().compareTo(PROBE_TIMEOUT) < 0 ? requestTimeout() : PROBE_TIMEOUT);
    }

    /** Users' own keys: checking one, and the sign-in that gives a user a new one. */
    public OpenRouterAccounts accounts() {
        return accounts;
    }

    /** A caller who connected their own OpenRouter key pays with it; everyone else with the configured one. */
    @Override
    protected CallKeys keysFor(Caller caller) {
        CallKeys operator = super.keysFor(caller);
        return caller.paysFor(ProviderType.OPENROUTER)
                ? operator.paidBy(caller, "Authorization", "Bearer ", caller.openRouterKey()) : operator;
    }

    /**
     * The API base: OpenRouter's own when none is configured, and {@code /api/v1} added to a bare
     * {@code https://openrouter.ai} (or {@code …/api}), which is how the seed's configuration wrote it.
     */
    static String apiBase(String configured) {
        if (configured == null || configured.isBlank()) {
            return DEFAULT_BASE_URL;
        }
        String base = configured.strip().replaceAll("/+$", "");
        URI uri = URI.create(base);
        if ("openrouter.ai".equalsIgnoreCase(uri.getHost())) {
            String path = uri.getPath() == null ? "" : uri.getPath();
            if (path.isEmpty()) {
                return base + "/api/v1";
            }
            if (path.equals("/api")) {
                return base + "/v1";
            }
        }
        return base;
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis((long) (s * 1000));
    }

    @Override
    protected List<ModelInfo> fetchCatalog() {
        OpenRouterWire.ModelList list = getJson(modelsUri(), OpenRouterWire.ModelList.class, requestTimeout());
        if (list.data() == null) {
            throw new ModelFailure.Unavailable(name, null, 200, name + " returned a model list without 'data'", null);
        }
        return OpenRouterMapper.catalog(list.data(), name);
    }

    /** {@code GET /key}: the catalog is public, so only this proves the key is accepted. Costs nothing. */
    @Override
    protected Health probe() {
        try {
            getJson(modelsUri().resolve("key"), JsonNode.class,
                    requestTimeout().compareTo(PROBE_TIMEOUT) < 0 ? requestTimeout() : PROBE_TIMEOUT);
            return Health.ok("reachable, key accepted");
        } catch (ModelFailure e) {
            return Health.failed(e.getMessage());
        }
    }

    @Override
    public List<ModelInfo> availableModels(ModelFilter modelFilter) {
        return (modelFilter == null ? ModelFilter.NONE : modelFilter).apply(filteredCatalog());
    }

    private List<ModelInfo> filteredCatalog() {
        List<ModelInfo> all = catalog.get();
        FreeModelFilter f = filter;
        Filtered cached = filtered;
        if (cached != null && cached.source == all && cached.filter.equals(f)) {
            return cached.models;
        }
        List<ModelInfo> models = FreeModelPolicy.apply(all, f);
        filtered = new Filtered(all, f, models);
        return models;
    }

    @Override
    public String hiddenReason(String modelId) {
        List<ModelInfo> all = catalog.peek().orElse(List.of());
        boolean listed = all.stream().anyMatch(m -> m.modelId().equals(modelId));
        if (!listed || filteredCatalog().stream().anyMatch(m -> m.modelId().equals(modelId))) {
            return null;
        }
        FreeModelFilter f = filter;
        return "model '" + modelId + "' is hidden by " + name + "'s free-model filter (show_free_only: " + f.showFreeOnly()
                + ", prefer_free_models: " + f.preferFree() + ", max_cost_per_token: " + f.maxCostPerToken()
                + "); change it with POST /api/v1/models/openrouter/filter or providers." + name + " in the configuration";
    }

    /** Every free model, whatever the filter says about paid ones. */
    @Override
    public List<ModelInfo> freeModels() {
        return catalog.get().stream().filter(ModelInfo::isFree).toList();
    }

    @Override
    public FreeModelFilter freeModelFilter() {
        return filter;
    }

    /** Saves the settings first, so that what the provider applies is always what a restart finds. */
    @Override
    public synchronized void setFreeModelFilter(FreeModelFilter next) {
        FreeModelFilter valid = FreeModelPolicy.validated(next);
        store.put(settingsKey, FreeModelPolicy.Stored.of(valid));
        filter = valid;
        log.info("provider {}: free-model filter is now {}", name, valid);
    }
}
