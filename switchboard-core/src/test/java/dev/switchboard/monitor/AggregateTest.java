package dev.switchboard.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.MonitoringConfig;
import dev.switchboard.config.SelectionStrategyConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's performance figures and names ({@code performance_monitor.py}: {@code _calculate_aggregated_stats},
 * {@code get_model_performance}, {@code get_system_performance}) from known records, on a fixed clock and the
 * in-memory store.
 */
class AggregateTest {
    static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    PerformanceMonitor monitor;

    @AfterEach
    void close() {
        if (monitor != null) {
            monitor.close();
        }
    }

    static MetricRecord attempt(String model, Instant at, String outcome, double ms) {
        return new MetricRecord(MetricRecord.ATTEMPT, at, "req-" + at.toEpochMilli() + model, model, "p", "openai",
                "general_chat", outcome, ms, null, null, 10, 5, 15, 0.0, null, null, false, null, null, null);
    }

    static MetricRecord feedback(String model, Instant at, Double quality, Double safety) {
        return MetricRecord.feedback(at, "req-" + at.toEpochMilli(), model, "p", "openai", "general_chat", quality, safety);
    }

    static Instant ago(int minutes) {
        return NOW.minus(Duration.ofMinutes(minutes));
    }

    PerformanceMonitor monitor(MetricRecord... records) {
        MonitoringConfig cfg = new MonitoringConfig(List.of(), null, 30, 1000, null, 1000, null, 60, 50);
        monitor = new PerformanceMonitor(cfg, SelectionStrategyConfig.defaults(), List.of(new MemoryMetricsStore(1000)),
                new SimpleMeterRegistry(), Clock.fixed(NOW, ZoneOffset.UTC));
        monitor.start();
        for (MetricRecord r : records) {
            monitor.record(r);
        }
        assertThat(monitor.flush(Duration.ofSeconds(10))).isTrue();
        return monitor;
    }

    @Test
    void qualityAndSafetyHaveTheirAverageMinimumAndMaximum() {
        Aggregate a = new Aggregate();
        a.add(attempt("m", ago(30), "success", 100));
        a.add(feedback("m", ago(20), 6.0, 9.0));
        a.add(feedback("m", ago(10), 8.5, null));
        a.add(feedback("m", ago(5), 7.0, 7.0));

        Map<String, Object> m = a.toMap();
        assertThat(m).containsEntry("metrics_count", 4L).containsEntry("total_requests", 1L)
                .containsEntry("period_start", ago(30).toString()).containsEntry("period_end", ago(5).toString())
                .containsEntry("average_quality_score", 7.167).containsEntry("min_quality_score", 6.0)
                .containsEntry("max_quality_score", 8.5).containsEntry("average_safety_score", 8.0)
                .containsEntry("min_safety_score", 7.0).containsEntry("max_safety_score", 9.0)
                .containsEntry("average_therapeutic_safety_score", 8.0);
    }

    @Test
    void withoutScoresTheScoreFiguresAreNullAndAnEmptyAggregateHasNoPeriod() {
        Aggregate a = new Aggregate();
        a.add(attempt("m", ago(3), "timeout", 5000));
        assertThat(a.toMap()).containsEntry("metrics_count", 1L).containsEntry("min_quality_score", null)
                .containsEntry("max_safety_score", null).containsEntry("average_safety_score", null);

        Map<String, Object> empty = new Aggregate().toMap();
        assertThat(empty).containsEntry("metrics_count", 0L).containsEntry("period_start", null)
                .containsEntry("period_end", null);
    }

    @Test
    void mergingKeepsTheExtremesAndTheWholePeriod() {
        Aggregate x = new Aggregate();
        x.add(feedback("m", ago(40), 3.0, 4.0));
        Aggregate y = new Aggregate();
        y.add(feedback("m", ago(2), 9.0, 10.0));
        y.add(attempt("m", ago(1), "success", 50));
        Aggregate all = new Aggregate();
        all.merge(x);
        all.merge(y);

        assertThat(all.toMap()).containsEntry("metrics_count", 3L).containsEntry("min_quality_score", 3.0)
                .containsEntry("max_quality_score", 9.0).containsEntry("min_safety_score", 4.0)
                .containsEntry("max_safety_score", 10.0).containsEntry("period_start", ago(40).toString())
                .containsEntry("period_end", ago(1).toString());
    }

    @Test
    void anEmptyWindowCarriesTheSeedsMessage() {
        monitor(attempt("busy", ago(90), "success", 10));

        Map<String, Object> m = monitor.modelPerformance("busy", null, 1);
        assertThat(m).containsEntry("model_id", "busy").containsEntry("timeframe_hours", 1L)
                .containsEntry("metrics_count", 0L)
                .containsEntry("message", "No metrics available for the specified timeframe")
                .containsEntry("total_requests", 0L);
        Map<String, Object> wider = monitor.modelPerformance("busy", null, 2);
        assertThat(wider).containsEntry("metrics_count", 1L).doesNotContainKey("message");
        assertThat(monitor.modelPerformance("busy", null, 1.5)).containsEntry("timeframe_hours", 1.5);
    }

    /**
     * The seed weighs each model's average quality by its requests; a model with feedback but no request in the
     * window counts towards {@code total_models}, not {@code active_models}, and adds nothing to the average.
     */
    @Test
    void theSystemViewHasTheSeedsTotalsAndPerModelNames() {
        monitor(attempt("a", ago(50), "success", 100), attempt("a", ago(40), "success", 300),
                attempt("a", ago(30), "unavailable", 2), feedback("a", ago(29), 9.0, null),
                attempt("b", ago(20), "success", 200), feedback("b", ago(19), 6.0, 8.0),
                feedback("c", ago(10), 1.0, 1.0));

        Map<String, Object> s = monitor.systemPerformance(1);
        assertThat(s).containsEntry("timeframe_hours", 1L).containsEntry("total_models", 3L)
                .containsEntry("active_models", 2L).containsEntry("total_requests", 4L)
                // (9 × 3 + 6 × 1) / 4
                .containsEntry("average_quality_score", 8.25).containsEntry("overall_success_rate", 0.75)
                .containsEntry("average_response_time_ms", 200.0).containsEntry("timestamp", NOW.toString());
        assertThat(List.copyOf(s.keySet()).subList(0, 7)).containsExactly("timeframe_hours", "total_models",
                "active_models", "total_requests", "average_response_time_ms", "average_quality_score",
                "overall_success_rate");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> models = (Map<String, Map<String, Object>>) s.get("models");
        assertThat(List.copyOf(models.get("a").keySet()).subList(0, 3))
                .containsExactly("requests", "avg_response_time_ms", "success_rate");
        assertThat(models.get("a")).containsEntry("requests", 3L).containsEntry("avg_response_time_ms", 200.0)
                .containsEntry("success_rate", 0.6667).containsEntry("total_requests", 3L);
        assertThat(models.get("c")).containsEntry("requests", 0L).containsEntry("metrics_count", 1L);

        Map<String, Object> none = monitor.systemPerformance(0.1);
        assertThat(none).containsEntry("total_models", 0L).containsEntry("active_models", 0L)
                .containsEntry("average_quality_score", null).containsEntry("timeframe_hours", 0.1);
    }
}
