package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.MockOpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK pointed at Switchboard, as an application would use it. */
class OpenAiSdkTest {
    static MockOpenAiServer upstream;
    static TestService service;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        upstream = MockOpenAiServer.start("sk-upstream", "gpt-4o-mini", "llama3.2:3b");
        service = TestService.start(TestService.endpointYaml("vllm", upstream.baseUrl(), "sk-upstream") + """
                server:
                  api_keys: [sb-client-key]
                """);
        client = OpenAIOkHttpClient.builder()
                .baseUrl(service.baseUrl() + "/v1")
                .apiKey("sb-client-key")
                .maxRetries(0)
                .timeout(Duration.ofSeconds(20))
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        service.close();
        upstream.close();
    }

    static ChatCompletionCreateParams params(String model, String prompt) {
        return ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage("You are a storyteller.")
                .addUserMessage(prompt)
                .maxCompletionTokens(64)
                .temperature(0.3)
                .build();
    }

    @Test
    void nonStreamingCompletion() {
        ChatCompletion c = client.chat().completions().create(params("llama3.2:3b", "Tell me about the lighthouse"));
        assertThat(c.choices()).hasSize(1);
        assertThat(c.choices().getFirst().message().content()).hasValue("echo: Tell me about the lighthouse");
        assertThat(c.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(c.model()).isEqualTo("llama3.2:3b");
        assertThat(c.usage()).hasValueSatisfying(u -> assertThat(u.totalTokens()).isEqualTo(u.promptTokens() + u.completionTokens()));
        // the SDK's strict validation accepts our response shape
        c.validate();
    }

    @Test
    void streamingCompletion() {
        upstream.replyWith(p -> "The lamp turned slowly in the dark");
        List<String> pieces = new ArrayList<>();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletionCreateParams p = params("llama3.2:3b", "go").toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(p)) {
            stream.stream().forEach(chunk -> {
                chunk.validate();
                chunks.add(chunk);
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(pieces::add));
            });
        } finally {
            upstream.replyWith(x -> "echo: " + x);
        }
        assertThat(String.join("", pieces)).isEqualTo("The lamp turned slowly in the dark");
        assertThat(pieces.size()).isGreaterThan(1);
        assertThat(chunks.getLast().usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isEqualTo(7));
    }

    @Test
    void listsModels() {
        // models come in one page; the SDK's autoPager cannot page them (openai-java issue #494)
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertThat(ids).containsExactly("gpt-4o-mini", "llama3.2:3b");
    }

    @Test
    void errorsMapToTheSdksExceptions() {
        assertThatThrownBy(() -> client.chat().completions().create(params("no-such-model", "x")))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no-such-model");
        ChatCompletionCreateParams image = ChatCompletionCreateParams.builder().model("llama3.2:3b")
                .addUserMessageOfArrayOfContentParts(List.of(ChatCompletionContentPart.ofImageUrl(
                        ChatCompletionContentPartImage.builder().imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                .url("https://example.org/cat.png").build()).build())))
                .build();
        assertThatThrownBy(() -> client.chat().completions().create(image))
                .as("a text-only model named explicitly cannot take an image")
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("vision");
        upstream.enqueue(Fault.openAiError(429, "quota", "requests", "rate_limit_exceeded", Map.of("Retry-After", "60")));
        assertThatThrownBy(() -> client.chat().completions().create(params("llama3.2:3b", "x")))
                .isInstanceOf(RateLimitException.class);
        OpenAIClient wrongKey = OpenAIOkHttpClient.builder().baseUrl(service.baseUrl() + "/v1").apiKey("wrong")
                .maxRetries(0).build();
        try {
            assertThatThrownBy(() -> wrongKey.chat().completions().create(params("llama3.2:3b", "x")))
                    .isInstanceOf(UnauthorizedException.class);
        } finally {
            wrongKey.close();
        }
    }
}
