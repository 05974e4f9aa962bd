package dev.switchboard.provider.anthropic;

import dev.switchboard.config.CustomEndpointConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.Dialect;
import dev.switchboard.provider.AbstractHttpProvider;
import dev.switchboard.provider.KnownFamilies;
import dev.switchboard.provider.RequestSupport;
import dev.switchboard.provider.Health;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.provider.ProviderSettings;
import dev.switchboard.provider.http.HttpCall;
import dev.switchboard.provider.http.HttpErrors;
import dev.switchboard.provider.http.HttpResult;
import dev.switchboard.provider.http.HttpTransport;
import dev.switchboard.provider.http.HttpTransport.FailureContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The seed's {@code custom_api} provider with {@code api_type: anthropic}: Anthropic's Messages API, or any
 * server that speaks it. The catalog is the configured model list, or else {@code GET /v1/models}.
 */
public class AnthropicProvider extends AbstractHttpProvider {
    /** The API's largest page; most accounts' catalogs then fit in one request. */
    private static final int PAGE_LIMIT = 1000;
    /** A server that keeps saying has_more must not keep us paging forever. */
    private static final int MAX_PAGES = 50;

    private URI messagesUri;
    private String modelsUrl;
    private Map<String, String> headers;
    private List<String> staticModels;
    private Duration requestTimeout;
    private int defaultMaxTokens;

    @Override
    public void initialize(ProviderSettings settings) {
        CustomEndpointConfig ep = settings.endpoint();
        if (ep == null || ep.baseUrl() == null || ep.baseUrl().isBlank()) {
            throw new IllegalArgumentException("provider " + settings.name() + " needs a base_url");
        }
        if (ep.maxTokens() < 1) {
            throw new IllegalArgumentException("provider " + settings.name() + ": max_tokens must be positive, got " + ep.maxTokens());
        }
        String root = ep.baseUrl().strip().replaceAll("/+$", "");
        // Both https://api.anthropic.com and https://api.anthropic.com/v1 are common in configurations.
        root = root.endsWith("/v1") ? root.substring(0, root.length() - 3) : root;
        this.messagesUri = URI.create(root + "/v1/messages");
        this.modelsUrl = root + "/v1/models";
        Map<String, String> h = new LinkedHashMap<>();
        ep.headers().forEach((k, v) -> h.put(k, v.reveal()));
        h.put("content-type", "application/json");
        h.put("accept", "application/json, text/event-stream");
        h.put("anthropic-version", ep.anthropicVersion());
        if (ep.apiKey() != null) {
            h.put("x-api-key", ep.apiKey().reveal());
        }
        // Insertion order matters: the transport sets headers in turn, so ours override a configured one of the same name.
        this.headers = Collections.unmodifiableMap(h);
        this.staticModels = ep.models();
        this.requestTimeout = Duration.ofMillis((long) (ep.requestTimeoutSeconds() * 1000));
        this.defaultMaxTokens = ep.maxTokens();
        List<Secret> credentials = new ArrayList<>(ep.headers().values());
        credentials.add(ep.apiKey());
        init(settings, URI.create(root), Duration.ofMillis((long) (ep.connectTimeoutSeconds() * 1000)),
                credentials.toArray(Secret[]::new));
    }

    @Override
    protected List<ModelInfo> fetchCatalog() {
        if (!staticModels.isEmpty()) {
            return staticModels.stream().map(id -> ModelInfo.builder(id, type, name)
                    .capabilities(KnownFamilies.anthropic(id)).build()).toList();
        }
        List<ModelInfo> models = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String after = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            AnthropicWire.ModelList list = modelsPage(after);
            for (AnthropicWire.ModelEntry e : list.data()) {
                if (e.id() != null && !e.id().isBlank() && seen.add(e.id())) {
                    models.add(ModelInfo.builder(e.id(), type, name)
                            .name(e.displayName())
                            .capabilities(KnownFamilies.anthropic(e.id()))
                            .detail("created_at", e.createdAt())
                            .build());
                }
            }
            // Stop when the server says so, or gives no cursor to go on from (it would hand us the same page again).
            if (!Boolean.TRUE.equals(list.hasMore()) || list.lastId() == null || list.lastId().equals(after)) {
                break;
            }
            after = list.lastId();
        }
        return models;
    }

    private AnthropicWire.ModelList modelsPage(String afterId) {
        String query = "?limit=" + PAGE_LIMIT + (afterId == null ? "" : "&after_id=" + URLEncoder.encode(afterId, StandardCharsets.UTF_8));
        HttpResult r = transport.send(HttpCall.get(URI.create(modelsUrl + query), headers, requestTimeout), new FailureContext(name, null));
        if (!r.ok()) {
            throw HttpErrors.classify(name, null, r.status(), r.header(), r.bodyText(), redactor());
        }
        AnthropicWire.ModelList list = parse(r.body(), AnthropicWire.ModelList.class, null);
        if (list.data() == null) {
            throw new ModelFailure.Unavailable(name, null, r.status(), name + " returned a model list without 'data'", null);
        }
        return list;
    }

    @Override
    protected ModelInstance newInstance(ModelInfo model, Map<String, Object> options) {
        return new AnthropicModelInstance(this, model.modelId());
    }

    /** Listing one model proves reachability and the key without a billable call. */
    @Override
    protected Health probe() {
        return probeByListing(URI.create(modelsUrl + "?limit=1"), headers, requestTimeout, !staticModels.isEmpty(), "/v1/models");
    }

    @Override
    public Dialect dialect() {
        return Dialect.ANTHROPIC_MESSAGES;
    }

    @Override
    public RequestSupport support() {
        return AnthropicMapper.support();
    }

    URI messagesUri() {
        return messagesUri;
    }

    Map<String, String> headers() {
        return headers;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    int defaultMaxTokens() {
        return defaultMaxTokens;
    }

}
