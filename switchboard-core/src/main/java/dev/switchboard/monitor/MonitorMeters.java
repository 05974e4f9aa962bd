package dev.switchboard.monitor;

import dev.switchboard.model.DeploymentKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The monitor's Micrometer meters (Prometheus names in brackets): requests by model, provider and outcome
 * ({@code switchboard_requests_total}), latency and time-to-first-token histograms
 * ({@code switchboard_request_latency_seconds}, {@code switchboard_time_to_first_token_seconds}), tokens
 * ({@code switchboard_tokens_total}), cost ({@code switchboard_cost_usd_total}), feedback, cooldown state
 * ({@code switchboard_deployment_cooling}) and per-store buffer figures including drops
 * ({@code switchboard_metrics_dropped_total}). Meters are looked up once per deployment and outcome and cached:
 * registering them is slow, recording is not.
 */
final class MonitorMeters {
    private final MeterRegistry registry;
    private final Map<DeploymentKey, Deployment> deployments = new ConcurrentHashMap<>();
    private final MultiGauge cooling;
    private final MultiGauge cooldownSeconds;
    private final List<io.micrometer.core.instrument.Meter> bound = new java.util.concurrent.CopyOnWriteArrayList<>();

    MonitorMeters(MeterRegistry registry) {
        this.registry = registry;
        this.cooling = MultiGauge.builder("switchboard.deployment.cooling")
                .description("1 while a deployment is cooling down or its circuit breaker is open").register(registry);
        this.cooldownSeconds = MultiGauge.builder("switchboard.deployment.cooldown.remaining")
                .baseUnit("seconds").description("Seconds until a cooling deployment is tried again").register(registry);
    }

    private final class Deployment {
        final String model;
        final String provider;
        final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
        final Timer latency;
        final Timer ttft;
        final Counter promptTokens;
        final Counter completionTokens;
        final Counter cost;
        final Counter feedback;

        Deployment(String model, String provider) {
            this.model = model;
            this.provider = provider;
            Tags tags = Tags.of("model", model, "provider", provider);
            latency = Timer.builder("switchboard.request.latency").description("Time per attempt, success or failure")
                    .tags(tags).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofMinutes(5)).register(registry);
            ttft = Timer.builder("switchboard.time.to.first.token").description("Time to the first streamed token")
                    .tags(tags).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofMinutes(2)).register(registry);
            promptTokens = Counter.builder("switchboard.tokens").tags(tags).tag("type", "prompt").register(registry);
            completionTokens = Counter.builder("switchboard.tokens").tags(tags).tag("type", "completion").register(registry);
            cost = Counter.builder("switchboard.cost").baseUnit("usd").description("Spend as priced per attempt")
                    .tags(tags).register(registry);
            feedback = Counter.builder("switchboard.feedback").description("Feedback entries received")
                    .tags(tags).register(registry);
        }

        Counter outcome(String outcome) {
            return outcomes.computeIfAbsent(outcome, o -> Counter.builder("switchboard.requests")
                    .description("Attempts by outcome: success or the failure class")
                    .tags("model", model, "provider", provider, "outcome", o).register(registry));
        }
    }

    void record(MetricRecord r) {
        Deployment d = deployments.computeIfAbsent(r.deployment(), k -> new Deployment(r.modelId(), r.provider()));
        if (r.isFeedback()) {
            d.feedback.increment();
            return;
        }
        d.outcome(r.outcome()).increment();
        if (r.responseTimeMs() != null) {
            d.latency.record((long) (r.responseTimeMs() * 1_000_000), TimeUnit.NANOSECONDS);
        }
        if (r.timeToFirstTokenMs() != null) {
            d.ttft.record((long) (r.timeToFirstTokenMs() * 1_000_000), TimeUnit.NANOSECONDS);
        }
        if (r.promptTokens() != null) {
            d.promptTokens.increment(r.promptTokens());
        }
        if (r.completionTokens() != null) {
            d.completionTokens.increment(r.completionTokens());
        }
        if (r.costUsd() != null && r.costUsd() > 0) {
            d.cost.increment(r.costUsd());
        }
    }

    void bindWriter(StoreWriter w) {
        Tags tags = Tags.of("store", w.name());
        bound.add(FunctionCounter.builder("switchboard.metrics.dropped", w, StoreWriter::dropped)
                .description("Metric records dropped because the store's buffer was full").tags(tags).register(registry));
        bound.add(FunctionCounter.builder("switchboard.metrics.delivered", w, StoreWriter::delivered)
                .description("Metric records written to the store").tags(tags).register(registry));
        bound.add(Gauge.builder("switchboard.metrics.pending", w, StoreWriter::pending)
                .description("Metric records waiting for the store").tags(tags).register(registry));
        bound.add(Gauge.builder("switchboard.metrics.store.up", w, x -> x.up() ? 1 : 0)
                .description("1 when the store took the last write").tags(tags).register(registry));
    }

    /**
     * Removes the meters bound to this monitor's writers and the cooldown gauges: a manager started again binds
     * fresh ones (Micrometer would otherwise hand back the old meters, still reading the closed writers). The
     * request counters stay, so totals keep counting across a restart.
     */
    void close() {
        bound.forEach(registry::remove);
        bound.clear();
        cooling.register(List.of(), true);
        cooldownSeconds.register(List.of(), true);
    }

    /** Replaces the cooldown gauges with the deployments not plainly healthy now (read just before a scrape). */
    void deploymentStates(Map<String, Map<String, Object>> states, Instant now) {
        List<MultiGauge.Row<?>> flags = new ArrayList<>();
        List<MultiGauge.Row<?>> remaining = new ArrayList<>();
        states.forEach((key, st) -> {
            Tags tags = Tags.of("deployment", key, "state", String.valueOf(st.get("state")));
            flags.add(MultiGauge.Row.of(tags, 1));
            Object until = st.get("cooldown_until");
            if (until != null) {
                double secs = Math.max(0, Duration.between(now, Instant.parse(until.toString())).toMillis() / 1000.0);
                remaining.add(MultiGauge.Row.of(Tags.of("deployment", key), secs));
            }
        });
        cooling.register(flags, true);
        cooldownSeconds.register(remaining, true);
    }

    MeterRegistry registry() {
        return registry;
    }
}
