package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.ModelManagementConfig;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.manager.ProviderRegistry;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.Requirements;
import dev.switchboard.model.TaskType;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.MockOpenAiServer;
import dev.switchboard.testkit.MockOpenRouterServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's configuration keys that it declared but never applied, and that Switchboard gives their plain meaning:
 * {@code preferred_models}, {@code cost_limit_per_request}, {@code rate_limit_buffer}, {@code fallback_config.enabled},
 * {@code max_error_rate} and {@code max_response_time_ms}.
 */
class SeedKnobsTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path home;

    MockOpenAiServer a;
    MockOpenAiServer b;
    MockOpenRouterServer router;
    ModelManager manager;

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.stop();
        }
        for (AutoCloseable c : new AutoCloseable[] {a, b, router}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing a mock cannot fail in a way that matters here
            }
        }
    }

    ModelManager start(String yaml) {
        ModelManagementConfig cfg = ConfigLoader.parse(yaml, "seed-knobs", Map.of()).config().modelManagement();
        manager = new ModelManager(cfg, ProviderRegistry.discover(), Map.of("SWITCHBOARD_HOME", home.toString()));
        manager.start();
        return manager;
    }

    String twoEndpoints(String fallback, String models) {
        a = MockOpenAiServer.start(null, "first").replyWith(p -> "A");
        b = MockOpenAiServer.start(null, "second").replyWith(p -> "B");
        return """
                model_management:
                  health_check_interval_seconds: 3600
                  fallback_config: {retry_delay_seconds: 0.001, max_retries: 0, %s}
                  providers:
                    custom_api:
                      custom_providers:
                        a: {base_url: "%s"}
                        b: {base_url: "%s"}
                  models:
                    first: {performance_score: 9, therapeutic_safety_score: 9%s}
                    second: {performance_score: 5, therapeutic_safety_score: 9}
                """.formatted(fallback, a.baseUrl(), b.baseUrl(), models);
    }

    @Test
    void withFallbackDisabledAFailedModelIsTheAnswer() {
        start(twoEndpoints("enabled: false", ""));
        a.enqueue(Fault.openAiError(503, "down", "server_error", null, Map.of()));

        RoutingFailure f = catchThrowableOfType(RoutingFailure.class,
                () -> manager.chat().generate(ChatRequest.builder().prompt("x").build()));

        assertThat(f.attempts()).extracting(Explanation.Attempt::model).containsExactly("custom_api:a:first");
        assertThat(b.chatRequests()).isEmpty();
        assertThat(manager.chat().generate(ChatRequest.builder().prompt("x").build()).text()).isEqualTo("A");
    }

    @Test
    void maxErrorRateIsTheFailureRateThatOpensTheBreaker() {
        start(twoEndpoints("max_error_rate: 0.2", ""));
        for (int i = 0; i < 8; i++) {
            manager.chat().generate(ChatRequest.builder().prompt("ok").model("first").build());
        }
        a.enqueue(Fault.openAiError(503, "down", "server_error", null, Map.of()));
        a.enqueue(Fault.openAiError(503, "down", "server_error", null, Map.of()));
        for (int i = 0; i < 2; i++) {
            manager.chat().generate(ChatRequest.builder().prompt("x").build()); // falls back to "second"
        }

        // 2 failures in 10 calls is 20 %: at the seed's max_error_rate the breaker is open (the default needs 50 %)
        ChatResponse r = manager.chat().generate(ChatRequest.builder().prompt("after").build());
        assertThat(r.modelId()).isEqualTo("second");
        assertThat(((Explanation) r.metadata().get("routing")).excluded().toString()).contains("circuit breaker open");
    }

    @Test
    void maxResponseTimeMsMakesSlowCallsOpenTheBreaker() {
        start(twoEndpoints("max_response_time_ms: 50", ""));
        for (int i = 0; i < 10; i++) {
            a.enqueue(Fault.delay(Duration.ofMillis(80)));
            manager.chat().generate(ChatRequest.builder().prompt("slow").model("first").build());
        }

        ChatResponse r = manager.chat().generate(ChatRequest.builder().prompt("now").build());
        assertThat(r.modelId()).as("ten answers slower than max_response_time_ms open the breaker").isEqualTo("second");
    }

    @Test
    void rateLimitBufferKeepsHeadroomBelowAModelsRpm() {
        start(twoEndpoints("max_retry_wait_seconds: 1", ", rpm: 4").replace("custom_api:\n", "custom_api:\n      rate_limit_buffer: 0.5\n"));
        for (int i = 0; i < 2; i++) {
            assertThat(manager.chat().generate(ChatRequest.builder().prompt("x").model("first").build()).text()).isEqualTo("A");
        }

        RoutingFailure f = catchThrowableOfType(RoutingFailure.class,
                () -> manager.chat().generate(ChatRequest.builder().prompt("x").model("first").build()));
        assertThat(f.status()).isEqualTo(429);
        assertThat(f.explanation().excluded().toString()).contains("rpm limit 2 reached");
    }

    @Test
    void preferredModelsRankHigherAndCostLimitPerRequestSkipsWhatCouldCostMore() {
        router = MockOpenRouterServer.start("sk-or", MockOpenRouterServer.model("qwen/qwen-2.5-7b-instruct", "0.0000002",
                "0.0000002"), MockOpenRouterServer.model("openai/o1-pro", "0.00015", "0.0006"));
        start("""
                model_management:
                  health_check_interval_seconds: 3600
                  selection_strategy: {trusted_providers: [openrouter]}
                  providers:
                    openrouter:
                      api_key: sk-or
                      base_url: "%s"
                      show_free_only: false
                      prefer_free_models: false
                      cost_limit_per_request: 0.01
                      preferred_models: [qwen/qwen-2.5-7b-instruct]
                """.formatted(router.baseUrl()));

        Explanation e = manager.chat().select(Requirements.forTask(TaskType.GENERAL_CHAT));
        Explanation.Candidate qwen = e.candidates().stream()
                .filter(c -> c.model().endsWith("qwen/qwen-2.5-7b-instruct")).findFirst().orElseThrow();
        assertThat(qwen.breakdown()).containsEntry("preferred", 1.0);

        ChatResponse r = manager.chat().generate(ChatRequest.builder().prompt("hello").model("openai/o1-pro").maxTokens(4000)
                .requirements(Requirements.forTask(TaskType.GENERAL_CHAT)).build().withModel(null));
        assertThat(r.modelId()).isEqualTo("qwen/qwen-2.5-7b-instruct");
        RoutingFailure f = catchThrowableOfType(RoutingFailure.class, () -> manager.chat().generate(ChatRequest.builder()
                .prompt("hello").model("openai/o1-pro").maxTokens(4000).build()));
        assertThat(f.explanation().excluded().toString()).contains("more than openrouter's cost_limit_per_request of $0.0100");
        assertThat(router.chatRequests()).extracting(rq -> rq.json().path("model").asText())
                .containsExactly("qwen/qwen-2.5-7b-instruct");
    }

    @Test
    void aCustomEndpointsModelsHaveTheSeedsDefaultCapabilities() {
        start(twoEndpoints("allowed_fails: 3", ""));

        Explanation e = manager.chat().select(new Requirements(TaskType.GENERAL_CHAT, null, null, null,
                java.util.List.of("chat", "text_generation"), null, true));

        assertThat(e.candidates()).extracting(Explanation.Candidate::model)
                .containsExactly("custom_api:a:first", "custom_api:b:second");
        assertThat(e.excluded()).isEmpty();
    }
}
