package dev.switchboard.server;

import static dev.switchboard.server.RestApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.MockOpenAiServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Performance, feedback and Prometheus over HTTP, with the official OpenAI SDK making the requests an application
 * would make: its completion ids are what feedback names.
 */
class MonitoringApiTest {
    static final String UPSTREAM_KEY = "sk-upstream-secret-7731";
    static MockOpenAiServer upstream;
    static TestService service;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        upstream = MockOpenAiServer.start(UPSTREAM_KEY, "gpt-4o-mini", "llama3.2:3b", "shape-model", "system-model",
                "quiet-model");
        service = TestService.start(TestService.endpointYaml("vllm", upstream.baseUrl(), UPSTREAM_KEY));
        client = OpenAIOkHttpClient.builder().baseUrl(service.baseUrl() + "/v1").apiKey("unused").maxRetries(0)
                .timeout(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        service.close();
        upstream.close();
    }

    static ChatCompletionCreateParams params(String model, String prompt) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(prompt).maxCompletionTokens(32).build();
    }

    static String feedback(String model, String id, Object quality, Object safety) {
        return "{\"model_id\":\"" + model + "\",\"request_id\":\"" + id + "\",\"quality_score\":" + quality
                + ",\"therapeutic_safety_score\":" + safety + "}";
    }

    @Test
    void feedbackNamesTheCompletionIdTheSdkGotBack() {
        ChatCompletion c = client.chat().completions().create(params("llama3.2:3b", "a gentle story"));
        assertThat(c.id()).startsWith("chatcmpl-");

        HttpResponse<String> r = service.post("/api/v1/models/feedback", feedback("llama3.2:3b", c.id(), 9, 9.5));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("status").asText()).isEqualTo("recorded");
        assertThat(body.get("matched_request").asBoolean()).isTrue();
        assertThat(body.get("provider").asText()).isEqualTo("custom_api:vllm");

        // A streamed completion's id works the same way.
        String streamedId;
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params("llama3.2:3b", "more"))) {
            streamedId = s.stream().map(ChatCompletionChunk::id).reduce((x, y) -> y).orElseThrow();
        }
        assertThat(service.post("/api/v1/models/feedback", feedback("llama3.2:3b", streamedId, 7, "null")).statusCode())
                .isEqualTo(200);

        JsonNode perf = json(service.get("/api/v1/models/performance/llama3.2:3b?timeframe_hours=1"));
        assertThat(perf.get("model_id").asText()).isEqualTo("llama3.2:3b");
        assertThat(perf.get("total_requests").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(perf.get("feedback_count").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(perf.get("average_quality_score").asDouble()).isBetween(7.0, 9.0);
        assertThat(perf.get("average_time_to_first_token_ms").isNumber()).isTrue();
        for (String f : List.of("total_tokens", "total_errors", "average_response_time_ms", "min_response_time_ms",
                "max_response_time_ms", "p95_response_time_ms", "p99_response_time_ms", "average_tokens_per_second",
                "max_tokens_per_second", "success_rate")) {
            assertThat(perf.has(f)).as(f).isTrue();
        }
    }

    /**
     * The seed's {@code get_model_performance} names ({@code performance_monitor.py}): {@code metrics_count},
     * {@code period_start}/{@code period_end} (ISO, first and last record in the window), quality and safety
     * average, min and max ({@code _calculate_aggregated_stats}), {@code timeframe_hours} 24 by default; Switchboard's
     * own fields beside them.
     */
    @Test
    void modelPerformanceCarriesTheSeedsFields() {
        Instant before = Instant.now();
        String first = client.chat().completions().create(params("shape-model", "one")).id();
        String second = client.chat().completions().create(params("shape-model", "two")).id();
        assertThat(service.post("/api/v1/models/feedback", feedback("shape-model", first, 6, 7)).statusCode()).isEqualTo(200);
        assertThat(service.post("/api/v1/models/feedback", feedback("shape-model", second, 8, 9)).statusCode()).isEqualTo(200);

        HttpResponse<String> r = service.get("/api/v1/models/performance/shape-model");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode perf = json(r);
        assertThat(perf.get("model_id").asText()).isEqualTo("shape-model");
        assertThat(perf.get("timeframe_hours").isIntegralNumber()).isTrue();
        assertThat(perf.get("timeframe_hours").asInt()).isEqualTo(24);
        assertThat(perf.get("metrics_count").asLong()).isEqualTo(4);   // two requests, two feedback records
        assertThat(perf.get("total_requests").asLong()).isEqualTo(2);
        Instant start = Instant.parse(perf.get("period_start").asText());
        Instant end = Instant.parse(perf.get("period_end").asText());
        assertThat(start).isAfterOrEqualTo(before.minusSeconds(1)).isBeforeOrEqualTo(end);
        assertThat(end).isBeforeOrEqualTo(Instant.now());
        assertThat(perf.get("average_quality_score").asDouble()).isEqualTo(7.0);
        assertThat(perf.get("min_quality_score").asDouble()).isEqualTo(6.0);
        assertThat(perf.get("max_quality_score").asDouble()).isEqualTo(8.0);
        assertThat(perf.get("average_safety_score").asDouble()).isEqualTo(8.0);
        assertThat(perf.get("min_safety_score").asDouble()).isEqualTo(7.0);
        assertThat(perf.get("max_safety_score").asDouble()).isEqualTo(9.0);
        assertThat(perf.has("message")).isFalse();
        // Switchboard's names stay beside the seed's.
        assertThat(perf.get("average_therapeutic_safety_score").asDouble()).isEqualTo(8.0);
        assertThat(perf.get("first_request").asText()).isEqualTo(perf.get("period_start").asText());
        assertThat(perf.get("last_request").asText()).isEqualTo(perf.get("period_end").asText());
        assertThat(perf.get("providers").get("custom_api:vllm").get("metrics_count").asLong()).isEqualTo(4);
        assertThat(json(service.get("/api/v1/models/performance/shape-model?timeframe_hours=0.5")).get("timeframe_hours")
                .asDouble()).isEqualTo(0.5);
    }

    /** The seed's answer for an empty window: its message and {@code metrics_count: 0}. */
    @Test
    void anEmptyWindowCarriesTheSeedsMessage() {
        HttpResponse<String> r = service.get("/api/v1/models/performance/quiet-model?timeframe_hours=3");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode perf = json(r);
        assertThat(perf.get("model_id").asText()).isEqualTo("quiet-model");
        assertThat(perf.get("timeframe_hours").asInt()).isEqualTo(3);
        assertThat(perf.get("metrics_count").asLong()).isZero();
        assertThat(perf.get("message").asText()).isEqualTo("No metrics available for the specified timeframe");
        assertThat(perf.get("total_requests").asLong()).isZero();
        assertThat(perf.get("period_start").isNull()).isTrue();
    }

    /**
     * The seed's {@code get_system_performance} names: {@code total_models}, {@code active_models},
     * {@code total_requests}, {@code average_response_time_ms}, {@code average_quality_score},
     * {@code overall_success_rate}, {@code timestamp}, and per model {@code requests}, {@code avg_response_time_ms},
     * {@code success_rate}; the last hour unless {@code timeframe_hours} says otherwise.
     */
    @Test
    void systemPerformanceCarriesTheSeedsFields() {
        String id = client.chat().completions().create(params("system-model", "count me")).id();
        assertThat(service.post("/api/v1/models/feedback", feedback("system-model", id, 5, 5)).statusCode()).isEqualTo(200);

        JsonNode sys = json(service.get("/api/v1/models/performance"));
        assertThat(sys.get("timeframe_hours").isIntegralNumber()).isTrue();
        assertThat(sys.get("timeframe_hours").asInt()).isEqualTo(1);
        assertThat(sys.get("active_models").asLong()).isPositive().isLessThanOrEqualTo(sys.get("total_models").asLong());
        assertThat(sys.get("total_requests").asLong()).isPositive();
        assertThat(sys.get("average_response_time_ms").isNumber()).isTrue();
        assertThat(sys.get("average_quality_score").asDouble()).isBetween(5.0, 9.0);
        assertThat(sys.get("overall_success_rate").asDouble()).isBetween(0.0, 1.0);
        assertThat(Instant.parse(sys.get("timestamp").asText())).isBeforeOrEqualTo(Instant.now());
        JsonNode model = sys.get("models").get("system-model");
        assertThat(model.get("requests").asLong()).isEqualTo(1);
        assertThat(model.get("avg_response_time_ms").asDouble()).isPositive();
        assertThat(model.get("success_rate").asDouble()).isEqualTo(1.0);
        assertThat(model.get("average_quality_score").asDouble()).isEqualTo(5.0);
        // The names Switchboard answered before stay, for its dashboard and older clients.
        assertThat(model.get("total_requests").asLong()).isEqualTo(1);
        assertThat(model.get("average_response_time_ms")).isEqualTo(model.get("avg_response_time_ms"));
        for (String f : List.of("total_tokens", "total_errors", "p95_response_time_ms", "p99_response_time_ms",
                "total_cost_usd", "history", "monitor", "source")) {
            assertThat(sys.has(f)).as(f).isTrue();
        }
    }

    @Test
    void theSystemViewCountsEveryAttemptIncludingFailures() {
        long before = json(service.get("/api/v1/models/performance")).get("total_requests").asLong();
        long errorsBefore = json(service.get("/api/v1/models/performance")).get("total_errors").asLong();
        // One failed try, retried on the same deployment: the caller sees a success, the record shows both tries.
        upstream.enqueue(Fault.openAiError(503, "busy", "server_error", null, Map.of()));
        assertThat(service.post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .statusCode()).isEqualTo(200);

        JsonNode sys = json(service.get("/api/v1/models/performance?timeframe_hours=2"));
        assertThat(sys.get("total_requests").asLong()).isEqualTo(before + 2);
        assertThat(sys.get("total_errors").asLong()).isEqualTo(errorsBefore + 1);
        assertThat(sys.get("models").get("gpt-4o-mini").get("outcomes").get("unavailable").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(sys.get("models").has("gpt-4o-mini")).isTrue();
        assertThat(sys.get("timeframe_hours").asDouble()).isEqualTo(2.0);
        assertThat(sys.get("source").asText()).isEqualTo("sqlite");
    }

    @Test
    void prometheusSeesRequestsLatencyTokensAndTheBuffer() {
        client.chat().completions().create(params("gpt-4o-mini", "count me"));
        HttpResponse<String> r = service.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
        String text = r.body();
        assertThat(text).contains("switchboard_requests_total{model=\"gpt-4o-mini\",outcome=\"success\",provider=\"custom_api:vllm\"}");
        assertThat(text).contains("switchboard_request_latency_seconds_bucket{");
        assertThat(text).contains("switchboard_tokens_total{model=\"gpt-4o-mini\",provider=\"custom_api:vllm\",type=\"completion\"}");
        assertThat(text).contains("switchboard_metrics_dropped_total{store=\"sqlite\"} 0.0");
        assertThat(text).contains("switchboard_metrics_pending{store=\"sqlite\"}");
        assertThat(text).doesNotContain(UPSTREAM_KEY);
    }

    @Test
    void aCooldownShowsAsAGauge() {
        upstream.enqueue(Fault.openAiError(429, "slow down", "requests", "rate_limit_exceeded", Map.of("Retry-After", "300")));
        service.post("/v1/chat/completions", "{\"model\":\"custom_api:vllm:llama3.2:3b\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        String text = service.get("/metrics").body();
        assertThat(text).contains("switchboard_deployment_cooling{deployment=\"custom_api:vllm:llama3.2:3b\",state=\"cooling_down\"} 1.0");
        assertThat(text).containsPattern("switchboard_deployment_cooldown_remaining_seconds\\{deployment=\"custom_api:vllm:llama3.2:3b\"} 2\\d\\d");
        service.post("/api/v1/models/fallback/reset/custom_api:vllm:llama3.2:3b", "");
        assertThat(service.get("/metrics").body()).doesNotContain("switchboard_deployment_cooling{deployment=\"custom_api:vllm:llama3.2:3b\"");
    }

    @Test
    void statusShowsTheStoresAndNoSecrets() {
        JsonNode status = json(service.get("/api/v1/models/status"));
        JsonNode monitoring = status.get("monitoring");
        assertThat(monitoring.get("data_dir").asText()).isNotBlank();
        assertThat(monitoring.get("monitoring").get("stores").get(0).get("store").asText()).isEqualTo("sqlite");
        assertThat(monitoring.get("shared_state").get("kind").asText()).isEqualTo("local");
        assertThat(status.toString()).doesNotContain(UPSTREAM_KEY);
    }

    @Test
    void badInputIsAClear4xx() {
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"GET", "/api/v1/models/performance?timeframe_hours=abc", "400", "timeframe_hours"});
        cases.add(new String[] {"GET", "/api/v1/models/performance?timeframe_hours=-3", "400", "timeframe_hours"});
        cases.add(new String[] {"GET", "/api/v1/models/performance?timeframe_hours=0", "400", "timeframe_hours"});
        cases.add(new String[] {"GET", "/api/v1/models/performance?timeframe_hours=NaN", "400", "timeframe_hours"});
        cases.add(new String[] {"GET", "/api/v1/models/performance/no-such-model", "404", "no-such-model"});
        for (String[] c : cases) {
            HttpResponse<String> r = service.send(c[0], c[1], null, Map.of());
            assertThat(r.statusCode()).as(c[1]).isEqualTo(Integer.parseInt(c[2]));
            assertThat(json(r).toString()).as(c[1]).contains(c[3]);
        }
        String id = client.chat().completions().create(params("llama3.2:3b", "hi")).id();
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put(feedback("llama3.2:3b", id, 11, 5), "quality_score");
        bodies.put(feedback("llama3.2:3b", id, -1, 5), "quality_score");
        bodies.put(feedback("llama3.2:3b", id, 5, 10.5), "therapeutic_safety_score");
        bodies.put(feedback("llama3.2:3b", id, "null", "null"), "quality_score");
        bodies.put(feedback("gpt-4o-mini", id, 5, 5), "was served by");
        bodies.put(feedback("llama3.2:3b", "", 5, 5), "request_id");
        bodies.put(feedback("llama3.2:3b", id, "\"high\"", 5), "quality_score");
        bodies.put("{\"model_id\":\"llama3.2:3b\",\"request_id\":\"" + id + "\",\"quality_score\":5,\"stars\":4}", "stars");
        bodies.put("{not json", "malformed JSON");
        bodies.put("[]", "");
        for (Map.Entry<String, String> e : bodies.entrySet()) {
            HttpResponse<String> r = service.post("/api/v1/models/feedback", e.getKey());
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(400);
            assertThat(json(r).toString()).as(e.getKey()).contains(e.getValue());
        }
        HttpResponse<String> unknown = service.post("/api/v1/models/feedback", feedback("no-such-model", id, 5, 5));
        assertThat(unknown.statusCode()).isEqualTo(404);
    }
}
