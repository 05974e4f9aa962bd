package dev.switchboard.server;

import static dev.switchboard.server.RestApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.MockOpenAiServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routing as an API user sees it: /select, task routing on both APIs, the failure body, statistics and spend. */
class RoutingApiTest {
    static MockOpenAiServer story;
    static MockOpenAiServer chat;
    static TestService service;

    @BeforeAll
    static void start() {
        story = MockOpenAiServer.start(null, "anthropic/claude-3.5-sonnet", "meta-llama/llama-3.1-8b").replyWith(p -> "story: " + p);
        chat = MockOpenAiServer.start(null, "small-chat").replyWith(p -> "chat: " + p);
        service = TestService.start("""
                model_management:
                  health_check_interval_seconds: 3600
                  fallback_config: {max_retries: 0, retry_delay_seconds: 0.001}
                  aliases:
                    storyteller: {task_type: narrative_generation}
                  budgets: {daily_usd: 10}
                  providers:
                    custom_api:
                      custom_providers:
                        story: {base_url: "%s"}
                        chat: {base_url: "%s"}
                  models:
                    anthropic/claude-3.5-sonnet: {therapeutic_safety_score: 9.5, performance_score: 8, cost_per_token: 0.000009, context_length: 200000}
                    meta-llama/llama-3.1-8b: {therapeutic_safety_score: 8, performance_score: 7, cost_per_token: 0.0000002, context_length: 131072}
                    small-chat: {therapeutic_safety_score: 6.5, performance_score: 6, is_free: true, context_length: 8192, capabilities: [chat, conversation]}
                """.formatted(story.baseUrl(), chat.baseUrl()));
    }

    @AfterAll
    static void stop() {
        service.close();
        story.close();
        chat.close();
    }

    @BeforeEach
    void reset() {
        story.reset();
        chat.reset();
        for (String m : List.of("anthropic/claude-3.5-sonnet", "meta-llama/llama-3.1-8b", "small-chat")) {
            service.post("/api/v1/models/fallback/reset/" + m, "");
        }
    }

    @Test
    void selectReturnsTheChosenModelWithItsExplanation() {
        HttpResponse<String> r = service.post("/api/v1/models/select", "{\"task_type\":\"narrative_generation\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        // the seed's family bonus for narrative: anthropic/claude +2.0
        assertThat(body.get("model_id").asText()).isEqualTo("anthropic/claude-3.5-sonnet");
        assertThat(body.get("provider").asText()).isEqualTo("custom_api:story");
        JsonNode routing = body.get("routing");
        assertThat(routing.get("chosen").asText()).isEqualTo("custom_api:story:anthropic/claude-3.5-sonnet");
        assertThat(routing.get("candidates").get(0).get("breakdown").get("family").asDouble()).isEqualTo(2.0);
        // small-chat's safety 6.5 is under the minimum 7.0
        assertThat(routing.get("excluded").get(0).get("model").asText()).isEqualTo("custom_api:chat:small-chat");
        assertThat(routing.get("excluded").get(0).get("reason").asText()).isEqualTo("safety 6.5 < minimum 7.0");

        HttpResponse<String> none = service.post("/api/v1/models/select",
                "{\"task_type\":\"general_chat\",\"required_capabilities\":[\"audio_output\"]}");
        assertThat(none.statusCode()).isEqualTo(503);
        assertThat(json(none).get("routing").get("excluded")).hasSize(3);
    }

    @Test
    void customEndpointModelsCarryTheSeedsDefaultCapabilitiesUnlessConfigured() {
        // The seed gave every custom endpoint model chat and text_generation; its frontend selects with ["chat"].
        JsonNode chosen = json(service.post("/api/v1/models/select",
                "{\"task_type\":\"general_chat\",\"required_capabilities\":[\"chat\",\"text_generation\"]}"));
        assertThat(chosen.get("provider").asText()).startsWith("custom_api:");
        JsonNode excluded = chosen.get("routing").get("excluded");
        for (JsonNode e : excluded) {
            // only the one whose configured capabilities lack text_generation is left out for capabilities
            if (e.get("reason").asText().contains("text_generation")) {
                assertThat(e.get("model").asText()).isEqualTo("custom_api:chat:small-chat");
            }
        }
        JsonNode models = json(service.get("/api/v1/models")).get("models");
        for (JsonNode m : models) {
            List<String> caps = new java.util.ArrayList<>();
            m.get("capabilities").forEach(c -> caps.add(c.asText()));
            if (m.get("model_id").asText().equals("small-chat")) {
                assertThat(caps).containsExactly("chat", "conversation");
            } else {
                assertThat(caps).contains("chat", "text_generation");
            }
        }
    }

    @Test
    void generateWithoutAModelRoutesByTaskAndAnAliasDoesTheSameOnTheOpenAiApi() {
        JsonNode rest = json(service.post("/api/v1/models/generate",
                "{\"prompt\":\"a lighthouse\",\"task_type\":\"narrative_generation\",\"therapeutic_safety_required\":false}"));
        assertThat(rest.get("model_id").asText()).isEqualTo("anthropic/claude-3.5-sonnet");
        assertThat(rest.get("metadata").get("routing").get("task_type").asText()).isEqualTo("narrative_generation");

        JsonNode viaAlias = json(service.post("/v1/chat/completions",
                "{\"model\":\"storyteller\",\"messages\":[{\"role\":\"user\",\"content\":\"a storm\"}]}"));
        assertThat(viaAlias.get("model").asText()).isEqualTo("anthropic/claude-3.5-sonnet");
        assertThat(viaAlias.get("metadata").get("routing").get("strategy").asText()).isEqualTo("alias:storyteller");

        HttpResponse<String> auto = service.send(service.request("/v1/chat/completions")
                .header("Content-Type", "application/json").header("x-switchboard-task", "dialogue_generation")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}")).build());
        JsonNode routing = json(auto).get("metadata").get("routing");
        assertThat(routing.get("task_type").asText()).isEqualTo("dialogue_generation");
        // the seed's dialogue family bonuses: meta-llama/llama-3.1 2.0, anthropic/claude 1.5
        Map<String, Double> family = new java.util.HashMap<>();
        routing.get("candidates").forEach(c -> family.put(c.get("model").asText(), c.get("breakdown").get("family").asDouble()));
        assertThat(family).containsEntry("custom_api:story:meta-llama/llama-3.1-8b", 2.0)
                .containsEntry("custom_api:story:anthropic/claude-3.5-sonnet", 1.5);
    }

    @Test
    void aFailingModelFallsBackAndStatisticsAndStatusShowIt() {
        story.enqueue(Fault.openAiError(429, "busy", "requests", "rate_limit_exceeded", Map.of("Retry-After", "300")));
        JsonNode r = json(service.post("/v1/chat/completions",
                "{\"model\":\"storyteller\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        // the cooled-down claude is skipped; the next narrative candidate serves
        assertThat(r.get("model").asText()).isEqualTo("meta-llama/llama-3.1-8b");
        List<String> outcomes = new ArrayList<>();
        r.get("metadata").get("routing").get("attempts").forEach(a -> outcomes.add(a.get("outcome").asText()));
        assertThat(outcomes).containsExactly("rate_limited", "success");

        JsonNode stats = json(service.get("/api/v1/models/fallback/statistics"));
        assertThat(stats.get("recent_failures_1h").asInt()).isEqualTo(1);
        JsonNode detail = stats.get("recent_failure_details").get("custom_api:story:anthropic/claude-3.5-sonnet");
        assertThat(detail.get("state").asText()).isEqualTo("cooling_down");
        assertThat(detail.get("last_failure_kind").asText()).isEqualTo("rate_limited");
        JsonNode deployments = json(service.get("/api/v1/models/status")).get("deployments");
        assertThat(deployments.get("custom_api:story:anthropic/claude-3.5-sonnet").get("cooldown_until").asText()).isNotBlank();

        assertThat(service.post("/api/v1/models/fallback/reset/anthropic/claude-3.5-sonnet", "").statusCode()).isEqualTo(200);
        assertThat(json(service.get("/api/v1/models/status")).get("deployments")).isEmpty();
        assertThat(service.post("/api/v1/models/fallback/reset/never-failed", "").statusCode()).isEqualTo(404);
    }

    @Test
    void whenNothingCanServeTheAnswerIs503WithEveryAttempt() {
        story.enqueue(Fault.openAiError(500, "down", "server_error", null, Map.of()));
        story.enqueue(Fault.openAiError(500, "down", "server_error", null, Map.of()));
        chat.enqueue(Fault.openAiError(502, "bad gateway", "server_error", null, Map.of()));
        HttpResponse<String> rest = service.post("/api/v1/models/generate",
                "{\"prompt\":\"x\",\"task_type\":\"general_chat\",\"therapeutic_safety_required\":false}");
        assertThat(rest.statusCode()).isEqualTo(503);
        JsonNode body = json(rest);
        assertThat(body.get("detail").asText()).contains("after 3 call(s) to 3 deployment(s)");
        assertThat(body.get("attempts")).hasSize(3);
        body.get("attempts").forEach(a -> {
            assertThat(a.get("outcome").asText()).isEqualTo("unavailable");
            assertThat(a.get("duration_ms").asDouble()).isPositive();
            assertThat(a.get("model").asText()).startsWith("custom_api:");
        });
    }

    @Test
    void spendIsReportedAgainstTheBudget() {
        json(service.post("/api/v1/models/generate", "{\"prompt\":\"price this\",\"model_id\":\"meta-llama/llama-3.1-8b\"}"));
        JsonNode spend = json(service.get("/api/v1/models/spend"));
        assertThat(spend.get("global").get("daily_cap_usd").asDouble()).isEqualTo(10.0);
        assertThat(spend.get("global").get("spent_today_usd").asDouble()).isPositive();
        assertThat(spend.get("providers").get("custom_api:story").get("spent_today_usd").asDouble()).isPositive();
        assertThat(spend.get("providers").get("custom_api:chat").get("spent_today_usd").asDouble()).isZero();
    }
}
