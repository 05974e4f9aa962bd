package dev.switchboard.server;

import static dev.switchboard.server.RestApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.MockAnthropicServer;
import dev.switchboard.testkit.MockLmStudioServer;
import dev.switchboard.testkit.MockOpenAiServer;
import dev.switchboard.testkit.MockOpenRouterServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One Switchboard in front of an OpenRouter, an Anthropic, an LM Studio and an OpenAI-compatible upstream: each
 * answers through the seed's REST API and through the OpenAI-compatible API, with its own text.
 */
class AllProvidersTest {
    static MockOpenRouterServer openRouter;
    static MockAnthropicServer anthropic;
    static MockLmStudioServer lmStudio;
    static MockOpenAiServer vllm;
    static TestService service;
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        home = Files.createTempDirectory("switchboard-home");
        openRouter = MockOpenRouterServer.start("sk-or-test",
                MockOpenRouterServer.model("meta-llama/llama-3.1-8b-instruct:free", "0", "0"),
                MockOpenRouterServer.model("anthropic/claude-3.5-sonnet", "0.000003", "0.000015"));
        openRouter.replyWith(p -> "openrouter: " + p);
        anthropic = MockAnthropicServer.start("sk-ant-test", "claude-3-5-haiku-20241022");
        anthropic.replyWith(p -> "anthropic: " + p);
        lmStudio = MockLmStudioServer.start(null, MockLmStudioServer.Model.llm("qwen2.5-7b-instruct"));
        lmStudio.replyWith(p -> "lmstudio: " + p);
        vllm = MockOpenAiServer.start("sk-vllm", "llama3.2:3b");
        vllm.replyWith(p -> "vllm: " + p);
        service = TestService.start("""
                model_management:
                  default_provider: openrouter
                  health_check_interval_seconds: 3600
                  fallback_config: {max_retries: 0}
                  providers:
                    openrouter:
                      api_key: "${OPENROUTER_API_KEY}"
                      base_url: "%s"
                    lm_studio:
                      base_url: "%s"
                    custom_api:
                      custom_providers:
                        claude:
                          api_type: anthropic
                          base_url: "%s"
                          api_key: sk-ant-test
                        vllm:
                          api_type: openai
                          base_url: "%s/v1"
                          api_key: sk-vllm
                """.formatted(openRouter.baseUrl(), lmStudio.baseUrl(), anthropic.baseUrl(), vllm.baseUrl()),
                Map.of("OPENROUTER_API_KEY", "sk-or-test", "SWITCHBOARD_HOME", home.toString()));
    }

    @AfterAll
    static void stop() {
        service.close();
        openRouter.close();
        anthropic.close();
        lmStudio.close();
        vllm.close();
    }

    record Case(String model, String provider, String expectedPrefix) {}

    static final List<Case> CASES = List.of(
            new Case("openrouter:meta-llama/llama-3.1-8b-instruct:free", "openrouter", "openrouter: "),
            new Case("custom_api:claude:claude-3-5-haiku-20241022", "custom_api:claude", "anthropic: "),
            new Case("lm_studio:qwen2.5-7b-instruct", "lm_studio", "lmstudio: "),
            new Case("vllm:llama3.2:3b", "custom_api:vllm", "vllm: "));

    @Test
    void everyProviderAnswersThroughTheSeedRestApi() {
        for (Case c : CASES) {
            HttpResponse<String> r = service.post("/api/v1/models/generate",
                    "{\"prompt\":\"hello " + c.provider() + "\",\"model_id\":\"" + c.model() + "\",\"max_tokens\":64}");
            assertThat(r.statusCode()).as(c.model() + ": " + r.body()).isEqualTo(200);
            JsonNode body = json(r);
            assertThat(body.get("text").asText()).isEqualTo(c.expectedPrefix() + "hello " + c.provider());
            assertThat(body.get("provider").asText()).isEqualTo(c.provider());
        }
    }

    @Test
    void everyProviderAnswersThroughTheOpenAiApiAndStreams() {
        for (Case c : CASES) {
            String chat = "{\"model\":\"" + c.model() + "\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}]";
            HttpResponse<String> r = service.post("/v1/chat/completions", chat + "}");
            assertThat(r.statusCode()).as(c.model() + ": " + r.body()).isEqualTo(200);
            assertThat(json(r).get("choices").get(0).get("message").get("content").asText())
                    .isEqualTo(c.expectedPrefix() + "hi there");

            HttpResponse<String> s = service.post("/v1/chat/completions", chat + ",\"stream\":true}");
            assertThat(s.statusCode()).isEqualTo(200);
            List<String> events = OpenAiApiTest.dataEvents(s.body());
            assertThat(events.getLast()).isEqualTo("[DONE]");
            StringBuilder text = new StringBuilder();
            for (String e : events.subList(0, events.size() - 1)) {
                JsonNode chunk = RestApiTest.parse(e);
                JsonNode delta = chunk.get("choices").isEmpty() ? null : chunk.get("choices").get(0).get("delta");
                if (delta != null && delta.has("content")) {
                    text.append(delta.get("content").asText());
                }
            }
            assertThat(text.toString()).as(c.model()).isEqualTo(c.expectedPrefix() + "hi there");
        }
    }

    @Test
    void listingsNameEachProviderAndItsKind() {
        List<String> providers = new ArrayList<>();
        json(service.get("/api/v1/models")).get("models").forEach(m ->
                providers.add(m.get("provider").asText() + "/" + m.get("provider_type").asText()));
        assertThat(providers).contains("openrouter/openrouter", "custom_api:claude/custom_api",
                "lm_studio/lm_studio", "custom_api:vllm/custom_api");
        JsonNode status = json(service.get("/api/v1/models/status")).get("providers");
        for (String p : List.of("openrouter", "custom_api:claude", "lm_studio", "custom_api:vllm")) {
            assertThat(status.get(p).get("healthy").asBoolean()).as(p).isTrue();
        }
    }
}
