package dev.switchboard.monitor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.model.DeploymentKey;
import java.time.Instant;

/**
 * One entry of the performance record, as JSON in snake_case under the seed's PerformanceMetrics names where it
 * had them (each store adds what the seed's own layout there needs, see the Redis and Neo4j stores). {@code kind} is {@code attempt} (one call to one deployment, with
 * its outcome) or {@code feedback} (a caller's quality and safety scores for a request it got back).
 *
 * <p>{@code outcome} is {@code success} or the failure class ({@code rate_limited}, {@code unavailable},
 * {@code timeout}, {@code bad_request}, {@code auth_failed}, {@code context_too_long}, {@code content_refused}).
 * {@code fallback_from} and {@code fallback_from_provider} name the model and provider tried just before this one
 * in the same request, when this attempt is a fallback. {@code user} is the id of the user whose own key paid for the
 * call (a connected OpenRouter key); absent when the operator's keys served it. {@code success_rate} and {@code error_count} are the seed's per-entry fields, derived from the
 * outcome.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MetricRecord(
        String kind,
        Instant timestamp,
        String requestId,
        String modelId,
        String provider,
        String providerType,
        String taskType,
        String outcome,
        Double responseTimeMs,
        Double timeToFirstTokenMs,
        Double tokensPerSecond,
        Integer promptTokens,
        Integer completionTokens,
        Integer totalTokens,
        Double costUsd,
        Double qualityScore,
        Double therapeuticSafetyScore,
        Boolean stream,
        String fallbackFrom,
        String fallbackFromProvider,
        String error,
        String user) {

    /** A record that no particular user paid for (the operator's keys served it). */
    public MetricRecord(String kind, Instant timestamp, String requestId, String modelId, String provider,
                        String providerType, String taskType, String outcome, Double responseTimeMs,
                        Double timeToFirstTokenMs, Double tokensPerSecond, Integer promptTokens,
                        Integer completionTokens, Integer totalTokens, Double costUsd, Double qualityScore,
                        Double therapeuticSafetyScore, Boolean stream, String fallbackFrom,
                        String fallbackFromProvider, String error) {
        this(kind, timestamp, requestId, modelId, provider, providerType, taskType, outcome, responseTimeMs,
                timeToFirstTokenMs, tokensPerSecond, promptTokens, completionTokens, totalTokens, costUsd, qualityScore,
                therapeuticSafetyScore, stream, fallbackFrom, fallbackFromProvider, error, null);
    }

    public static final String ATTEMPT = "attempt";
    public static final String FEEDBACK = "feedback";
    public static final String SUCCESS = "success";

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isAttempt() {
        return ATTEMPT.equals(kind);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isFeedback() {
        return FEEDBACK.equals(kind);
    }

    public boolean succeeded() {
        return SUCCESS.equals(outcome);
    }

    /** The deployment that served (or failed) the attempt. */
    public DeploymentKey deployment() {
        return new DeploymentKey(provider, modelId);
    }

    @JsonProperty("success_rate")
    public Double successRate() {
        return isAttempt() ? (succeeded() ? 1.0 : 0.0) : null;
    }

    @JsonProperty("error_count")
    public Integer errorCount() {
        return isAttempt() ? (succeeded() ? 0 : 1) : null;
    }

    /** A caller's scores for a request, attributed to the deployment that answered it. */
    public static MetricRecord feedback(Instant at, String requestId, String modelId, String provider,
                                        String providerType, String taskType, Double quality, Double safety) {
        return new MetricRecord(FEEDBACK, at, requestId, modelId, provider, providerType, taskType, null, null, null,
                null, null, null, null, null, quality, safety, null, null, null, null);
    }

    /** The provider of an entry the seed wrote: its layouts do not say which one served the model. */
    public static final String UNKNOWN_PROVIDER = "unknown";
    /** The outcome of a seed entry that records an error: the seed does not say which kind. */
    public static final String SEED_FAILURE = "error";

    /**
     * An entry the seed's PerformanceMonitor wrote (its eight fields, no {@code kind}), in either store: an attempt
     * by an unknown provider, {@code success} when its {@code success_rate} is 1 (or absent) and its
     * {@code error_count} 0 (or absent), {@code error} otherwise. A response time or token rate of 0 or less (the
     * seed's default) means "not measured", as the seed's own aggregation treats it.
     */
    public static MetricRecord seedEntry(String modelId, Instant at, Double successRate, Double errorCount,
                                         Double responseTimeMs, Double tokensPerSecond, Double totalTokens,
                                         Double quality, Double safety) {
        boolean ok = (successRate == null || successRate >= 1.0) && (errorCount == null || errorCount <= 0);
        Integer tokens = totalTokens == null || totalTokens < 0
                ? null : (int) Math.round(Math.min(totalTokens, Integer.MAX_VALUE));
        return new MetricRecord(ATTEMPT, at, null, modelId, UNKNOWN_PROVIDER, null, null, ok ? SUCCESS : SEED_FAILURE,
                measured(responseTimeMs), null, measured(tokensPerSecond), null, null, tokens, null, quality, safety,
                null, null, null, null);
    }

    private static Double measured(Double d) {
        return d == null || d <= 0 ? null : d;
    }
}
