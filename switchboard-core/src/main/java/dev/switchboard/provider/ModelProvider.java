package dev.switchboard.provider;

import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import java.util.List;
import java.util.Map;

/**
 * A source of models: a cloud API, a local server or an in-process runtime. The seed's IModelProvider, made
 * blocking: callers run on virtual threads. A provider knows nothing about routing or HTTP servers.
 */
public interface ModelProvider extends AutoCloseable {

    /** The configured instance name, for example {@code openrouter} or a custom endpoint's key. */
    String name();

    ProviderType type();

    /**
     * Applies configuration and prepares clients. Throws only when the configuration cannot work at all; an
     * upstream that is merely unreachable leaves the provider initialized and unhealthy, so it can recover.
     */
    void initialize(ProviderSettings settings);

    /** The catalog, served from a cache that is refreshed every {@code cache_ttl_seconds}. */
    List<ModelInfo> availableModels(ModelFilter filter);

    /** Prepares a model for generation. Unknown ids throw {@link dev.switchboard.model.UnknownModelException}. */
    ModelInstance load(String modelId, Map<String, Object> options);

    /** Frees what {@link #load} took. Returns false when the model was not loaded. */
    boolean unload(String modelId);

    /**
     * Asks the upstream for its catalog now, because a request named a model the cached list lacks (pulled or
     * deployed since). A failure leaves the old list; providers whose catalog cannot change keep this default.
     */
    default void refreshCatalog() {
    }

    /** Why a model this provider has is not offered (a filter hides it, and how to change that), or null. */
    default String hiddenReason(String modelId) {
        return null;
    }

    /** The wire format this provider speaks: fields of that dialect reach it unchanged. */
    default dev.switchboard.model.Dialect dialect() {
        return dev.switchboard.model.Dialect.NONE;
    }

    /**
     * What this provider's wire format can carry. The default takes the canonical fields only: one choice, no
     * field of any door's dialect beyond the advisory ones.
     */
    default RequestSupport support() {
        return r -> WireChecks.first(WireChecks.oneChoice(r, "provider " + name()),
                WireChecks.foreign(r, dialect(), java.util.Set.of(), "provider " + name()));
    }

    /** Probes the upstream now. */
    Health healthCheck();

    /** Whether the last probe or request found the provider working; cheap, for the request path. */
    default boolean healthy() {
        return true;
    }

    /** The seed's provider metrics: state, counts, last refresh, last error. Never contains credentials. */
    ProviderStatus status();

    default List<ModelInfo> freeModels() {
        return availableModels(ModelFilter.FREE_ONLY);
    }

    /** The seed's free-models filter. Providers without paid models keep the defaults. */
    default FreeModelFilter freeModelFilter() {
        return FreeModelFilter.DEFAULTS;
    }

    /** Who hears load progress; providers that load nothing in-process ignore it. */
    default void setLoadProgress(LoadProgress listener) {
    }

    /**
     * Downloads a model into the provider's local store, reporting each step; returns when it is complete. Providers
     * without a model store keep this default, which the APIs answer with a 400.
     */
    default void pull(String modelId, PullProgress progress) {
        throw new dev.switchboard.model.InvalidRequestException("provider", "provider '" + name() + "' cannot pull models");
    }

    /** Deletes a downloaded model. Returns false when the provider does not have it. */
    default boolean delete(String modelId) {
        throw new dev.switchboard.model.InvalidRequestException("provider", "provider '" + name() + "' cannot delete models");
    }

    default void setFreeModelFilter(FreeModelFilter filter) {
        throw new UnsupportedOperationException("provider " + name() + " has no free-model filter");
    }

    @Override
    void close();
}
