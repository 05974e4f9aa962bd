package dev.switchboard.provider.openai;

import static dev.switchboard.provider.openai.Upstreams.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.FinishReason;
import dev.switchboard.model.Message;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ModelStatus;
import dev.switchboard.model.OutputShape;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.ResponseFormat;
import dev.switchboard.model.Sampling;
import dev.switchboard.model.StreamSink;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.provider.ModelFilter;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.MockOpenAiServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code custom_api} OpenAI-compatible provider against a real HTTP upstream: catalog, requests, streaming. */
class OpenAiCompatibleProviderTest {
    private static MockOpenAiServer upstream;
    private OpenAiCompatibleProvider provider;

    @BeforeAll
    static void startUpstream() {
        upstream = MockOpenAiServer.start(KEY, "gpt-4o-mini", "llama3.2:3b", "x/y:free");
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @BeforeEach
    void fresh() {
        upstream.reset();
        upstream.replyWith(prompt -> "echo: " + prompt);
    }

    @AfterEach
    void close() {
        if (provider != null) {
            provider.close();
        }
    }

    private ModelInstance model(String id) {
        if (provider == null) {
            provider = Upstreams.connect(upstream.baseUrl());
        }
        return provider.load(id, Map.of());
    }

    // --- catalog -------------------------------------------------------------------------------------

    @Test
    void catalogComesFromV1Models() {
        provider = Upstreams.connect(upstream.baseUrl());

        List<ModelInfo> models = provider.availableModels(ModelFilter.NONE);

        assertThat(models).extracting(ModelInfo::modelId).containsExactly("gpt-4o-mini", "llama3.2:3b", "x/y:free");
        assertThat(models).allSatisfy(m -> {
            assertThat(m.provider()).isEqualTo("mock");
            assertThat(m.providerType()).isEqualTo(ProviderType.CUSTOM_API);
            assertThat(m.key()).isEqualTo("mock:" + m.modelId());
        });
        MockOpenAiServer.Recorded list = upstream.requests().getFirst();
        assertThat(list.method()).isEqualTo("GET");
        assertThat(list.path()).isEqualTo("/v1/models");
        assertThat(list.headers()).containsEntry("authorization", "Bearer " + KEY);
        assertThat(provider.status().healthy()).isTrue();
        assertThat(provider.status().availableModelsCount()).isEqualTo(3);
    }

    @Test
    void aStaticModelListIsServedWithoutAModelsEndpoint() {
        try (MockOpenAiServer bare = MockOpenAiServer.start(null, "qwen2.5-7b", "phi-4").withoutModelsEndpoint()) {
            provider = Upstreams.connect(bare.baseUrl(), null, List.of("qwen2.5-7b", "phi-4"), 10, Map.of());

            assertThat(provider.availableModels(ModelFilter.NONE)).extracting(ModelInfo::modelId)
                    .containsExactly("qwen2.5-7b", "phi-4");
            assertThat(bare.requests()).noneMatch(r -> r.path().endsWith("/models"));
            assertThat(provider.load("phi-4", Map.of()).generate(ChatRequest.builder().prompt("hi").build()).text())
                    .isEqualTo("echo: hi");
            assertThat(provider.healthCheck().healthy()).isTrue();
            assertThat(bare.chatRequests().getFirst().headers()).doesNotContainKey("authorization");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/v1", "/v1/", "//"})
    void theBaseUrlWorksWithOrWithoutV1(String suffix) {
        provider = Upstreams.connect(upstream.baseUrl() + suffix);

        assertThat(provider.availableModels(ModelFilter.NONE)).hasSize(3);
        ChatResponse r = provider.load("gpt-4o-mini", Map.of()).generate(ChatRequest.builder().prompt("ping").build());

        assertThat(r.text()).isEqualTo("echo: ping");
        assertThat(upstream.requests()).extracting(MockOpenAiServer.Recorded::path)
                .containsExactly("/v1/models", "/v1/chat/completions");
    }

    @Test
    void loadingAModelTheUpstreamDoesNotOfferIsAnUnknownModel() {
        provider = Upstreams.connect(upstream.baseUrl());
        assertThatThrownBy(() -> provider.load("gpt-5-ultra", Map.of()))
                .isInstanceOf(UnknownModelException.class)
                .hasMessageContaining("gpt-5-ultra")
                .hasMessageContaining("mock");
    }

    @Test
    void loadedModelsAreListedInStatusUntilUnloaded() {
        ModelInstance m = model("llama3.2:3b");

        assertThat(m.status()).isEqualTo(ModelStatus.READY);
        assertThat(provider.status().loadedModels()).containsExactly("llama3.2:3b");
        assertThat(provider.unload("llama3.2:3b")).isTrue();
        assertThat(provider.unload("llama3.2:3b")).isFalse();
        assertThat(provider.status().loadedModels()).isEmpty();
    }

    // --- non-streamed generation ---------------------------------------------------------------------

    @Test
    void generateSendsOpenAiChatCompletionJson() {
        provider = Upstreams.connect(upstream.baseUrl(), KEY, List.of(), 10, Map.of("HTTP-Referer", "https://tta.example"));
        ChatRequest request = ChatRequest.builder()
                .message(Message.system("You are a guide."))
                .message(Message.user("Where am I?"))
                .message(Message.assistant("In a forest."))
                .message(Message.user("What now?"))
                .maxTokens(64).temperature(0.3).topP(0.9).stop(List.of("END", "\n\n"))
                .sampling(new Sampling(0.3, 0.9, null, 42L, null, null))
                .output(new OutputShape(null, null, null, ResponseFormat.JSON_OBJECT))
                .build();

        provider.load("x/y:free", Map.of()).generate(request);

        MockOpenAiServer.Recorded sent = upstream.chatRequests().getFirst();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.headers()).containsEntry("authorization", "Bearer " + KEY)
                .containsEntry("http-referer", "https://tta.example");
        assertThat(sent.headers().get("content-type")).startsWith("application/json");
        JsonNode json = sent.json();
        assertThat(json.path("model").asText()).isEqualTo("x/y:free");
        assertThat(json.path("messages")).hasSize(4);
        List<String> roles = new ArrayList<>();
        List<String> contents = new ArrayList<>();
        json.path("messages").forEach(m -> {
            roles.add(m.path("role").asText());
            contents.add(m.path("content").asText());
        });
        assertThat(roles).containsExactly("system", "user", "assistant", "user");
        assertThat(contents).containsExactly("You are a guide.", "Where am I?", "In a forest.", "What now?");
        assertThat(json.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(json.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(json.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(json.path("stop").toString()).isEqualTo("[\"END\",\"\\n\\n\"]");
        assertThat(json.path("seed").asLong()).isEqualTo(42);
        assertThat(json.path("response_format").path("type").asText()).isEqualTo("json_object");
        assertThat(json.has("stream") && json.path("stream").asBoolean()).isFalse();
    }

    @Test
    void unsetKnobsAreLeftOutSoTheUpstreamDefaultsApply() {
        model("gpt-4o-mini").generate(ChatRequest.builder().prompt("hi").build());

        JsonNode json = upstream.chatRequests().getFirst().json();
        assertThat(json.has("max_tokens")).isFalse();
        assertThat(json.has("temperature")).isFalse();
        assertThat(json.has("top_p")).isFalse();
        assertThat(json.has("stop")).isFalse();
    }

    @Test
    void generateMapsTextUsageAndFinishReason() {
        ChatResponse r = model("gpt-4o-mini").generate(ChatRequest.builder().prompt("hello world").build());

        assertThat(r.text()).isEqualTo("echo: hello world");
        assertThat(r.modelId()).isEqualTo("gpt-4o-mini");
        assertThat(r.provider()).isEqualTo("mock");
        assertThat(r.id()).startsWith("chatcmpl-");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.usage().completionTokens()).isEqualTo(3); // "echo:", " hello", " world"
        assertThat(r.usage().promptTokens()).isPositive();
        assertThat(r.usage().totalTokens()).isEqualTo(r.usage().promptTokens() + 3);
    }

    @Test
    void aLengthCutOffIsReportedAsLength() {
        upstream.enqueue(Fault.finishWith("length"));
        ChatResponse r = model("gpt-4o-mini").generate(ChatRequest.builder().prompt("tell me a long story").maxTokens(5).build());

        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.text()).isEqualTo("echo: tell me a long story");
    }

    // --- streaming -----------------------------------------------------------------------------------

    @Test
    void streamDeliversTokensInOrderAndReassemblesTheText() {
        upstream.replyWith(p -> "The quick brown fox jumps");
        List<String> tokens = new ArrayList<>();

        ChatResponse r = model("gpt-4o-mini").stream(ChatRequest.builder().prompt("go").stream(true).build(), StreamSink.text(tokens::add));

        assertThat(tokens).containsExactly("The", " quick", " brown", " fox", " jumps");
        assertThat(r.text()).isEqualTo("The quick brown fox jumps");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.id()).startsWith("chatcmpl-");
        assertThat(r.modelId()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void streamAsksForUsageAndReadsItFromTheFinalChunk() {
        upstream.replyWith(p -> "one two three");

        ChatResponse r = model("gpt-4o-mini").stream(ChatRequest.builder().prompt("count").build(), t -> { });

        JsonNode sent = upstream.chatRequests().getFirst().json();
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(upstream.chatRequests().getFirst().headers().get("accept")).contains("text/event-stream");
        assertThat(r.usage().completionTokens()).isEqualTo(3);
        assertThat(r.usage().promptTokens()).isPositive();
        assertThat(r.usage().totalTokens()).isEqualTo(r.usage().promptTokens() + 3);
    }

    @Test
    void keepAliveCommentsAreNotText() {
        upstream.enqueue(Fault.keepAliveComments());
        upstream.replyWith(p -> "still here");
        List<String> tokens = new ArrayList<>();

        ChatResponse r = model("gpt-4o-mini").stream(ChatRequest.builder().prompt("wait").build(), StreamSink.text(tokens::add));

        assertThat(tokens).containsExactly("still", " here");
        assertThat(r.text()).isEqualTo("still here").doesNotContain("OPENROUTER");
    }

    @Test
    void multiByteTextSurvivesStreaming() {
        String answer = "héllo wörld — 你好 🎉 ok";
        upstream.replyWith(p -> answer);
        StringBuilder seen = new StringBuilder();

        ChatResponse r = model("gpt-4o-mini").stream(ChatRequest.builder().prompt("unicode").build(), StreamSink.text(seen::append));

        assertThat(seen.toString()).isEqualTo(answer);
        assertThat(r.text()).isEqualTo(answer);
    }

    @Test
    void aStreamedLengthCutOffIsReportedAsLength() {
        upstream.enqueue(Fault.finishWith("length"));
        ChatResponse r = model("gpt-4o-mini").stream(ChatRequest.builder().prompt("long").build(), t -> { });
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.text()).isEqualTo("echo: long");
    }

    @Test
    void aLongAnswerStreamsCompletely() {
        String answer = java.util.stream.IntStream.range(0, 2000).mapToObj(i -> "w" + i).collect(java.util.stream.Collectors.joining(" "));
        upstream.replyWith(p -> answer);
        List<String> tokens = new ArrayList<>();

        ChatResponse r = model("gpt-4o-mini").stream(ChatRequest.builder().prompt("essay").build(), StreamSink.text(tokens::add));

        assertThat(tokens).hasSize(2000);
        assertThat(tokens.getLast()).isEqualTo(" w1999");
        assertThat(r.text()).isEqualTo(answer);
        assertThat(r.usage().completionTokens()).isEqualTo(2000);
    }

    @Test
    void concurrentStreamsOnOneInstanceDoNotMixTheirAnswers() throws Exception {
        upstream.replyWith(p -> p + " " + p + " " + p);
        ModelInstance m = model("gpt-4o-mini");
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<String[]>> results = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String prompt = "caller" + i;
                results.add(pool.submit(() -> {
                    StringBuilder seen = new StringBuilder();
                    ChatResponse r = m.stream(ChatRequest.builder().prompt(prompt).build(), StreamSink.text(seen::append));
                    return new String[] {prompt, seen.toString(), r.text()};
                }));
            }
            for (var f : results) {
                String[] r = f.get();
                String expected = r[0] + " " + r[0] + " " + r[0];
                assertThat(r[1]).isEqualTo(expected);
                assertThat(r[2]).isEqualTo(expected);
            }
        }
    }

    @Test
    void theSameInstanceServesManyRequestsAndCountsThem() {
        ModelInstance m = model("gpt-4o-mini");
        for (int i = 0; i < 3; i++) {
            assertThat(m.generate(ChatRequest.builder().prompt("n" + i).build()).text()).isEqualTo("echo: n" + i);
        }
        assertThat(m.stream(ChatRequest.builder().prompt("s").build(), t -> { }).text()).isEqualTo("echo: s");
        assertThat(m.metrics()).containsEntry("requests", 4L).containsEntry("failures", 0L);
    }

    @Test
    void manyStreamsInARowReuseConnectionsWithoutErrors() throws Exception {
        // Regression: closing a finished stream used to cancel its exchange and kill the pooled connection,
        // so the next request on it failed with "header parser received no bytes".
        upstream.replyWith(p -> "short answer " + p);
        ModelInstance m = model("gpt-4o-mini");
        int callers = 16;
        int each = 40;
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < callers; c++) {
                int caller = c;
                pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        try {
                            String prompt = caller + "-" + i;
                            ChatResponse r = m.stream(ChatRequest.builder().prompt(prompt).build(), t -> { });
                            if (!r.text().equals("short answer " + prompt)) {
                                failures.add("wrong text: " + r.text());
                            }
                        } catch (RuntimeException e) {
                            failures.add(e.getMessage());
                        }
                    }
                });
            }
        }
        assertThat(failures).isEmpty();
        long connections = upstream.chatRequests().stream().map(MockOpenAiServer.Recorded::remotePort).distinct().count();
        assertThat(connections).as("connections for %d streams", callers * each).isLessThan(callers * each / 4);
    }

    @Test
    void aStreamAnsweredWithPlainJsonIsDeliveredAsOneChunk() {
        upstream.enqueue(Fault.ignoreStream());
        List<String> tokens = new ArrayList<>();
        ChatResponse r = model("gpt-4o-mini").stream(ChatRequest.builder().prompt("whole").build(), StreamSink.text(tokens::add));
        assertThat(tokens).containsExactly("echo: whole");
        assertThat(r.text()).isEqualTo("echo: whole");
        assertThat(r.usage().totalTokens()).isPositive();
    }
}
