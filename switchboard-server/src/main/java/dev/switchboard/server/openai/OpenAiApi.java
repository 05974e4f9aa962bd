package dev.switchboard.server.openai;

import dev.switchboard.manager.ModelManager;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.Origin;
import dev.switchboard.server.http.AccessLog;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.BodyParser;
import dev.switchboard.server.http.ErrorWriter;
import dev.switchboard.server.http.HttpBodies;
import dev.switchboard.server.http.SseWriter;
import dev.switchboard.server.session.Callers;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The OpenAI-compatible API: {@code /v1/models}, {@code /v1/chat/completions} (JSON and SSE) and embeddings. */
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
        routes.get("/v1/models", ctx -> HttpBodies.json(ctx, new ChatWire.ModelList("list", entries(manager.models().availableModels(null, false)))));
        routes.get("/v1/models/<model>", this::model);
        routes.post("/v1/chat/completions", this::chat);
        new EmbeddingsApi(manager, maxBodyBytes).register(routes);
    }

    /**
     * Lists each model under its bare id when that id is unique across providers, else as {@code provider:model};
     * either way the id listed is one that {@code model} accepts.
     */
    static List<ChatWire.ModelEntry> entries(List<ModelInfo> models) {
        Map<String, Integer> counts = new HashMap<>();
        models.forEach(m -> counts.merge(m.modelId(), 1, Integer::sum));
        List<ChatWire.ModelEntry> out = new ArrayList<>(models.size());
        for (ModelInfo m : models) {
            String id = counts.get(m.modelId()) > 1 ? m.key() : m.modelId();
            out.add(entry(id, m));
        }
        return out;
    }

    private static ChatWire.ModelEntry entry(String id, ModelInfo m) {
        return new ChatWire.ModelEntry(id, "model", 0L, m.provider(), m.capabilities());
    }

    private void model(Context ctx) {
        String id = ctx.pathParam("model");
        HttpBodies.json(ctx, entry(id, manager.models().resolve(id)));
    }

    private void chat(Context ctx) {
        ChatWire.Request wire = BodyParser.parse(ctx, ChatWire.Request.class, maxBodyBytes);
        if (Boolean.TRUE.equals(wire.stream())) {
            ChatRequests.StreamOptions options = ChatRequests.streamOptions(wire.streamOptions());
            stream(ctx, ChatRequests.toCanonical(wire, ctx.header(TASK_HEADER)).withCaller(Callers.of(ctx)),
                    options.includeUsage());
            return;
        }
        if (wire.streamOptions() != null && !wire.streamOptions().isNull()) {
            throw new dev.switchboard.model.InvalidRequestException("stream_options", "is only allowed with stream: true");
        }
        ChatRequest request = ChatRequests.toCanonical(wire, ctx.header(TASK_HEADER)).withCaller(Callers.of(ctx));
        String id = completionId();
        ChatResponse r = manager.chat().generate(request.withStream(false), id);
        AccessLog.served(ctx, r.deployment());
        HttpBodies.json(ctx, ChatAnswers.completion(r, id, System.currentTimeMillis() / 1000, legacy(request)));
    }

    /** The non-streamed request path without HTTP: wire request in, wire completion out. */
    public ChatWire.Completion complete(ChatWire.Request wire, String taskHeader) {
        ChatRequest request = ChatRequests.toCanonical(wire, taskHeader);
        // The completion id is the request id the monitor records, so feedback can name it.
        String id = completionId();
        ChatResponse r = manager.chat().generate(request.withStream(false), id);
        return ChatAnswers.completion(r, id, System.currentTimeMillis() / 1000, legacy(request));
    }

    private void stream(Context ctx, ChatRequest request, boolean includeUsage) {
        String id = completionId();
        SseWriter sse = new SseWriter(ctx);
        ChatStream out = new ChatStream(sse, id, System.currentTimeMillis() / 1000, legacy(request));
        try {
            ChatResponse done = manager.chat().stream(request, id, out, m -> {
                AccessLog.served(ctx, m.deployment());
                out.servedBy(m);
            });
            out.finish(done, includeUsage);
        } catch (RuntimeException e) {
            if (!sse.started()) {
                throw e;
            }
            if (e instanceof java.io.UncheckedIOException) {
                return; // the client went away; nothing left to tell it
            }
            sse.event(null, dev.switchboard.json.Json.bytes(ErrorWriter.body(ctx.path(), ApiError.from(e))));
        }
    }

    private static boolean legacy(ChatRequest r) {
        return r.origin().spelled(Origin.Spelling.LEGACY_FUNCTIONS);
    }

    private static String completionId() {
        return "chatcmpl-" + dev.switchboard.routing.Router.newRequestId().substring("req-".length());
    }
}
