package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.switchboard.json.Json;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.MockOpenAiServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Embeddings from OpenAI-compatible upstreams, with the official SDK, routed like chat: a failing embedding model
 * falls back to its {@code fallback_models}, and every call is in the performance record.
 */
class EmbeddingsRoutingTest {
    static MockOpenAiServer primary;
    static MockOpenAiServer backup;
    static TestService service;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        primary = MockOpenAiServer.start("sk-up", "text-embedding-3-small", "gpt-4o-mini");
        backup = MockOpenAiServer.start("sk-up", "text-embedding-3-large");
        service = TestService.start("""
                model_management:
                  health_check_interval_seconds: 3600
                  fallback_config: {retry_delay_seconds: 0.001, max_retries: 1}
                  providers:
                    custom_api:
                      custom_providers:
                        primary: {api_type: openai, base_url: "%s", api_key: sk-up}
                        backup: {api_type: openai, base_url: "%s", api_key: sk-up}
                  models:
                    text-embedding-3-small: {fallback_models: [text-embedding-3-large]}
                server:
                  api_keys: [sb-key]
                """.formatted(primary.baseUrl(), backup.baseUrl())).withKey("sb-key");
        client = OpenAIOkHttpClient.builder().baseUrl(service.baseUrl() + "/v1").apiKey("sb-key").maxRetries(0)
                .timeout(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        service.close();
        primary.close();
        backup.close();
    }

    @BeforeEach
    void reset() {
        primary.reset();
        backup.reset();
    }

    static EmbeddingCreateParams embed(String model, List<String> inputs) {
        return EmbeddingCreateParams.builder().model(model).inputOfArrayOfStrings(inputs).build();
    }

    @Test
    void anOpenAiCompatibleUpstreamEmbedsThroughTheSdk() {
        CreateEmbeddingResponse r = client.embeddings().create(embed("text-embedding-3-small", List.of("a lighthouse", "a storm")));

        assertThat(r.data()).hasSize(2);
        assertThat(r.data().get(0).embedding()).isNotEmpty();
        assertThat(r.data().get(0).embedding()).isNotEqualTo(r.data().get(1).embedding());
        JsonNode sent = primary.embeddingRequests().getFirst().json();
        assertThat(sent.path("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(sent.path("input")).isEqualTo(Json.mapper().valueToTree(List.of("a lighthouse", "a storm")));
        assertThat(primary.requests().getLast().headers()).containsEntry("authorization", "Bearer sk-up");
    }

    @Test
    void aFailingEmbeddingModelFallsBackAndEveryCallIsRecorded() {
        long before = errors();
        primary.enqueue(Fault.openAiError(500, "embedding backend down", "server_error", null, Map.of()));
        primary.enqueue(Fault.openAiError(500, "embedding backend down", "server_error", null, Map.of()));

        CreateEmbeddingResponse r = client.embeddings().create(embed("text-embedding-3-small", List.of("fallback please")));

        assertThat(r.data()).hasSize(1);
        assertThat(primary.embeddingRequests()).as("the try and one retry").hasSize(2);
        assertThat(backup.embeddingRequests()).hasSize(1);
        service.manager().feedback().monitor().flush(Duration.ofSeconds(5));
        JsonNode small = json(service.get("/api/v1/models/performance/text-embedding-3-small?timeframe_hours=1"));
        JsonNode large = json(service.get("/api/v1/models/performance/text-embedding-3-large?timeframe_hours=1"));
        assertThat(small.get("total_errors").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(large.get("total_requests").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(errors()).isEqualTo(before + 2);
    }

    @Test
    void aChatModelDoesNotEmbedAndSaysSo() {
        assertThatThrownBy(() -> client.embeddings().create(embed("gpt-4o-mini", List.of("x"))))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("lacks embeddings");
        assertThat(primary.embeddingRequests()).isEmpty();
    }

    @Test
    void theCatalogSaysWhichModelsEmbed() {
        JsonNode models = json(service.get("/v1/models")).get("data");
        assertThat(models).anySatisfy(m -> {
            assertThat(m.get("id").asText()).isEqualTo("text-embedding-3-small");
            assertThat(m.get("capabilities").toString()).isEqualTo("[\"embeddings\"]");
        });
        assertThat(models).anySatisfy(m -> {
            assertThat(m.get("id").asText()).isEqualTo("gpt-4o-mini");
            assertThat(m.get("capabilities").toString()).doesNotContain("embeddings");
        });
    }

    private static long errors() {
        service.manager().feedback().monitor().flush(Duration.ofSeconds(5));
        return json(service.get("/api/v1/models/performance?timeframe_hours=1")).get("total_errors").asLong();
    }

    private static JsonNode json(java.net.http.HttpResponse<String> r) {
        try {
            return Json.mapper().readTree(r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
