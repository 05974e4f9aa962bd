package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.switchboard.local.DemoModel;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo model served in-process by llama.cpp, through the seed's REST API and through the official OpenAI SDK. */
class LocalModelApiTest {
    static Path models;
    static TestService service;
    static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        models = Files.createTempDirectory("switchboard-models");
        DemoModel.writeTo(models);
        service = TestService.start("""
                model_management:
                  default_provider: local
                  health_check_interval_seconds: 3600
                  providers:
                    local:
                      models_cache_dir: "%s"
                server:
                  api_keys: [sb-local-key]
                """.formatted(models));
        service.withKey("sb-local-key");
        client = OpenAIOkHttpClient.builder().baseUrl(service.baseUrl() + "/v1").apiKey("sb-local-key")
                .maxRetries(0).timeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        service.close();
        try (var files = Files.list(models)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(models);
    }

    static final String ABC = """
            {"prompt":"abc","model_id":"local:switchboard-demo","max_tokens":10,"temperature":0%s}""";

    @Test
    void restGenerate() {
        HttpResponse<String> r = service.post("/api/v1/models/generate", ABC.formatted(""));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = RestApiTest.json(r);
        assertThat(body.get("text").asText()).isEqualTo("defghijklm");
        assertThat(body.get("model_id").asText()).isEqualTo("switchboard-demo");
        assertThat(body.get("provider").asText()).isEqualTo("local");
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(5);
        assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(10);
    }

    @Test
    void restGenerateStreams() {
        HttpResponse<String> r = service.post("/api/v1/models/generate", ABC.formatted(",\"stream\":true"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        List<String> tokens = new ArrayList<>();
        JsonNode done = null;
        String event = null;
        for (String line : r.body().split("\n")) {
            if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ")) {
                JsonNode data = RestApiTest.parse(line.substring(6));
                if ("token".equals(event)) {
                    tokens.add(data.get("text").asText());
                } else if ("done".equals(event)) {
                    done = data;
                }
            }
        }
        assertThat(String.join("", tokens)).isEqualTo("defghijklm");
        assertThat(tokens).hasSize(10);
        assertThat(done).isNotNull();
        assertThat(done.get("text").asText()).isEqualTo("defghijklm");
        assertThat(done.get("usage").get("completion_tokens").asInt()).isEqualTo(10);
    }

    @Test
    void restListsTheDemoModel() {
        JsonNode models = RestApiTest.json(service.get("/api/v1/models")).get("models");
        assertThat(models).anySatisfy(m -> {
            assertThat(m.get("model_id").asText()).isEqualTo("switchboard-demo");
            assertThat(m.get("provider_type").asText()).isEqualTo("local");
            assertThat(m.get("context_length").asInt()).isEqualTo(4096);
            assertThat(m.get("is_free").asBoolean()).isTrue();
        });
    }

    static ChatCompletionCreateParams abc() {
        return ChatCompletionCreateParams.builder().model("local:switchboard-demo").addUserMessage("abc")
                .maxCompletionTokens(10).temperature(0.0).build();
    }

    @Test
    void openAiSdkCompletion() {
        ChatCompletion c = client.chat().completions().create(abc());
        c.validate();
        assertThat(c.choices().getFirst().message().content()).hasValue("defghijklm");
        assertThat(c.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(c.usage()).hasValueSatisfying(u -> {
            assertThat(u.promptTokens()).isEqualTo(5);
            assertThat(u.completionTokens()).isEqualTo(10);
        });
    }

    @Test
    void openAiSdkStreaming() {
        List<String> pieces = new ArrayList<>();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletionCreateParams p = abc().toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(p)) {
            stream.stream().forEach(chunk -> {
                chunk.validate();
                chunks.add(chunk);
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(pieces::add));
            });
        }
        assertThat(String.join("", pieces)).isEqualTo("defghijklm");
        assertThat(pieces.stream().filter(s -> !s.isEmpty()).toList()).hasSize(10);
        assertThat(chunks.getLast().usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isEqualTo(10));
    }

    @Test
    void openAiSdkListsTheDemoModel() {
        assertThat(client.models().list().data().stream().map(Model::id).toList()).contains("switchboard-demo");
    }
}
