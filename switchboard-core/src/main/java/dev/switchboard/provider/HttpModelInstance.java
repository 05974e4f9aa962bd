package dev.switchboard.provider;

import dev.switchboard.model.Caller;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelStatus;
import dev.switchboard.provider.http.HttpCall;
import dev.switchboard.provider.http.HttpErrors;
import dev.switchboard.provider.http.HttpResult;
import dev.switchboard.provider.http.HttpTransport;
import dev.switchboard.provider.http.LineStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What every model behind an HTTP provider shares: its identity, its counters, and telling the provider what each
 * call taught about its health. Such an instance holds no connection of its own; loading it is free.
 */
public abstract class HttpModelInstance<P extends AbstractHttpProvider> implements ModelInstance {
    protected final P provider;
    protected final String modelId;
    protected final HttpTransport.FailureContext ctx;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    protected HttpModelInstance(P provider, String modelId) {
        this.provider = provider;
        this.modelId = modelId;
        this.ctx = new HttpTransport.FailureContext(provider.name(), modelId);
    }

    /** Runs one call to the upstream, counting it and reporting its outcome to the provider's health view. */
    protected final <T> T counted(Supplier<T> call) {
        return counted(Caller.OPERATOR, call);
    }

    /**
     * As {@link #counted(Supplier)}, for a call paid by {@code caller}: a failure that belongs to the caller's own
     * key (rejected, limited) is not the provider's health, so the provider is not told of it.
     */
    protected final <T> T counted(Caller caller, Supplier<T> call) {
        requests.incrementAndGet();
        try {
            T response = call.get();
            provider.observe(null);
            return response;
        } catch (ModelFailure e) {
            failures.incrementAndGet();
            if (!caller.owns(provider.type(), e)) {
                provider.observe(e);
            }
            throw e;
        }
    }

    /** POSTs a JSON body and parses the answer; an error status becomes the provider's classified failure. */
    protected final <T> T post(java.net.URI uri, Map<String, String> headers, byte[] body, java.time.Duration timeout,
                               Class<T> type) {
        return post(uri, new CallKeys(headers, provider.redact(), Caller.OPERATOR), body, timeout, type);
    }

    /** As above, with the call's own credentials (and their scrubbing). */
    protected final <T> T post(java.net.URI uri, CallKeys keys, byte[] body, java.time.Duration timeout, Class<T> type) {
        HttpResult r = provider.transport().send(HttpCall.post(uri, keys.headers(), body, timeout), ctx);
        if (!r.ok()) {
            throw HttpErrors.classify(provider.name(), modelId, r.status(), r.header(), r.bodyText(), keys.redact());
        }
        return provider.parse(r.body(), type, modelId);
    }

    /** POSTs a JSON body for a streamed answer; an error status is read and classified before any line is returned. */
    protected final LineStream openStream(java.net.URI uri, Map<String, String> headers, byte[] body,
                                          java.time.Duration timeout) {
        return openStream(uri, new CallKeys(headers, provider.redact(), Caller.OPERATOR), body, timeout);
    }

    /** As above, with the call's own credentials (and their scrubbing). */
    protected final LineStream openStream(java.net.URI uri, CallKeys keys, byte[] body, java.time.Duration timeout) {
        LineStream lines = provider.transport().stream(HttpCall.post(uri, keys.headers(), body, timeout), ctx);
        if (lines.status() < 200 || lines.status() >= 300) {
            try (lines) {
                throw HttpErrors.classify(provider.name(), modelId, lines.status(), lines.header(), lines.drain(), keys.redact());
            }
        }
        return lines;
    }

    /** Some servers ignore {@code stream: true} and answer with one JSON body. */
    protected static boolean answeredWithJson(LineStream lines) {
        String type = lines.header().apply("content-type");
        return type != null && type.startsWith("application/json");
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public String provider() {
        return provider.name();
    }

    @Override
    public ModelStatus status() {
        return provider.healthy() ? ModelStatus.READY : ModelStatus.ERROR;
    }

    @Override
    public boolean healthCheck() {
        return provider.healthy();
    }

    @Override
    public Map<String, Object> metrics() {
        return Map.of("model_id", modelId, "provider", provider.name(), "status", status().wire(),
                "requests", requests.get(), "failures", failures.get());
    }
}
