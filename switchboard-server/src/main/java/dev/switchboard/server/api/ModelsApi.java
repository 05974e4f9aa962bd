package dev.switchboard.server.api;

import dev.switchboard.json.Json;
import dev.switchboard.manager.ConnectivityResult;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.Requirements;
import dev.switchboard.model.TaskType;
import dev.switchboard.routing.Explanation;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.server.http.AccessLog;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.BodyParser;
import dev.switchboard.server.http.HttpBodies;
import dev.switchboard.server.http.SseWriter;
import dev.switchboard.server.session.Callers;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The seed's REST API under {@code /api/v1/models}, with its paths and JSON shapes. */
public final class ModelsApi {
    private static final String BASE = "/api/v1/models";
    private final ModelManager manager;
    private final long maxBodyBytes;

    public ModelsApi(ModelManager manager) {
        this(manager, dev.switchboard.config.ServerConfig.DEFAULT_MAX_BODY_BYTES);
    }

    public ModelsApi(ModelManager manager, long maxBodyBytes) {
        this.manager = manager;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(RoutesConfig routes) {
        routes.get(BASE, this::list);
        routes.get(BASE + "/available", ctx -> HttpBodies.json(ctx, manager.models().availableModels(ctx.queryParam("provider"), flag(ctx, "free_only"))));
        routes.get(BASE + "/free", ctx -> HttpBodies.json(ctx, manager.models().freeModels(ctx.queryParam("provider"))));
        routes.get(BASE + "/affordable", this::affordable);
        routes.post(BASE + "/generate", this::generate);
        routes.post(BASE + "/test", this::test);
        routes.get(BASE + "/status", ctx -> HttpBodies.json(ctx, manager.diagnostics().status()));
        routes.post(BASE + "/load/{provider}/<model_id>", this::load);
        routes.delete(BASE + "/unload/<model_id>", this::unload);
        routes.get(BASE + "/health", ctx -> HttpBodies.json(ctx, Map.of("status", "healthy", "service", "model_management")));
        routes.post(BASE + "/select", this::select);
        routes.get(BASE + "/fallback/statistics", ctx -> HttpBodies.json(ctx, manager.diagnostics().fallbackStatistics()));
        routes.post(BASE + "/fallback/reset/<model_id>", this::resetFailures);
        routes.get(BASE + "/spend", ctx -> HttpBodies.json(ctx, manager.diagnostics().spend()));
        routes.get(BASE + "/system", ctx -> HttpBodies.json(ctx, manager.diagnostics().systemReport()));
        routes.get(BASE + "/recommendations", this::recommendations);
        routes.get(BASE + "/recommendations/details", this::recommendationDetails);
        new OpenRouterApi(manager, maxBodyBytes).register(routes);
        new ModelStoreApi(manager).register(routes);
    }

    private void list(Context ctx) {
        List<ModelInfo> models = manager.models().availableModels(ctx.queryParam("provider"), flag(ctx, "free_only"));
        HttpBodies.json(ctx, Map.of("models", models));
    }

    private void affordable(Context ctx) {
        String raw = ctx.queryParam("max_cost_per_token");
        double max = 0.001;
        if (raw != null) {
            try {
                max = Double.parseDouble(raw);
            } catch (NumberFormatException e) {
                throw new InvalidRequestException("max_cost_per_token", "'" + raw + "' is not a number");
            }
            if (!(max >= 0) || Double.isInfinite(max)) {
                throw new InvalidRequestException("max_cost_per_token", "must be a finite number of 0 or more, got " + raw);
            }
        }
        HttpBodies.json(ctx, manager.models().affordableModels(max, ctx.queryParam("provider")));
    }

    private void generate(Context ctx) {
        ChatRequest request = BodyParser.parse(ctx, GenerateRequest.class, maxBodyBytes).toChatRequest()
                .withCaller(Callers.of(ctx));
        if (!request.stream()) {
            ChatResponse answer = manager.chat().generate(request);
            AccessLog.served(ctx, answer.deployment());
            HttpBodies.json(ctx, GenerateResponse.of(answer));
            return;
        }
        SseWriter sse = new SseWriter(ctx);
        try {
            ChatResponse done = manager.chat().stream(request, text -> sse.event("token", Json.bytes(Map.of("text", text))));
            AccessLog.served(ctx, done.deployment());
            sse.event("done", Json.bytes(GenerateResponse.of(done)));
        } catch (RuntimeException e) {
            if (!sse.started()) {
                throw e;
            }
            ApiError error = ApiError.from(e);
            sse.event("error", Json.bytes(Map.of("detail", error.message(), "status", error.status())));
        }
    }

    private void test(Context ctx) {
        TestRequest body = BodyParser.parse(ctx, TestRequest.class, maxBodyBytes);
        if (body.modelId() == null || body.modelId().isBlank()) {
            throw new InvalidRequestException("model_id", "is required");
        }
        ConnectivityResult result = manager.diagnostics().testConnectivity(body.modelId(), body.providerName());
        HttpBodies.json(ctx, result);
    }

    private void load(Context ctx) {
        String provider = ctx.pathParam("provider");
        String modelId = ctx.pathParam("model_id");
        ModelInstance instance = manager.models().load(provider, modelId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", "Loaded model " + instance.modelId() + " from provider " + instance.provider());
        out.put("model_id", instance.modelId());
        out.put("provider", instance.provider());
        out.put("status", "loaded");
        HttpBodies.json(ctx, out);
    }

    private void unload(Context ctx) {
        String modelId = ctx.pathParam("model_id");
        if (!manager.models().unload(modelId, ctx.queryParam("provider_name"))) {
            throw new dev.switchboard.model.UnknownModelException("Model " + modelId + " not found or not loaded");
        }
        HttpBodies.json(ctx, Map.of("message", "Successfully unloaded model " + modelId, "model_id", modelId, "status", "unloaded"));
    }

    record TestRequest(String modelId, String providerName) {}

    /** The seed's ModelRequirements as a request body. */
    record SelectRequest(String taskType, Integer maxLatencyMs, Double minQualityScore, Double maxCostPerToken,
                         List<String> requiredCapabilities, Integer contextLengthNeeded, Boolean therapeuticSafetyRequired) {
        Requirements toRequirements() {
            return new Requirements(taskType == null ? TaskType.GENERAL_CHAT : TaskType.fromWire(taskType), maxLatencyMs,
                    minQualityScore, maxCostPerToken, requiredCapabilities, contextLengthNeeded, therapeuticSafetyRequired);
        }
    }

    /** The chosen model's fields with the explanation beside them; 503 with the explanation when nothing fits. */
    private void select(Context ctx) {
        Explanation e = manager.chat().select(BodyParser.parse(ctx, SelectRequest.class, maxBodyBytes).toRequirements());
        if (e.chosen() == null) {
            ctx.status(503);
            HttpBodies.json(ctx, Map.of("detail", "No suitable model available: no model meets the requirements", "routing", e));
            return;
        }
        Map<String, Object> out = Json.mapper().convertValue(manager.models().resolve(e.chosen()), LinkedHashMap.class);
        out.put("routing", e);
        HttpBodies.json(ctx, out);
    }

    /**
     * The seed's answer ({@code response_model=list[str]}): the model ids its {@code recommend_models} rule gives for
     * {@code task_type} on this machine, in its order. {@code task_type} defaults to general_chat (the seed requires
     * it); a bad one is a 400.
     */
    private void recommendations(Context ctx) {
        HttpBodies.json(ctx, manager.diagnostics().seedRecommendations(task(ctx)));
    }

    /**
     * Switchboard's fuller answer: installed models that fit first, then the seed's list, each with its provider,
     * whether it fits and why; the machine's tiers; and the ids in that order as {@code recommendations}.
     */
    private void recommendationDetails(Context ctx) {
        HttpBodies.json(ctx, manager.diagnostics().recommendations(task(ctx)));
    }

    private static TaskType task(Context ctx) {
        String task = ctx.queryParam("task_type");
        return task == null ? TaskType.GENERAL_CHAT : TaskType.fromWire(task);
    }

    private void resetFailures(Context ctx) {
        String modelId = ctx.pathParam("model_id");
        if (!manager.diagnostics().resetFailures(modelId)) {
            throw new dev.switchboard.model.UnknownModelException("Model " + modelId + " not found in failure records");
        }
        HttpBodies.json(ctx, Map.of("message", "Reset failure count for model " + modelId, "model_id", modelId, "status", "reset"));
    }

    static boolean flag(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return false;
        }
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new InvalidRequestException(name, "'" + v + "' is not a boolean, expected true or false");
        };
    }

}
