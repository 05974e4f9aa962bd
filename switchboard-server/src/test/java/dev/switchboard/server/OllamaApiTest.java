package dev.switchboard.server;

import static dev.switchboard.server.RestApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.switchboard.json.Json;
import dev.switchboard.testkit.MockOllamaServer;
import dev.switchboard.testkit.MockOllamaServer.Model;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ollama behind a real Switchboard: listings, status, load/unload, pull as SSE, delete, embeddings, chat. */
class OllamaApiTest {
    static final String LLAMA = "llama3.2:3b";
    static final String EMBED = "nomic-embed-text:latest";
    static MockOllamaServer ollama;
    static TestService service;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        ollama = MockOllamaServer.start(Model.chat(LLAMA), Model.embedding(EMBED))
                .pullable(Model.chat("qwen2.5:0.5b"), Model.chat("gemma3:1b"), Model.chat("phi4-mini:latest"),
                        Model.embedding("mxbai-embed-large:latest"))
                .pullTakes(Duration.ofMillis(500), 10)
                .reply("Hello from the mock Ollama");
        service = TestService.start("""
                model_management:
                  default_provider: ollama
                  cache_ttl_seconds: 3600
                  health_check_interval_seconds: 3600
                  selection_strategy: {trusted_providers: [ollama]}
                  providers:
                    ollama:
                      base_url: %s
                      use_docker: false
                      keep_alive: 30m
                      request_timeout_seconds: 10
                """.formatted(ollama.baseUrl()));
        client = OpenAIOkHttpClient.builder().baseUrl(service.baseUrl() + "/v1").apiKey("unused").maxRetries(0)
                .timeout(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        service.close();
        ollama.close();
    }

    private static JsonNode parse(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(text, e);
        }
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
    void listingsAndStatusShowWhatOllamaHasLoaded() {
        ollama.setRunning(EMBED, Duration.ofMinutes(5));
        service.manager().checkHealth();
        JsonNode embed = model(EMBED);
        assertThat(embed.get("provider_type").asText()).isEqualTo("ollama");
        assertThat(embed.get("loaded").asBoolean()).isTrue();
        assertThat(embed.get("context_length").asInt()).isEqualTo(2048);
        assertThat(embed.path("details").path("size_vram").asText()).isNotEmpty();
        assertThat(embed.path("details").path("expires_at").asText()).isNotEmpty();
        assertThat(embed.path("details").path("parameter_size").asText()).isEqualTo("137M");
        JsonNode status = json(service.get("/api/v1/models/status")).path("providers").path("ollama");
        assertThat(status.path("healthy").asBoolean()).isTrue();
        assertThat(status.path("loaded_models").toString()).contains(EMBED);
    }

    @Test
    void loadAndUnloadThroughTheSeedPaths() {
        HttpResponse<String> r = service.post("/api/v1/models/load/ollama/" + LLAMA, "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(ollama.isRunning(LLAMA)).isTrue();
        assertThat(model(LLAMA).get("loaded").asBoolean()).isTrue();
        r = service.delete("/api/v1/models/unload/" + LLAMA);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("status").asText()).isEqualTo("unloaded");
        assertThat(ollama.isRunning(LLAMA)).isFalse();
        assertThat(ollama.keepAlives()).contains("30m", "0");
    }

    @Test
    void pullStreamsProgressAsSse() {
        HttpResponse<String> r = service.post("/api/v1/models/pull/ollama/qwen2.5:0.5b", "");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        List<String> events = new ArrayList<>();
        List<JsonNode> data = new ArrayList<>();
        String event = null;
        for (String line : r.body().split("\n")) {
            if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ")) {
                events.add(event);
                data.add(parse(line.substring(6)));
            }
        }
        assertThat(events.getFirst()).isEqualTo("progress");
        assertThat(data.getFirst().get("status").asText()).isEqualTo("pulling manifest");
        assertThat(events.getLast()).isEqualTo("done");
        assertThat(data.getLast().get("status").asText()).isEqualTo("success");
        List<JsonNode> downloads = data.stream().filter(d -> d.path("status").asText().startsWith("downloading")).toList();
        assertThat(downloads).hasSize(10);
        assertThat(downloads.getLast().get("percent").asDouble()).isEqualTo(100.0);
        assertThat(downloads.getLast().get("completed").asLong()).isEqualTo(downloads.getLast().get("total").asLong());
        assertThat(data).extracting(d -> d.path("status").asText())
                .contains("verifying sha256 digest", "writing manifest", "success");
        assertThat(model("qwen2.5:0.5b").get("provider").asText()).isEqualTo("ollama");
    }

    @Test
    void pullOfAModelOllamaCannotFindIsAnErrorEvent() {
        HttpResponse<String> r = service.post("/api/v1/models/pull/ollama/no-such-model", "");
        assertThat(r.body()).contains("event: error").contains("file does not exist");
    }

    @Test
    void pullIntoAProviderWithoutAStoreIsA4xx() {
        HttpResponse<String> r = service.post("/api/v1/models/pull/nope/x", "");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("unknown provider");
    }

    @Test
    void deleteRemovesAModelAndAMissingOneIs404() {
        assertThat(service.post("/api/v1/models/pull/ollama/gemma3:1b?stream=false", "").statusCode()).isEqualTo(200);
        assertThat(model("gemma3:1b")).isNotNull();
        HttpResponse<String> r = service.delete("/api/v1/models/ollama/gemma3:1b");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("status").asText()).isEqualTo("deleted");
        assertThat(ollama.has("gemma3:1b")).isFalse();
        r = service.delete("/api/v1/models/ollama/gemma3:1b");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).toString()).contains("not downloaded");
    }

    @Test
    void embeddingsOverRawHttp() {
        HttpResponse<String> r = service.post("/v1/embeddings", """
                {"model": "%s", "input": ["alpha", "beta gamma"]}""".formatted(EMBED));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("object").asText()).isEqualTo("list");
        assertThat(body.get("model").asText()).isEqualTo(EMBED);
        assertThat(body.get("data")).hasSize(2);
        assertThat(body.get("data").get(1).get("object").asText()).isEqualTo("embedding");
        assertThat(body.get("data").get(1).get("index").asInt()).isEqualTo(1);
        double[] expected = MockOllamaServer.embeddingOf("beta gamma");
        assertThat(body.get("data").get(1).get("embedding").get(0).asDouble()).isEqualTo(expected[0]);
        assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(3);
        assertThat(body.path("usage").path("total_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void embeddingsAsBase64() {
        HttpResponse<String> r = service.post("/v1/embeddings", """
                {"model": "ollama:%s", "input": "alpha", "encoding_format": "base64"}""".formatted(EMBED));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        byte[] raw = Base64.getDecoder().decode(json(r).get("data").get(0).get("embedding").asText());
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(raw).hasSize(8 * 4);
        assertThat(b.getFloat(0)).isEqualTo((float) MockOllamaServer.embeddingOf("alpha")[0]);
    }

    @Test
    void embeddingsThroughTheOfficialSdk() {
        CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder()
                .model(EMBED).input("alpha").build());
        assertThat(r.data()).hasSize(1);
        List<Double> v = r.data().getFirst().embedding();
        assertThat(v).hasSize(8);
        assertThat(v.getFirst()).isCloseTo(MockOllamaServer.embeddingOf("alpha")[0], org.assertj.core.data.Offset.offset(1e-6));
        assertThat(r.usage().promptTokens()).isEqualTo(1);

        CreateEmbeddingResponse many = client.embeddings().create(EmbeddingCreateParams.builder()
                .model(EMBED).inputOfArrayOfStrings(List.of("a", "b", "c")).build());
        assertThat(many.data()).extracting(e -> e.index()).containsExactly(0L, 1L, 2L);

        assertThatThrownBy(() -> client.embeddings().create(EmbeddingCreateParams.builder()
                .model(LLAMA + "-missing").input("x").build())).isInstanceOf(com.openai.errors.NotFoundException.class);
    }

    @Test
    void embeddingsBadInputIs4xxJson() {
        assertBad("{\"input\": \"x\"}", 400, "model");
        assertBad("{\"model\": \"" + EMBED + "\"}", 400, "input");
        assertBad("{\"model\": \"" + EMBED + "\", \"input\": []}", 400, "input");
        assertBad("{\"model\": \"" + EMBED + "\", \"input\": [[1, 2, 3]]}", 400, "token arrays");
        assertBad("{\"model\": \"" + EMBED + "\", \"input\": [\"\"]}", 400, "non-empty");
        assertBad("{\"model\": \"" + EMBED + "\", \"input\": \"x\", \"encoding_format\": \"int8\"}", 400, "encoding_format");
        assertBad("{\"model\": \"" + EMBED + "\", \"input\": 42}", 400, "input");
        assertBad("{\"model\": \"nope\", \"input\": \"x\"}", 404, "nope");
        assertBad("not json", 400, "");
    }

    @Test
    void embeddingsFromAModelThatCannotEmbedAre400() {
        // Every Ollama model can be asked; a provider without embeddings keeps the SPI's default answer.
        var instance = new dev.switchboard.provider.ModelInstance() {
            public String modelId() { return "m"; }
            public String provider() { return "p"; }
            public dev.switchboard.model.ModelStatus status() { return dev.switchboard.model.ModelStatus.READY; }
            public dev.switchboard.model.ChatResponse generate(dev.switchboard.model.ChatRequest r) { return null; }
            public dev.switchboard.model.ChatResponse stream(dev.switchboard.model.ChatRequest r, dev.switchboard.model.StreamSink s) { return null; }
            public boolean healthCheck() { return true; }
            public java.util.Map<String, Object> metrics() { return java.util.Map.of(); }
        };
        assertThatThrownBy(() -> instance.embed(List.of("x"))).isInstanceOf(dev.switchboard.model.InvalidRequestException.class)
                .hasMessageContaining("does not support embeddings");
    }

    private static void assertBad(String body, int status, String mentions) {
        HttpResponse<String> r = service.post("/v1/embeddings", body);
        assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(status);
        JsonNode error = json(r).get("error");
        assertThat(error).as(r.body()).isNotNull();
        assertThat(error.get("message").asText()).contains(mentions);
    }

    @Test
    void chatCompletionsStreamFromOllama() {
        HttpResponse<String> r = service.post("/v1/chat/completions", """
                {"model": "ollama:%s", "stream": true, "messages": [{"role": "user", "content": "hi"}]}""".formatted(LLAMA));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Hello ").contains("data: [DONE]");
        HttpResponse<String> plain = service.post("/v1/chat/completions", """
                {"model": "ollama:%s", "messages": [{"role": "user", "content": "hi"}]}""".formatted(LLAMA));
        assertThat(json(plain).at("/choices/0/message/content").asText()).isEqualTo("Hello from the mock Ollama");
        assertThat(json(plain).at("/usage/completion_tokens").asInt()).isEqualTo(5);
    }

    @Test
    void embeddingsFromADeletedModelSayHowToPullIt() {
        assertThat(service.post("/api/v1/models/pull/ollama/mxbai-embed-large:latest?stream=false", "").statusCode()).isEqualTo(200);
        assertThat(service.post("/api/v1/models/load/ollama/mxbai-embed-large:latest", "").statusCode()).isEqualTo(200);
        // removed behind Switchboard's back, as `ollama rm` would
        ollama.remove("mxbai-embed-large:latest");
        HttpResponse<String> r = service.post("/v1/embeddings", "{\"model\": \"ollama:mxbai-embed-large:latest\", \"input\": \"x\"}");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(json(r).at("/error/message").asText()).contains("switchboard pull ollama:mxbai-embed-large:latest");
        assertThat(Json.string(json(service.get("/api/v1/models")))).doesNotContain("mxbai-embed-large");
    }
}
