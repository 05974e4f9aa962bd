package dev.switchboard.server.api;

import dev.switchboard.json.Json;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.provider.PullProgress;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.HttpBodies;
import dev.switchboard.server.http.SseWriter;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Downloading and deleting models in a provider's own store (Ollama): {@code POST /api/v1/models/pull/{provider}/{model}}
 * streams the download's progress as SSE ({@code progress} events, then {@code done} or {@code error});
 * {@code DELETE /api/v1/models/{provider}/{model}} deletes a model.
 */
final class ModelStoreApi {
    private static final String BASE = "/api/v1/models";
    private final ModelManager manager;

    ModelStoreApi(ModelManager manager) {
        this.manager = manager;
    }

    /** Register after the fixed paths ({@code /unload/…}): the delete path would match them too. */
    void register(RoutesConfig routes) {
        routes.post(BASE + "/pull/{provider}/<model_id>", this::pull);
        routes.delete(BASE + "/{provider}/<model_id>", this::delete);
    }

    private void pull(Context ctx) {
        String provider = ctx.pathParam("provider");
        String modelId = ctx.pathParam("model_id");
        if (!ModelsApi.flag(ctx, "stream") && ctx.queryParam("stream") != null) {
            manager.models().pull(provider, modelId, PullProgress.NONE);
            HttpBodies.json(ctx, done(provider, modelId));
            return;
        }
        SseWriter sse = new SseWriter(ctx);
        try {
            manager.models().pull(provider, modelId, u -> sse.event("progress", Json.bytes(progress(u))));
            sse.event("done", Json.bytes(done(provider, modelId)));
        } catch (RuntimeException e) {
            if (!sse.started()) {
                throw e;
            }
            if (e instanceof java.io.UncheckedIOException) {
                return; // the client went away
            }
            ApiError error = ApiError.from(e);
            sse.event("error", Json.bytes(Map.of("detail", error.message(), "status", error.status())));
        }
    }

    static Map<String, Object> progress(PullProgress.Update u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", u.status());
        if (u.digest() != null) {
            m.put("digest", u.digest());
        }
        if (u.total() != null) {
            m.put("total", u.total());
        }
        if (u.completed() != null) {
            m.put("completed", u.completed());
            if (u.total() != null && u.total() > 0) {
                m.put("percent", Math.round(1000.0 * u.completed() / u.total()) / 10.0);
            }
        }
        return m;
    }

    private static Map<String, Object> done(String provider, String modelId) {
        return Map.of("status", "success", "provider", provider, "model_id", modelId,
                "message", "Pulled model " + modelId + " into provider " + provider);
    }

    private void delete(Context ctx) {
        String provider = ctx.pathParam("provider");
        String modelId = ctx.pathParam("model_id");
        if (!manager.models().delete(provider, modelId)) {
            throw new UnknownModelException("model " + modelId + " is not downloaded in provider " + provider);
        }
        HttpBodies.json(ctx, Map.of("message", "Deleted model " + modelId + " from provider " + provider,
                "model_id", modelId, "provider", provider, "status", "deleted"));
    }
}
