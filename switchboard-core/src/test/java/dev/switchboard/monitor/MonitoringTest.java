package dev.switchboard.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.manager.ProviderRegistry;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.Requirements;
import dev.switchboard.model.TaskType;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.routing.Explanation;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.MockOpenAiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor through a real manager, two mock upstreams and the default SQLite store: what an attempt records,
 * what the aggregates say, feedback, what survives a restart, and the closed loop into selection.
 */
class MonitoringTest {
    @TempDir
    Path home;

    static MockOpenAiServer a;
    static MockOpenAiServer b;
    ModelManager manager;

    @BeforeAll
    static void upstreams() {
        a = MockOpenAiServer.start(null, "alpha").replyWith(p -> "A: " + p);
        b = MockOpenAiServer.start(null, "beta").replyWith(p -> "B: " + p);
    }

    @AfterAll
    static void stopUpstreams() {
        a.close();
        b.close();
    }

    @BeforeEach
    void reset() {
        a.reset();
        b.reset();
    }

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.stop();
        }
    }

    /** alpha ranks just above beta on static scores; both narrative-capable, both priced. */
    ModelManager start(String extra) {
        String yaml = """
                model_management:
                  health_check_interval_seconds: 3600
                  fallback_config: {retry_delay_seconds: 0.001, max_retries: 0, allowed_fails: 1000}
                  selection_strategy: {max_acceptable_latency_ms: 400}
                  %s
                  providers:
                    custom_api:
                      custom_providers:
                        a: {base_url: "%s"}
                        b: {base_url: "%s"}
                  models:
                    alpha: {performance_score: 8, therapeutic_safety_score: 8, context_length: 8192, cost_per_token: 0.000001}
                    beta: {performance_score: 7.5, therapeutic_safety_score: 8, context_length: 8192, cost_per_token: 0.000001}
                """.formatted(extra, a.baseUrl(), b.baseUrl());
        var cfg = ConfigLoader.parse(yaml, "monitoring-test", Map.of()).config().modelManagement();
        manager = new ModelManager(cfg, ProviderRegistry.discover(), Map.of("SWITCHBOARD_HOME", home.toString()));
        manager.start();
        return manager;
    }

    static ChatRequest narrative(String prompt) {
        return ChatRequest.builder().prompt(prompt).taskType(TaskType.NARRATIVE_GENERATION).maxTokens(50).build();
    }

    static ChatRequest pinned(String model, String prompt) {
        return ChatRequest.builder().prompt(prompt).model(model).maxTokens(50).build();
    }

    List<String> ranking() {
        Explanation e = manager.chat().select(Requirements.forTask(TaskType.NARRATIVE_GENERATION));
        return e.candidates().stream().map(Explanation.Candidate::model).toList();
    }

    @Test
    void everyAttemptIsRecordedWithItsFiguresAndTheFallbackThatFollowed() {
        start("");
        a.enqueue(Fault.openAiError(503, "overloaded", "server_error", null, Map.of()));
        ChatResponse r = manager.chat().generate(narrative("first"), "req-fallback-1");
        assertThat(r.text()).isEqualTo("B: first");
        assertThat(r.id()).isEqualTo("req-fallback-1");
        manager.chat().generate(pinned("custom_api:a:alpha", "second"));

        Map<String, Object> alpha = manager.feedback().modelPerformance("alpha", 1);
        assertThat(alpha).containsEntry("total_requests", 2L).containsEntry("total_errors", 1L)
                .containsEntry("success_rate", 0.5).containsEntry("source", "sqlite");
        assertThat(((Number) alpha.get("total_tokens")).longValue()).isPositive();
        assertThat((Double) alpha.get("p99_response_time_ms")).isPositive();
        assertThat((Double) alpha.get("max_response_time_ms")).isGreaterThanOrEqualTo((Double) alpha.get("min_response_time_ms"));
        @SuppressWarnings("unchecked")
        Map<String, Object> outcomes = (Map<String, Object>) alpha.get("outcomes");
        assertThat(outcomes).containsEntry("unavailable", 1L).containsEntry("success", 1L);

        Map<String, Object> system = manager.feedback().systemPerformance(1);
        assertThat(system).containsEntry("total_requests", 3L).containsEntry("total_errors", 1L).containsEntry("total_models", 2L);
        assertThat(((Number) system.get("total_cost_usd")).doubleValue()).isPositive();

        // The beta attempt knows it was a fallback from alpha.
        List<MetricRecord> beta = new ArrayList<>();
        manager.feedback().monitor().flush(Duration.ofSeconds(5));
        scanSqlite(rec -> {
            if (rec.modelId().equals("beta")) {
                beta.add(rec);
            }
        });
        assertThat(beta).singleElement().satisfies(rec -> {
            assertThat(rec.fallbackFrom()).isEqualTo("alpha");
            assertThat(rec.fallbackFromProvider()).isEqualTo("custom_api:a");
            assertThat(rec.requestId()).isEqualTo("req-fallback-1");
            assertThat(rec.taskType()).isEqualTo("narrative_generation");
            assertThat(rec.tokensPerSecond()).isPositive();
            assertThat(rec.costUsd()).isPositive();
        });
    }

    private void scanSqlite(java.util.function.Consumer<MetricRecord> sink) {
        try (var db = dev.switchboard.monitor.sqlite.SqliteDatabase.open(home)) {
            new dev.switchboard.monitor.sqlite.SqliteMetricsStore(db).scan(null, java.time.Instant.EPOCH, sink);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void streamsRecordTheirTimeToFirstToken() {
        start("");
        a.enqueue(Fault.slowStream(Duration.ofMillis(20)));
        StringBuilder text = new StringBuilder();
        manager.chat().stream(pinned("custom_api:a:alpha", "tell me a story"), text::append);
        assertThat(text).isNotEmpty();
        Map<String, Object> alpha = manager.feedback().modelPerformance("custom_api:a:alpha", 1);
        assertThat(alpha).containsEntry("total_requests", 1L).containsEntry("provider", "custom_api:a");
        assertThat((Double) alpha.get("average_time_to_first_token_ms")).isPositive()
                .isLessThan((Double) alpha.get("average_response_time_ms"));
    }

    @Test
    void feedbackIsCreditedToTheDeploymentThatServedTheRequest() {
        start("");
        ChatResponse r = manager.chat().generate(pinned("custom_api:b:beta", "hello"));
        var result = manager.feedback().feedback("beta", r.id(), 9.0, 8.5);
        assertThat(result.matched()).isTrue();
        assertThat(result.provider()).isEqualTo("custom_api:b");
        manager.feedback().feedback("beta", "req-served-elsewhere", 7.0, null);

        Map<String, Object> beta = manager.feedback().modelPerformance("beta", 1);
        assertThat(beta).containsEntry("average_quality_score", 8.0).containsEntry("average_therapeutic_safety_score", 8.5)
                .containsEntry("feedback_count", 2L).containsEntry("total_requests", 1L);

        assertThatThrownBy(() -> manager.feedback().feedback("alpha", r.id(), 5.0, null))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("was served by custom_api:b:beta");
        assertThatThrownBy(() -> manager.feedback().feedback("beta", r.id(), 11.0, null)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("quality_score");
        assertThatThrownBy(() -> manager.feedback().feedback("beta", r.id(), null, Double.NaN)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> manager.feedback().feedback("beta", r.id(), null, null)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> manager.feedback().feedback("beta", " ", 5.0, null)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> manager.feedback().feedback("nope", r.id(), 5.0, null)).isInstanceOf(UnknownModelException.class);
        assertThat(manager.feedback().modelPerformance("beta", 1)).containsEntry("feedback_count", 2L);
    }

    @Test
    void metricsSpendFallbackStatisticsAndSettingsSurviveARestart() {
        start("");
        a.enqueue(Fault.openAiError(503, "overloaded", "server_error", null, Map.of()));
        manager.chat().generate(narrative("one"));
        manager.chat().generate(narrative("two"));
        Map<String, Object> before = manager.feedback().systemPerformance(1);
        double spentBefore = spentToday();
        Object failuresBefore = alphaFailures();
        assertThat(spentBefore).isPositive();
        manager.stop();

        start("");
        Map<String, Object> after = manager.feedback().systemPerformance(1);
        assertThat(after.get("total_requests")).isEqualTo(before.get("total_requests")).isEqualTo(3L);
        assertThat(after.get("total_errors")).isEqualTo(1L);
        assertThat(spentToday()).isEqualTo(spentBefore);
        assertThat(alphaFailures()).isEqualTo(failuresBefore).isEqualTo(1L);
        // And the history that feeds selection came back with it.
        @SuppressWarnings("unchecked")
        Map<String, Object> history = (Map<String, Object>) after.get("history");
        assertThat(history).containsKey("custom_api:a:alpha");
    }

    @SuppressWarnings("unchecked")
    private Object alphaFailures() {
        Map<String, Object> details = (Map<String, Object>) manager.diagnostics().fallbackStatistics().get("recent_failure_details");
        return ((Map<String, Object>) details.get("custom_api:a:alpha")).get("total_failures");
    }

    @SuppressWarnings("unchecked")
    private double spentToday() {
        return ((Number) ((Map<String, Object>) manager.diagnostics().spend().get("global")).get("spent_today_usd")).doubleValue();
    }

    @Test
    void aModelThatKeepsFailingDropsInRankWithoutAConfigChange() {
        start("");
        assertThat(ranking()).startsWith("custom_api:a:alpha", "custom_api:b:beta");
        for (int i = 0; i < 6; i++) {
            a.enqueue(Fault.openAiError(503, "overloaded", "server_error", null, Map.of()));
            assertThat(manager.chat().generate(narrative("try " + i)).text()).startsWith("B: ");
        }
        assertThat(ranking()).startsWith("custom_api:b:beta", "custom_api:a:alpha");
        Explanation.Candidate alpha = manager.chat().select(Requirements.forTask(TaskType.NARRATIVE_GENERATION)).candidates()
                .stream().filter(c -> c.model().equals("custom_api:a:alpha")).findFirst().orElseThrow();
        assertThat(alpha.breakdown().get("history")).isNegative();
    }

    @Test
    void aModelThatTurnsSlowDropsInRankWithoutAConfigChange() {
        start("");
        assertThat(ranking()).startsWith("custom_api:a:alpha", "custom_api:b:beta");
        for (int i = 0; i < 8; i++) {
            a.enqueue(Fault.delay(Duration.ofMillis(450)));
            manager.chat().generate(pinned("custom_api:a:alpha", "slow " + i));
            manager.chat().generate(pinned("custom_api:b:beta", "fast " + i));
        }
        assertThat(ranking()).startsWith("custom_api:b:beta", "custom_api:a:alpha");
        Map<String, Object> alpha = manager.feedback().modelPerformance("alpha", 1);
        assertThat((Double) alpha.get("average_response_time_ms")).isGreaterThanOrEqualTo(450);
    }

    @Test
    void latencyBasedRoutingFollowsTheObservedLatencyAndRemembersItAcrossARestart() {
        try (MockOpenAiServer east = MockOpenAiServer.start(null, "twin").replyWith(p -> "east: " + p);
             MockOpenAiServer west = MockOpenAiServer.start(null, "twin").replyWith(p -> "west: " + p)) {
            String yaml = """
                    model_management:
                      health_check_interval_seconds: 3600
                      fallback_config: {retry_delay_seconds: 0.001, max_retries: 0}
                      selection_strategy: {routing_strategy: latency_based}
                      providers:
                        custom_api:
                          custom_providers:
                            east: {base_url: "%s"}
                            west: {base_url: "%s"}
                    """.formatted(east.baseUrl(), west.baseUrl());
            var cfg = ConfigLoader.parse(yaml, "latency", Map.of()).config().modelManagement();
            manager = new ModelManager(cfg, ProviderRegistry.discover(), Map.of("SWITCHBOARD_HOME", home.toString()));
            manager.start();
            for (int i = 0; i < 3; i++) {
                east.enqueue(Fault.delay(Duration.ofMillis(300)));
                manager.chat().generate(pinned("custom_api:east:twin", "warm " + i));
                manager.chat().generate(pinned("custom_api:west:twin", "warm " + i));
            }
            for (int i = 0; i < 5; i++) {
                assertThat(manager.chat().generate(pinned("twin", "which " + i)).text()).startsWith("west: ");
            }
            manager.stop();

            // A new process: no call made yet, the history loaded from SQLite still says east is slow.
            manager = new ModelManager(cfg, ProviderRegistry.discover(), Map.of("SWITCHBOARD_HOME", home.toString()));
            manager.start();
            east.reset();
            assertThat(manager.chat().generate(pinned("twin", "after restart")).text()).startsWith("west: ");
            assertThat(east.chatRequests()).isEmpty();
        }
    }

    @Test
    void timeframesAreChecked() {
        start("");
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY, 1e9}) {
            assertThatThrownBy(() -> manager.feedback().systemPerformance(bad)).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("timeframe_hours");
        }
        assertThatThrownBy(() -> manager.feedback().modelPerformance("nope", 1)).isInstanceOf(UnknownModelException.class);
        assertThat(manager.feedback().modelPerformance("alpha", 0.5)).containsEntry("total_requests", 0L);
    }

    @Test
    void statusShowsWhereDataLivesAndEachStoresDeliveries() {
        start("");
        manager.chat().generate(narrative("x"));
        manager.feedback().monitor().flush(Duration.ofSeconds(5));
        Map<String, Object> monitoring = manager.diagnostics().status().monitoring();
        assertThat(monitoring).containsEntry("data_dir", home.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) monitoring.get("monitoring");
        assertThat(m).containsEntry("dropped_total", 0L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stores = (List<Map<String, Object>>) m.get("stores");
        assertThat(stores).singleElement().satisfies(s -> {
            assertThat(s).containsEntry("store", "sqlite").containsEntry("state", "up").containsEntry("delivered", 1L);
        });
    }

    @Test
    void withMonitoringDisabledPerformanceIsUnavailableButRequestsServe() {
        start("performance_monitoring_enabled: false");
        assertThat(manager.chat().generate(narrative("x")).text()).isEqualTo("A: x");
        assertThatThrownBy(() -> manager.feedback().systemPerformance(1))
                .isInstanceOf(PerformanceMonitor.MetricsUnavailableException.class);
    }
}
