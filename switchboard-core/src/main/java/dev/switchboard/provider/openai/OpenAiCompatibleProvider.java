package dev.switchboard.provider.openai;

import dev.switchboard.config.CustomEndpointConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.model.Caller;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.Dialect;
import dev.switchboard.provider.AbstractHttpProvider;
import dev.switchboard.provider.CallKeys;
import dev.switchboard.provider.KnownFamilies;
import dev.switchboard.provider.RequestSupport;
import dev.switchboard.provider.Health;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.provider.ProviderSettings;
import dev.switchboard.provider.http.HttpCall;
import dev.switchboard.provider.http.HttpErrors;
import dev.switchboard.provider.http.HttpResult;
import dev.switchboard.provider.http.HttpTransport.FailureContext;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's {@code custom_api} provider with {@code api_type: openai}: any server that speaks OpenAI's
 * {@code /v1/models} and {@code /v1/chat/completions} (vLLM, llama.cpp server, LocalAI, OpenAI itself …).
 */
public class OpenAiCompatibleProvider extends AbstractHttpProvider {
    private URI chatUri;
    private URI modelsUri;
    private URI embeddingsUri;
    private Map<String, String> headers;
    private List<String> staticModels;
    private Duration requestTimeout;

    @Override
    public void initialize(ProviderSettings settings) {
        CustomEndpointConfig ep = settings.endpoint();
        if (ep == null || ep.baseUrl() == null) {
            throw new IllegalArgumentException("provider " + settings.name() + " needs a base_url");
        }
        configure(settings, ep.baseUrl(), ep.apiKey(), ep.headers(), ep.models(),
                Duration.ofMillis((long) (ep.connectTimeoutSeconds() * 1000)),
                Duration.ofMillis((long) (ep.requestTimeoutSeconds() * 1000)));
    }

    /** Shared by subclasses for other OpenAI-dialect upstreams (they read their settings elsewhere). */
    protected final void configure(ProviderSettings settings, String baseUrl, Secret apiKey, Map<String, Secret> extraHeaders,
                                   List<String> models, Duration connectTimeout, Duration requestTimeout) {
        configure(settings, baseUrl, apiKey, extraHeaders, Map.of(), models, connectTimeout, requestTimeout);
    }

    /**
     * As above, plus headers that are not credentials (OpenRouter's attribution): they are sent but not scrubbed
     * from upstream text, since a short value such as a site title would otherwise mask ordinary words.
     */
    protected final void configure(ProviderSettings settings, String baseUrl, Secret apiKey, Map<String, Secret> extraHeaders,
                                   Map<String, String> publicHeaders, List<String> models, Duration connectTimeout,
                                   Duration requestTimeout) {
        String trimmed = baseUrl.strip().replaceAll("/+$", "");
        String apiRoot = trimmed.endsWith("/v1") ? trimmed : trimmed + "/v1";
        this.chatUri = URI.create(apiRoot + "/chat/completions");
        this.modelsUri = URI.create(apiRoot + "/models");
        this.embeddingsUri = URI.create(apiRoot + "/embeddings");
        Map<String, String> h = new LinkedHashMap<>(publicHeaders);
        extraHeaders.forEach((k, v) -> h.put(k, v.reveal()));
        h.put("Content-Type", "application/json");
        h.put("Accept", "application/json, text/event-stream");
        if (apiKey != null) {
            h.put("Authorization", "Bearer " + apiKey.reveal());
        }
        this.headers = Map.copyOf(h);
        this.staticModels = List.copyOf(models);
        this.requestTimeout = requestTimeout;
        List<Secret> credentials = new java.util.ArrayList<>(extraHeaders.values());
        credentials.add(apiKey);
        init(settings, URI.create(trimmed), connectTimeout, credentials.toArray(Secret[]::new));
    }

    @Override
    protected List<ModelInfo> fetchCatalog() {
        if (!staticModels.isEmpty()) {
            return staticModels.stream().map(id -> ModelInfo.builder(id, type, name)
                    .capabilities(KnownFamilies.openAi(id)).build()).toList();
        }
        OpenAiWire.ModelList list = getJson(modelsUri, OpenAiWire.ModelList.class, requestTimeout);
        if (list.data() == null) {
            throw new ModelFailure.Unavailable(name, null, 200, name + " returned a model list without 'data'", null);
        }
        return list.data().stream()
                .filter(e -> e.id() != null && !e.id().isBlank())
                .map(e -> ModelInfo.builder(e.id(), type, name)
                        .description(e.ownedBy() == null ? "" : "owned by " + e.ownedBy())
                        .capabilities(KnownFamilies.openAi(e.id()))
                        .build())
                .toList();
    }

    @Override
    protected ModelInstance newInstance(ModelInfo model, Map<String, Object> options) {
        return new OpenAiModelInstance(this, model.modelId());
    }

    @Override
    protected Health probe() {
        return probeByListing(modelsUri, headers, requestTimeout, !staticModels.isEmpty(), "/v1/models");
    }

    /** GETs {@code uri} with this provider's headers and parses the answer; an error status becomes its failure. */
    protected final <T> T getJson(URI uri, Class<T> type, Duration timeout) {
        HttpResult r = transport.send(HttpCall.get(uri, headers, timeout), new FailureContext(name, null));
        if (!r.ok()) {
            throw HttpErrors.classify(name, null, r.status(), r.header(), r.bodyText(), redactor());
        }
        return parse(r.body(), type, null);
    }

    /** {@code <api root>/models}; subclasses resolve their dialect's other endpoints against it. */
    protected final URI modelsUri() {
        return modelsUri;
    }

    URI chatUri() {
        return chatUri;
    }

    URI embeddingsUri() {
        return embeddingsUri;
    }

    @Override
    public Dialect dialect() {
        return Dialect.OPENAI_CHAT;
    }

    /** The OpenAI dialect carries every field of its own, n and logprobs included. */
    @Override
    public RequestSupport support() {
        return OpenAiMapper.support("provider " + name);
    }

    protected Map<String, String> headers() {
        return headers;
    }

    /**
     * The credentials a call for {@code caller} goes out with: the configured ones here; a provider whose callers
     * may bring their own key (OpenRouter) overrides this.
     */
    protected CallKeys keysFor(Caller caller) {
        return new CallKeys(headers, redact(), Caller.OPERATOR);
    }

    protected final Duration requestTimeout() {
        return requestTimeout;
    }

}
