package dev.switchboard.provider;

import dev.switchboard.config.Secret;
import dev.switchboard.json.Json;
import dev.switchboard.provider.http.HttpCall;
import dev.switchboard.provider.http.HttpErrors;
import dev.switchboard.provider.http.HttpResult;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.provider.http.HttpTransport;
import dev.switchboard.provider.http.JdkHttpTransport;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every HTTP-backed provider shares: a transport, a cached catalog, the set of loaded models, the last
 * health probe and credential scrubbing. Subclasses supply the wire: how to list models, how to build an
 * instance, how to probe.
 */
public abstract class AbstractHttpProvider implements ModelProvider {
    private static final Logger log = LoggerFactory.getLogger(AbstractHttpProvider.class);

    protected String name;
    protected ProviderType type;
    protected HttpTransport transport;
    protected CatalogCache catalog;
    protected URI baseUri;
    private final List<Secret> secrets = new ArrayList<>();
    private final Map<String, ModelInstance> loaded = new ConcurrentHashMap<>();
    private volatile Health lastHealth;
    private volatile boolean initialized;

    /** The upstream's catalog, fetched now. */
    protected abstract List<ModelInfo> fetchCatalog();

    protected abstract ModelInstance newInstance(ModelInfo model, Map<String, Object> options);

    /** A cheap request that proves the upstream answers and accepts our credentials. */
    protected abstract Health probe();

    /** Subclasses call this from {@link #initialize} once their own settings are read. */
    protected final void init(ProviderSettings settings, URI base, Duration connectTimeout, Secret... credentials) {
        this.name = settings.name();
        this.type = settings.type();
        this.baseUri = base;
        for (Secret s : credentials) {
            if (s != null) {
                secrets.add(s);
            }
        }
        if (transport == null) {
            transport = new JdkHttpTransport(connectTimeout);
        }
        this.catalog = new CatalogCache(settings.catalogTtl(), this::fetchCatalog);
        initialized = true;
        try {
            int n = catalog.get().size();
            log.info("provider {} ({}) ready at {}: {} models", name, type, endpoint(), n);
        } catch (ModelFailure e) {
            lastHealth = Health.failed(e.getMessage());
            log.warn("provider {} ({}) is not reachable yet: {}", name, type, e.getMessage());
        }
    }

    /** Lets tests and benchmarks run the provider over another transport. Call before {@link #initialize}. */
    public void useTransport(HttpTransport t) {
        this.transport = Objects.requireNonNull(t);
    }

    public final HttpTransport transport() {
        return transport;
    }

    /** Removes every configured credential from text that came from upstream (for model instances). */
    public final UnaryOperator<String> redact() {
        return redactor();
    }

    /** Parses an upstream body; broken JSON is an upstream failure, never an empty answer. */
    public final <T> T parse(byte[] body, Class<T> type, String modelId) {
        try {
            return Json.mapper().readValue(body, type);
        } catch (java.io.IOException e) {
            throw new ModelFailure.Unavailable(name, modelId, 200, name + " returned malformed JSON: "
                    + redactor().apply(String.valueOf(e.getMessage()).lines().findFirst().orElse("")), e);
        }
    }

    /**
     * The usual probe: list the models. A 2xx is healthy; 401/403 says the credentials are wrong; a 404 is still
     * reachable when the models come from configuration anyway.
     */
    protected final Health probeByListing(URI uri, Map<String, String> headers, Duration requestTimeout,
                                          boolean staticModels, String what) {
        Duration timeout = requestTimeout.compareTo(PROBE_TIMEOUT) < 0 ? requestTimeout : PROBE_TIMEOUT;
        HttpResult r = transport.send(HttpCall.get(uri, headers, timeout), new HttpTransport.FailureContext(name, null));
        if (r.ok()) {
            return Health.ok("reachable");
        }
        if (r.status() == 401 || r.status() == 403) {
            return Health.failed(HttpErrors.classify(name, null, r.status(), r.header(), r.bodyText(), redactor()).getMessage());
        }
        if (r.status() == 404 && staticModels) {
            return Health.ok("reachable (no " + what + " endpoint; using the configured model list)");
        }
        return Health.failed(name + " answered " + r.status() + " to GET " + what);
    }

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    /** Removes every configured credential from text that came from upstream. */
    protected final UnaryOperator<String> redactor() {
        return text -> {
            String out = text;
            for (Secret s : secrets) {
                out = s.scrub(out);
            }
            return out;
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProviderType type() {
        return type;
    }

    @Override
    public void refreshCatalog() {
        try {
            catalog.refreshNow();
        } catch (ModelFailure e) {
            log.debug("provider {}: catalog refresh after a miss failed: {}", name, e.getMessage());
        }
    }

    @Override
    public List<ModelInfo> availableModels(ModelFilter filter) {
        return (filter == null ? ModelFilter.NONE : filter).apply(catalog.get());
    }

    @Override
    public ModelInstance load(String modelId, Map<String, Object> options) {
        ModelInfo model = catalog.get().stream().filter(m -> m.modelId().equals(modelId)).findFirst()
                .orElseThrow(() -> new UnknownModelException("model '" + modelId + "' is not offered by provider " + name));
        return loaded.computeIfAbsent(modelId, id -> newInstance(model, options == null ? Map.of() : options));
    }

    @Override
    public boolean unload(String modelId) {
        return loaded.remove(modelId) != null;
    }

    @Override
    public Health healthCheck() {
        Health h;
        try {
            h = probe();
        } catch (ModelFailure e) {
            h = Health.failed(e.getMessage());
        }
        lastHealth = h;
        if (h.healthy() && catalog.peek().isEmpty()) {
            try {
                catalog.get();
            } catch (ModelFailure ignored) {
                // the status shows the catalog error
            }
        }
        return h;
    }

    /**
     * What requests teach between probes: an answer proves the upstream is reachable again; a refused connection
     * or rejected credentials prove it is not. Slow answers and model errors say nothing about the provider.
     */
    public final void observe(ModelFailure failure) {
        Health h = lastHealth;
        if (failure == null) {
            if (h != null && !h.healthy()) {
                lastHealth = Health.ok("answered a request");
            }
        } else if (failure instanceof ModelFailure.AuthFailed
                || (failure instanceof ModelFailure.Unavailable && failure.upstreamStatus() == 0)) {
            lastHealth = Health.failed(failure.getMessage());
        }
    }

    @Override
    public boolean healthy() {
        return lastKnownHealthy();
    }

    /** Whether the last probe (or request) found the upstream healthy; unknown counts as healthy. */
    protected boolean lastKnownHealthy() {
        Health h = lastHealth;
        return h == null || h.healthy();
    }

    @Override
    public ProviderStatus status() {
        Health h = lastHealth;
        String error = h != null && !h.healthy() ? h.detail() : catalog.lastError();
        return new ProviderStatus(name, type, endpoint(), initialized, h == null ? catalog.peek().isPresent() : h.healthy(),
                loaded.size(), catalog.peek().map(List::size).orElse(0), catalog.lastRefresh(),
                h == null ? null : h.checkedAt(), List.copyOf(loaded.keySet()), error);
    }

    /** The base URL without user info, query or fragment: safe to show. */
    protected String endpoint() {
        if (baseUri == null) {
            return null;
        }
        return baseUri.getScheme() + "://" + baseUri.getHost() + (baseUri.getPort() > 0 ? ":" + baseUri.getPort() : "")
                + (baseUri.getPath() == null ? "" : baseUri.getPath());
    }

    @Override
    public void close() {
        loaded.clear();
        if (transport != null) {
            transport.close();
        }
        initialized = false;
    }

    protected static Instant now() {
        return Instant.now();
    }
}
