package dev.switchboard.server.openai;

import dev.switchboard.json.Json;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.provider.openai.OpenAiWire;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.BodyParser;
import dev.switchboard.server.http.HttpBodies;
import dev.switchboard.server.http.ErrorWriter;
import dev.switchboard.server.http.SseWriter;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The OpenAI-compatible API: {@code /v1/models} and {@code /v1/chat/completions}, JSON and SSE. */
public final class OpenAiApi {
    public static final String TASK_HEADER = "X-Switchboard-Task";
    private final ModelManager manager;
    private final long maxBodyBytes;

    public OpenAiApi(ModelManager manager) {
        this(manager, dev.switchboard.config.ServerConfig.DEFAULT_MAX_BODY_BYTES);
    }

    public OpenAiApi(ModelManager manager, long maxBodyBytes) {
        this.manager = manager;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(RoutesConfig routes) {
        routes.get("/v1/models", ctx -> HttpBodies.json(ctx, new OpenAiWire.ModelList("list", entries(manager.availableModels(null, false)))));
        routes.get("/v1/models/<model>", this::model);
        routes.post("/v1/chat/completions", this::chat);
        new EmbeddingsApi(manager, maxBodyBytes).register(routes);
    }

    /**
     * Lists each model under its bare id when that id is unique across providers, else as {@code provider:model};
     * either way the id listed is one that {@code model} accepts.
     */
    static List<OpenAiWire.ModelEntry> entries(List<ModelInfo> models) {
        Map<String, Integer> counts = new HashMap<>();
        models.forEach(m -> counts.merge(m.modelId(), 1, Integer::sum));
        List<OpenAiWire.ModelEntry> out = new ArrayList<>(models.size());
        for (ModelInfo m : models) {
            String id = counts.get(m.modelId()) > 1 ? m.key() : m.modelId();
            out.add(new OpenAiWire.ModelEntry(id, "model", 0L, m.provider()));
        }
        return out;
    }

    private void model(Context ctx) {
        String id = ctx.pathParam("model");
        ModelInfo m = manager.resolve(id);
        HttpBodies.json(ctx, new OpenAiWire.ModelEntry(id, "model", 0L, m.provider()));
    }

    private void chat(Context ctx) {
        OpenAiWire.ChatCompletionRequest wire = BodyParser.parse(ctx, OpenAiWire.ChatCompletionRequest.class, maxBodyBytes);
        if (Boolean.TRUE.equals(wire.stream())) {
            ChatRequest request = OpenAiApiMapper.toDomain(wire, ctx.header(TASK_HEADER));
            boolean includeUsage = wire.streamOptions() != null && Boolean.TRUE.equals(wire.streamOptions().includeUsage());
            stream(ctx, request, System.currentTimeMillis() / 1000, includeUsage);
            return;
        }
        HttpBodies.json(ctx, complete(wire, ctx.header(TASK_HEADER)));
    }

    /** The non-streamed request path without HTTP: wire request in, wire completion out. */
    public OpenAiWire.ChatCompletion complete(OpenAiWire.ChatCompletionRequest wire, String taskHeader) {
        ChatRequest request = OpenAiApiMapper.toDomain(wire, taskHeader);
        // The completion id is the request id the monitor records, so feedback can name it.
        String id = completionId();
        ChatResponse r = manager.generate(request.withStream(false), id);
        return OpenAiApiMapper.completion(r, id, System.currentTimeMillis() / 1000);
    }

    private void stream(Context ctx, ChatRequest request, long created, boolean includeUsage) {
        String id = completionId();
        SseWriter sse = new SseWriter(ctx);
        // The serving model is known only at its first token: a failure before it falls back unseen.
        String[] model = {null};
        try {
            ChatResponse done = manager.stream(request, id, text -> sse.event(null,
                    Json.bytes(OpenAiApiMapper.chunk(id, created, model[0], new OpenAiWire.Delta(null, text, null), null))),
                    served -> {
                        model[0] = served.modelId();
                        sse.event(null, Json.bytes(OpenAiApiMapper.chunk(id, created, model[0],
                                new OpenAiWire.Delta("assistant", "", null), null)));
                    });
            if (model[0] == null) {
                model[0] = done.modelId();
                sse.event(null, Json.bytes(OpenAiApiMapper.chunk(id, created, model[0], new OpenAiWire.Delta("assistant", "", null), null)));
            }
            sse.event(null, Json.bytes(OpenAiApiMapper.finishChunk(id, created, model[0], done)));
            if (includeUsage) {
                sse.event(null, Json.bytes(OpenAiApiMapper.usageChunk(id, created, model[0], done.usage())));
            }
            sse.done();
        } catch (RuntimeException e) {
            if (!sse.started()) {
                throw e;
            }
            if (e instanceof java.io.UncheckedIOException) {
                return; // the client went away; nothing left to tell it
            }
            sse.event(null, Json.bytes(ErrorWriter.body(ctx.path(), ApiError.from(e))));
        }
    }

    private static String completionId() {
        return "chatcmpl-" + dev.switchboard.routing.Router.newRequestId().substring("req-".length());
    }

}
