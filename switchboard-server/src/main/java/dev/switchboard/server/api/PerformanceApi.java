package dev.switchboard.server.api;

import dev.switchboard.manager.ModelManager;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.server.http.BodyParser;
import dev.switchboard.server.http.HttpBodies;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed's performance endpoints ({@code get_model_performance}, {@code get_system_performance}) and feedback:
 * quality and therapeutic-safety scores a caller sends for a response it got, by request id.
 */
public final class PerformanceApi {
    private static final String BASE = "/api/v1/models";
    /** The seed's defaults: {@code get_model_performance(model_id, timeframe_hours=24)}; the system view, the last hour. */
    static final double MODEL_DEFAULT_HOURS = 24;
    static final double SYSTEM_DEFAULT_HOURS = 1;

    private final ModelManager manager;
    private final long maxBodyBytes;

    public PerformanceApi(ModelManager manager, long maxBodyBytes) {
        this.manager = manager;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(RoutesConfig routes) {
        routes.get(BASE + "/performance", ctx -> HttpBodies.json(ctx, manager.feedback().systemPerformance(hours(ctx, SYSTEM_DEFAULT_HOURS))));
        routes.get(BASE + "/performance/<model_id>", ctx ->
                HttpBodies.json(ctx, manager.feedback().modelPerformance(ctx.pathParam("model_id"), hours(ctx, MODEL_DEFAULT_HOURS))));
        routes.post(BASE + "/feedback", this::feedback);
    }

    /**
     * {@code timeframe_hours}, {@code byDefault} when absent (the seed's system view has no parameter and always
     * looks at the last hour; Switchboard lets a caller widen it); anything but a positive number is a 400 naming the
     * parameter.
     */
    static double hours(Context ctx, double byDefault) {
        String raw = ctx.queryParam("timeframe_hours");
        if (raw == null || raw.isEmpty()) {
            return byDefault;
        }
        try {
            return Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("timeframe_hours", "'" + shorten(raw) + "' is not a number of hours");
        }
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    record FeedbackRequest(String modelId, String requestId, Double qualityScore, Double therapeuticSafetyScore) {}

    private void feedback(Context ctx) {
        FeedbackRequest body = BodyParser.parseClosed(ctx, FeedbackRequest.class, maxBodyBytes);
        dev.switchboard.manager.FeedbackService.FeedbackResult r = manager.feedback().feedback(body.modelId(), body.requestId(), body.qualityScore(),
                body.therapeuticSafetyScore());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "recorded");
        out.put("request_id", r.requestId());
        out.put("model_id", r.modelId());
        out.put("provider", r.provider());
        // False when another replica (or this one, over a day ago) served the request: credited to the model named.
        out.put("matched_request", r.matched());
        out.put("quality_score", r.qualityScore());
        out.put("therapeutic_safety_score", r.therapeuticSafetyScore());
        HttpBodies.json(ctx, out);
    }
}
