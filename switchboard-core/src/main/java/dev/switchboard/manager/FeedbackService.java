package dev.switchboard.manager;

import dev.switchboard.model.DeploymentKey;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.monitor.Monitoring;
import dev.switchboard.monitor.PerformanceMonitor;
import dev.switchboard.routing.Catalog;
import java.util.Map;
import java.util.function.Supplier;

/** What callers say about answers (quality and safety scores) and what the monitor makes of every call. */
public final class FeedbackService {
    private final Supplier<Catalog> catalog;
    private final Supplier<Monitoring> monitoring;

    FeedbackService(Supplier<Catalog> catalog, Supplier<Monitoring> monitoring) {
        this.catalog = catalog;
        this.monitoring = monitoring;
    }

    /** What {@link #feedback} recorded: the deployment credited, and whether this process served that request. */
    public record FeedbackResult(String requestId, String modelId, String provider, boolean matched,
                                 Double qualityScore, Double therapeuticSafetyScore) {}

    /**
     * Records a caller's quality and therapeutic-safety scores (0 to 10, at least one) for a request it got back.
     * {@code modelRef} is the model that answered ({@code provider:model} or a bare id). When this process served
     * {@code requestId} the scores go to the deployment that did, and naming another model is a 400; a request
     * served by another replica, or over a day ago, is credited to the model named.
     */
    public FeedbackResult feedback(String modelRef, String requestId, Double quality, Double safety) {
        Catalog c = catalog.get();
        if (requestId == null || requestId.isBlank()) {
            throw new InvalidRequestException("request_id", "is required: the id of the response being scored");
        }
        if (requestId.length() > 200) {
            throw new InvalidRequestException("request_id", "is longer than 200 characters");
        }
        if (quality == null && safety == null) {
            throw new InvalidRequestException(null, "give quality_score, therapeutic_safety_score or both");
        }
        checkScore("quality_score", quality);
        checkScore("therapeutic_safety_score", safety);
        if (modelRef == null || modelRef.isBlank()) {
            throw new InvalidRequestException("model_id", "is required");
        }
        ModelInfo model = c.resolve(modelRef);
        PerformanceMonitor monitor = monitor();
        PerformanceMonitor.Served served = monitor.served(requestId);
        String task = null;
        if (served != null) {
            boolean pinned = c.namesProvider(modelRef);
            boolean same = served.modelId().equals(model.modelId()) && (!pinned || served.provider().equals(model.provider()));
            if (!same) {
                throw new InvalidRequestException("model_id", "request " + requestId + " was served by "
                        + new DeploymentKey(served.provider(), served.modelId()) + ", not " + modelRef);
            }
            model = c.all().stream()
                    .filter(m -> m.provider().equals(served.provider()) && m.modelId().equals(served.modelId()))
                    .findFirst().orElse(model);
            task = served.taskType();
        }
        monitor.feedback(requestId, model, task, quality, safety);
        return new FeedbackResult(requestId, model.modelId(), model.provider(), served != null, quality, safety);
    }

    private static void checkScore(String field, Double v) {
        if (v != null && (!Double.isFinite(v) || v < 0 || v > 10)) {
            throw new InvalidRequestException(field, "must be a number from 0 to 10, got " + v);
        }
    }

    /** The seed's {@code get_model_performance} over the last {@code hours}; 404 for a model no provider lists. */
    public Map<String, Object> modelPerformance(String modelRef, double hours) {
        Catalog c = catalog.get();
        checkHours(hours);
        ModelInfo model = c.resolve(modelRef);
        // "provider:model" narrows to one provider; a bare id (which may hold a colon itself: llama3:8b) covers all.
        return monitor().modelPerformance(model.modelId(), c.namesProvider(modelRef) ? model.provider() : null, hours);
    }

    /** The seed's {@code get_system_performance} over the last {@code hours}. */
    public Map<String, Object> systemPerformance(double hours) {
        checkHours(hours);
        return monitor().systemPerformance(hours);
    }

    private static void checkHours(double hours) {
        if (!Double.isFinite(hours) || hours <= 0 || hours > 24 * 366) {
            throw new InvalidRequestException("timeframe_hours", "must be a number of hours above 0 and at most 8784, got " + hours);
        }
    }

    /** The performance monitor; a 503 when {@code performance_monitoring_enabled} is false. */
    public PerformanceMonitor monitor() {
        PerformanceMonitor m = monitoring.get().monitor();
        if (m == null) {
            throw new PerformanceMonitor.MetricsUnavailableException("performance monitoring is disabled in configuration");
        }
        return m;
    }
}
