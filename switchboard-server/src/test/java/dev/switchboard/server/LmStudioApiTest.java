package dev.switchboard.server;

import static dev.switchboard.server.RestApiTest.ids;
import static dev.switchboard.server.RestApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.MockLmStudioServer;
import dev.switchboard.testkit.MockLmStudioServer.Model;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LM Studio behind a real Switchboard: its models in the seed's listings with their loading state, kept current
 * although the catalog is cached for an hour.
 */
class LmStudioApiTest {
    static final String LLAMA = "meta-llama-3.1-8b-instruct";
    static final String QWEN = "qwen2.5-7b-instruct";
    static final String EMBED = "text-embedding-nomic-embed-text-v1.5";
    static MockLmStudioServer lmStudio;
    static TestService service;

    @BeforeAll
    static void start() {
        lmStudio = MockLmStudioServer.start(null, Model.llm(LLAMA), Model.llm(QWEN).loaded(true).quantization("Q8_0"),
                Model.embeddings(EMBED));
        service = TestService.start("""
                model_management:
                  default_provider: lm_studio
                  cache_ttl_seconds: 3600
                  health_check_interval_seconds: 3600
                  # local models carry no safety score: trusting the provider lets task routing use them
                  selection_strategy: {trusted_providers: [lm_studio]}
                  providers:
                    lm_studio:
                      base_url: %s
                      request_timeout_seconds: 5
                """.formatted(lmStudio.baseUrl()));
    }

    @AfterAll
    static void stop() {
        service.close();
        lmStudio.close();
    }

    @BeforeEach
    void reset() {
        lmStudio.reset();
        service.manager().checkHealth();
    }

    private static JsonNode model(String id) {
        for (JsonNode m : json(service.get("/api/v1/models")).get("models")) {
            if (m.get("model_id").asText().equals(id)) {
                return m;
            }
        }
        throw new AssertionError(id + " is not listed");
    }

    @Test
    void listingsShowLoadingStateAndWhatLmStudioSaysAboutEachModel() {
        HttpResponse<String> r = service.get("/api/v1/models");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode models = json(r).get("models");
        assertThat(ids(models)).containsExactly(QWEN, LLAMA, EMBED);

        JsonNode qwen = model(QWEN);
        assertThat(qwen.get("loaded").isBoolean()).isTrue();
        assertThat(qwen.get("loaded").asBoolean()).isTrue();
        assertThat(qwen.get("provider").asText()).isEqualTo("lm_studio");
        assertThat(qwen.get("provider_type").asText()).isEqualTo("lm_studio");
        assertThat(qwen.get("is_free").asBoolean()).isTrue();
        assertThat(qwen.get("cost_per_token").asDouble()).isZero();
        assertThat(qwen.get("context_length").asInt()).isEqualTo(131072);
        assertThat(qwen.get("capabilities").toString()).isEqualTo("[\"chat\",\"json_mode\",\"json_schema\"]");
        assertThat(qwen.get("details").get("quantization").asText()).isEqualTo("Q8_0");
        assertThat(qwen.get("details").get("compatibility_type").asText()).isEqualTo("gguf");

        JsonNode llama = model(LLAMA);
        assertThat(llama.get("loaded").isBoolean()).isTrue();
        assertThat(llama.get("loaded").asBoolean()).isFalse();
        assertThat(model(EMBED).get("capabilities").toString()).isEqualTo("[\"embeddings\"]");

        assertThat(ids(json(service.get("/api/v1/models/free")))).containsExactlyInAnyOrder(QWEN, LLAMA, EMBED);
    }

    @Test
    void aChatToAModelThatIsNotLoadedLoadsItAndTheListingShowsIt() {
        assertThat(model(LLAMA).get("loaded").asBoolean()).isFalse();

        HttpResponse<String> r = service.post("/api/v1/models/generate", "{\"prompt\":\"hi\",\"model_id\":\"" + LLAMA + "\"}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("text").asText()).isEqualTo("echo: hi");
        assertThat(json(r).get("provider").asText()).isEqualTo("lm_studio");
        assertThat(model(LLAMA).get("loaded").asBoolean()).isTrue();
    }

    @Test
    void aRequestWithoutAModelGoesToTheModelAlreadyLoaded() {
        HttpResponse<String> r = service.post("/api/v1/models/generate", "{\"prompt\":\"hi\"}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("model_id").asText()).isEqualTo(QWEN);
    }

    @Test
    void theHealthCheckPicksUpWhatLmStudioDidOnItsOwn() {
        lmStudio.setLoaded(QWEN, false).setLoaded(LLAMA, true); // idle TTL unloaded one, `lms load` loaded another

        service.manager().checkHealth();

        assertThat(model(QWEN).get("loaded").asBoolean()).isFalse();
        assertThat(model(LLAMA).get("loaded").asBoolean()).isTrue();
        JsonNode status = json(service.get("/api/v1/models/status")).get("providers").get("lm_studio");
        assertThat(status.get("healthy").asBoolean()).isTrue();
        assertThat(status.get("available_models_count").asInt()).isEqualTo(3);
    }

    @Test
    void loadingAndUnloadingThroughTheApiRefreshesTheListing() {
        lmStudio.setLoaded(LLAMA, true);
        assertThat(service.post("/api/v1/models/load/lm_studio/" + LLAMA, "").statusCode()).isEqualTo(200);
        assertThat(model(LLAMA).get("loaded").asBoolean()).isTrue();

        lmStudio.setLoaded(LLAMA, false);
        assertThat(service.delete("/api/v1/models/unload/" + LLAMA).statusCode()).isEqualTo(200);
        assertThat(model(LLAMA).get("loaded").asBoolean()).isFalse();
    }
}
