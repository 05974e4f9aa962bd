package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.json.Json;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.MockOpenAiServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The seed's REST API under /api/v1/models, called over HTTP as the TTA frontend calls it. */
class RestApiTest {
    static MockOpenAiServer upstream;
    static TestService service;

    @BeforeAll
    static void start() {
        upstream = MockOpenAiServer.start("sk-upstream-key", "gpt-4o-mini", "meta-llama/llama-3.1-8b-instruct:free", "llama3.2:3b");
        service = TestService.start("""
                model_management:
                  default_provider: custom_api
                  default_model: gpt-4o-mini
                  health_check_interval_seconds: 3600
                  fallback_config: {max_retries: 0, retry_delay_seconds: 0.001, allowed_fails: 1000}
                  providers:
                    custom_api:
                      custom_providers:
                        cloud:
                          api_type: openai
                          base_url: %s/v1
                          api_key: sk-upstream-key
                          request_timeout_seconds: 5
                  models:
                    "meta-llama/llama-3.1-8b-instruct:free":
                      is_free: true
                      cost_per_token: 0
                      therapeutic_safety_score: 8.5
                      context_length: 131072
                    gpt-4o-mini:
                      cost_per_token: 0.0000004
                      performance_score: 8
                    "llama3.2:3b":
                      cost_per_token: 0.01
                """.formatted(upstream.baseUrl()));
    }

    @AfterAll
    static void stop() {
        service.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(m -> out.add(m.get("model_id").asText()));
        return out;
    }

    @Test
    void listsModelsWithTheSeedFieldNames() {
        HttpResponse<String> r = service.get("/api/v1/models");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode models = json(r).get("models");
        assertThat(ids(models)).containsExactly("gpt-4o-mini", "meta-llama/llama-3.1-8b-instruct:free", "llama3.2:3b");
        JsonNode free = models.get(1);
        assertThat(free.get("provider_type").asText()).isEqualTo("custom_api");
        assertThat(free.get("provider").asText()).isEqualTo("custom_api:cloud");
        assertThat(free.get("is_free").asBoolean()).isTrue();
        assertThat(free.get("therapeutic_safety_score").asDouble()).isEqualTo(8.5);
        assertThat(free.get("context_length").asInt()).isEqualTo(131072);
        for (String field : List.of("model_id", "name", "provider_type", "description", "context_length", "cost_per_token",
                "is_free", "capabilities", "therapeutic_safety_score", "performance_score")) {
            assertThat(free.has(field)).as(field).isTrue();
        }
    }

    @Test
    void filtersFreeAndAffordableModels() {
        assertThat(ids(json(service.get("/api/v1/models?free_only=true")).get("models")))
                .containsExactly("meta-llama/llama-3.1-8b-instruct:free");
        assertThat(ids(json(service.get("/api/v1/models/free")))).containsExactly("meta-llama/llama-3.1-8b-instruct:free");
        assertThat(ids(json(service.get("/api/v1/models/available?free_only=false")))).hasSize(3);
        assertThat(ids(json(service.get("/api/v1/models/affordable?max_cost_per_token=0.000001"))))
                .containsExactly("gpt-4o-mini", "meta-llama/llama-3.1-8b-instruct:free");
        // the seed's default cap is 0.001 per token
        assertThat(ids(json(service.get("/api/v1/models/affordable")))).doesNotContain("llama3.2:3b");
    }

    @Test
    void badQueryParametersAre400WithDetail() {
        HttpResponse<String> r = service.get("/api/v1/models?free_only=maybe");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("detail").asText()).contains("free_only").contains("maybe");
        HttpResponse<String> cost = service.get("/api/v1/models/affordable?max_cost_per_token=cheap");
        assertThat(cost.statusCode()).isEqualTo(400);
        assertThat(json(cost).get("detail").asText()).contains("max_cost_per_token");
        assertThat(service.get("/api/v1/models/affordable?max_cost_per_token=-1").statusCode()).isEqualTo(400);
        assertThat(service.get("/api/v1/models/available?provider=nope").statusCode()).isEqualTo(404);
    }

    @Test
    void generateUsesTheSeedDefaultsAndAnswersWithTheSeedShape() {
        HttpResponse<String> r = service.post("/api/v1/models/generate", "{\"prompt\":\"Tell me a story\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("text").asText()).isEqualTo("echo: Tell me a story");
        // routed by task: the free, safety-scored model wins the seed's score
        assertThat(body.get("model_id").asText()).isEqualTo("meta-llama/llama-3.1-8b-instruct:free");
        JsonNode routing = body.get("metadata").get("routing");
        assertThat(routing.get("strategy").asText()).isEqualTo("auto");
        assertThat(routing.get("task_type").asText()).isEqualTo("general_chat");
        assertThat(routing.get("chosen").asText()).isEqualTo("custom_api:cloud:meta-llama/llama-3.1-8b-instruct:free");
        assertThat(body.get("provider").asText()).isEqualTo("custom_api:cloud");
        assertThat(body.get("latency_ms").asDouble()).isPositive();
        assertThat(body.get("usage").get("total_tokens").asInt()).isPositive();
        assertThat(body.has("metadata")).isTrue();

        JsonNode sent = upstream.chatRequests().getFirst().json();
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(2048);
        assertThat(sent.get("temperature").asDouble()).isEqualTo(0.7);
        assertThat(sent.get("top_p").asDouble()).isEqualTo(0.9);
        assertThat(sent.get("messages").get(0).get("role").asText()).isEqualTo("user");
        assertThat(upstream.chatRequests().getFirst().headers().get("authorization")).isEqualTo("Bearer sk-upstream-key");
    }

    @Test
    void generateHonoursModelIdTaskTypeAndSamplingFields() {
        HttpResponse<String> r = service.post("/api/v1/models/generate", """
                {"prompt":"hi","model_id":"cloud:llama3.2:3b","task_type":"narrative_generation",
                 "max_tokens":50,"temperature":0.1,"top_p":0.5,"stop_sequences":["END"]}""");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("model_id").asText()).isEqualTo("llama3.2:3b");
        JsonNode sent = upstream.chatRequests().getFirst().json();
        assertThat(sent.get("model").asText()).isEqualTo("llama3.2:3b");
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(50);
        assertThat(sent.get("stop").get(0).asText()).isEqualTo("END");
    }

    @Test
    void generateRejectsBadInputWithA4xxAndADetail() {
        Map<String, Integer> cases = Map.of(
                "{\"prompt\":\"hi\",\"task_type\":\"poetry\"}", 400,
                "{\"task_type\":\"general_chat\"}", 400,
                "{\"prompt\":\"hi\",\"max_tokens\":-5}", 400,
                "{\"prompt\":\"hi\",\"max_tokens\":\"lots\"}", 400,
                "{\"prompt\":\"hi\",\"temperature\":7}", 400,
                "{\"prompt\":\"hi\",\"model_id\":\"no-such-model\"}", 404,
                "{\"prompt\":", 400,
                "[1,2,3]", 400,
                "", 400);
        cases.forEach((body, status) -> {
            HttpResponse<String> r = service.post("/api/v1/models/generate", body);
            assertThat(r.statusCode()).as(body).isEqualTo(status);
            assertThat(json(r).get("detail").asText()).as(body).isNotBlank();
        });
        assertThat(json(service.post("/api/v1/models/generate", "{\"prompt\":\"hi\",\"task_type\":\"poetry\"}"))
                .get("detail").asText()).contains("task_type").contains("narrative_generation");
        assertThat(upstream.chatRequests()).isEmpty();
    }

    @Test
    void generateStreamsTokensAsServerSentEvents() {
        upstream.replyWith(p -> "once upon a time");
        HttpResponse<String> r = service.post("/api/v1/models/generate", "{\"prompt\":\"story\",\"stream\":true}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        StringBuilder text = new StringBuilder();
        JsonNode done = null;
        String event = null;
        for (String line : r.body().split("\n")) {
            if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ")) {
                JsonNode data = RestApiTest.parse(line.substring(6));
                if ("token".equals(event)) {
                    text.append(data.get("text").asText());
                } else if ("done".equals(event)) {
                    done = data;
                }
            }
        }
        assertThat(text.toString()).isEqualTo("once upon a time");
        assertThat(done).isNotNull();
        assertThat(done.get("text").asText()).isEqualTo("once upon a time");
        assertThat(done.get("usage").get("completion_tokens").asInt()).isEqualTo(4);
        upstream.replyWith(p -> "echo: " + p);
    }

    static JsonNode parse(String s) {
        try {
            return Json.mapper().readTree(s);
        } catch (IOException e) {
            throw new AssertionError(s, e);
        }
    }

    @Test
    void upstreamFailuresBecomeMeaningfulStatuses() {
        upstream.enqueue(Fault.openAiError(429, "Rate limit reached", "requests", "rate_limit_exceeded", Map.of("Retry-After", "70")));
        HttpResponse<String> limited = service.post("/api/v1/models/generate", "{\"prompt\":\"hi\",\"model_id\":\"gpt-4o-mini\"}");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(limited.headers().firstValue("retry-after").orElseThrow())).isBetween(60L, 70L);
        assertThat(json(limited).get("detail").asText()).contains("Rate limit reached");
        assertThat(json(limited).get("attempts").get(0).get("outcome").asText()).isEqualTo("rate_limited");
        assertThat(service.post("/api/v1/models/fallback/reset/gpt-4o-mini", "").statusCode()).isEqualTo(200);

        upstream.enqueue(Fault.openAiError(500, "The server had an error", "server_error", null, Map.of()));
        HttpResponse<String> down = service.post("/api/v1/models/generate", "{\"prompt\":\"hi\",\"model_id\":\"gpt-4o-mini\"}");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(json(down).get("detail").asText()).contains("500");

        upstream.enqueue(Fault.openAiError(400, "This model's maximum context length is 8192 tokens", "invalid_request_error",
                "context_length_exceeded", Map.of()));
        HttpResponse<String> tooLong = service.post("/api/v1/models/generate", "{\"prompt\":\"hi\",\"model_id\":\"gpt-4o-mini\"}");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json(tooLong).get("detail").asText()).contains("maximum context length");
    }

    @Test
    void connectivityTestReportsSuccessAndFailure() {
        HttpResponse<String> ok = service.post("/api/v1/models/test", "{\"model_id\":\"gpt-4o-mini\",\"provider_name\":\"cloud\"}");
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode body = json(ok);
        assertThat(body.get("status").asText()).isEqualTo("success");
        assertThat(body.get("healthy").asBoolean()).isTrue();
        assertThat(body.get("test_response").asText()).isEqualTo("echo: Hello, how are you?");
        assertThat(body.get("latency_ms").asDouble()).isPositive();
        assertThat(upstream.chatRequests().getFirst().json().get("max_tokens").asInt()).isEqualTo(10);

        upstream.enqueue(Fault.openAiError(503, "overloaded", "server_error", null, Map.of()));
        JsonNode failed = json(service.post("/api/v1/models/test", "{\"model_id\":\"gpt-4o-mini\",\"provider_name\":\"cloud\"}"));
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("healthy").asBoolean()).isFalse();
        assertThat(failed.get("error").asText()).contains("overloaded");

        assertThat(service.post("/api/v1/models/test", "{\"provider_name\":\"cloud\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void loadAndUnloadModelsWhoseIdsContainSlashesAndColons() {
        HttpResponse<String> load = service.post("/api/v1/models/load/cloud/meta-llama/llama-3.1-8b-instruct:free", "");
        assertThat(load.statusCode()).isEqualTo(200);
        assertThat(json(load).get("model_id").asText()).isEqualTo("meta-llama/llama-3.1-8b-instruct:free");
        assertThat(json(load).get("provider").asText()).isEqualTo("custom_api:cloud");
        JsonNode status = json(service.get("/api/v1/models/status"));
        assertThat(status.get("active_model_list").toString()).contains("custom_api:cloud:meta-llama/llama-3.1-8b-instruct:free");

        assertThat(service.delete("/api/v1/models/unload/meta-llama/llama-3.1-8b-instruct:free").statusCode()).isEqualTo(200);
        HttpResponse<String> again = service.delete("/api/v1/models/unload/meta-llama/llama-3.1-8b-instruct:free");
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(json(again).get("detail").asText()).contains("not found or not loaded");

        assertThat(service.post("/api/v1/models/load/cloud/nope", "").statusCode()).isEqualTo(404);
        assertThat(service.post("/api/v1/models/load/nobody/gpt-4o-mini", "").statusCode()).isEqualTo(404);
    }

    @Test
    void statusShowsProvidersWithTheSeedMetrics() {
        JsonNode status = json(service.get("/api/v1/models/status"));
        assertThat(status.get("initialized").asBoolean()).isTrue();
        JsonNode cloud = status.get("providers").get("custom_api:cloud");
        assertThat(cloud.get("provider_type").asText()).isEqualTo("custom_api");
        assertThat(cloud.get("healthy").asBoolean()).isTrue();
        assertThat(cloud.get("available_models_count").asInt()).isEqualTo(3);
        assertThat(cloud.get("endpoint").asText()).isEqualTo(upstream.baseUrl() + "/v1");
        assertThat(status.has("active_models")).isTrue();
    }

    @Test
    void healthAndUnknownRoutes() {
        HttpResponse<String> health = service.get("/api/v1/models/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).get("status").asText()).isEqualTo("healthy");
        assertThat(json(health).get("service").asText()).isEqualTo("model_management");
        HttpResponse<String> missing = service.get("/api/v1/models/nothing/here");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("detail").asText()).isNotBlank();
    }
}
