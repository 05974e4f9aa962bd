package dev.switchboard.provider.lmstudio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.FinishReason;
import dev.switchboard.model.Message;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.StreamSink;
import dev.switchboard.provider.Health;
import dev.switchboard.provider.ModelFilter;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.testkit.MockLmStudioServer;
import dev.switchboard.testkit.MockLmStudioServer.Model;
import dev.switchboard.testkit.MockLmStudioServer.NativeApi;
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
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The LM Studio provider against a local LM Studio over real HTTP: native catalog, loading state, chat through /v1. */
class LmStudioProviderTest {
    static final String LLAMA = "meta-llama-3.1-8b-instruct";
    static final String QWEN = "qwen2.5-7b-instruct";
    static final String VISION = "qwen2-vl-7b-instruct";
    static final String EMBED = "text-embedding-nomic-embed-text-v1.5";
    private static MockLmStudioServer lmStudio;
    private LmStudioProvider provider;

    @BeforeAll
    static void startLmStudio() {
        lmStudio = MockLmStudioServer.start(null,
                Model.embeddings(EMBED),
                Model.llm(LLAMA),
                Model.vlm(VISION),
                Model.llm(QWEN).loaded(true).quantization("Q8_0").maxContextLength(32768).capabilities("tool_use"));
    }

    @AfterAll
    static void stopLmStudio() {
        lmStudio.close();
    }

    @BeforeEach
    void fresh() {
        lmStudio.reset();
        lmStudio.replyWith(prompt -> "echo: " + prompt);
    }

    @AfterEach
    void close() {
        if (provider != null) {
            provider.close();
        }
    }

    private LmStudioProvider connect() {
        provider = LmStudios.connect(lmStudio.baseUrl(), null);
        return provider;
    }

    private ModelInfo listed(String id) {
        return provider.availableModels(ModelFilter.NONE).stream().filter(m -> m.modelId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " is not listed"));
    }

    private List<String> paths() {
        return lmStudio.requests().stream().map(MockOpenAiServer.Recorded::path).toList();
    }

    // --- catalog -------------------------------------------------------------------------------------

    @Test
    void theCatalogComesFromTheNativeListWithLoadingStateAndDetails() {
        connect();

        ModelInfo qwen = listed(QWEN);
        assertThat(qwen.providerType()).isEqualTo(ProviderType.LM_STUDIO);
        assertThat(qwen.provider()).isEqualTo("lm_studio");
        assertThat(qwen.loaded()).isTrue();
        assertThat(qwen.contextLength()).isEqualTo(32768);
        assertThat(qwen.capabilities()).as("every language model takes JSON Schema output; tool_use is listed")
                .containsExactly("chat", "json_mode", "json_schema", "tool_calling");
        assertThat(qwen.details()).containsEntry("type", "llm").containsEntry("quantization", "Q8_0")
                .containsEntry("publisher", "lmstudio-community").containsEntry("arch", "llama")
                .containsEntry("compatibility_type", "gguf");

        ModelInfo llama = listed(LLAMA);
        assertThat(llama.loaded()).isFalse();
        assertThat(llama.contextLength()).isEqualTo(131072);
        assertThat(llama.details()).containsEntry("quantization", "Q4_K_M");

        ModelInfo vision = listed(VISION);
        assertThat(vision.capabilities()).containsExactly("chat", "vision", "json_mode", "json_schema");
        assertThat(listed(LLAMA).capabilities()).as("no tool_use listed: no tool calling").doesNotContain("tool_calling");
        assertThat(vision.details()).containsEntry("type", "vlm").containsEntry("compatibility_type", "mlx")
                .containsEntry("quantization", "4bit");

        ModelInfo embed = listed(EMBED);
        assertThat(embed.capabilities()).containsExactly("embeddings").doesNotContain("chat");
        assertThat(embed.contextLength()).isEqualTo(2048);

        assertThat(provider.availableModels(ModelFilter.NONE)).allSatisfy(m -> {
            assertThat(m.isFree()).isTrue();
            assertThat(m.costPerToken()).isZero();
        });
        assertThat(provider.freeModels()).hasSize(4);
        assertThat(paths()).containsExactly("/api/v0/models");
        assertThat(provider.status().healthy()).isTrue();
    }

    @Test
    void loadedChatModelsAreListedFirstAndModelsThatCannotChatLast() {
        connect();

        assertThat(provider.availableModels(ModelFilter.NONE)).extracting(ModelInfo::modelId)
                .containsExactly(QWEN, LLAMA, VISION, EMBED);
        ModelFilter chatOnly = new ModelFilter(false, null, null, List.of("chat"));
        assertThat(provider.availableModels(chatOnly)).extracting(ModelInfo::modelId).doesNotContain(EMBED);
    }

    @ParameterizedTest
    @EnumSource(value = NativeApi.class, names = {"NOT_FOUND", "UNEXPECTED_ENDPOINT"})
    void anLmStudioWithoutApiV0IsListedFromV1Models(NativeApi oldVersion) {
        lmStudio.nativeApi(oldVersion);
        connect();

        List<ModelInfo> models = provider.availableModels(ModelFilter.NONE);

        assertThat(models).extracting(ModelInfo::modelId).contains(LLAMA, QWEN, VISION, EMBED);
        assertThat(models).allSatisfy(m -> {
            assertThat(m.loaded()).as("loaded state of " + m.modelId()).isNull();
            assertThat(m.isFree()).isTrue();
            assertThat(m.costPerToken()).isZero();
            assertThat(m.providerType()).isEqualTo(ProviderType.LM_STUDIO);
        });
        assertThat(listed(LLAMA).capabilities()).containsExactly("chat");
        assertThat(listed(EMBED).capabilities()).containsExactly("embeddings");
        assertThat(models.getLast().modelId()).isEqualTo(EMBED);
        assertThat(paths()).containsExactly("/api/v0/models", "/v1/models");
        assertThat(provider.healthCheck().healthy()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/v1", "/v1/"})
    void theBaseUrlWorksWithOrWithoutV1(String suffix) {
        provider = LmStudios.connect(lmStudio.baseUrl() + suffix, null);

        ChatResponse r = provider.load(QWEN, Map.of()).generate(ChatRequest.builder().prompt("ping").build());

        assertThat(r.text()).isEqualTo("echo: ping");
        assertThat(paths()).startsWith("/api/v0/models").endsWith("/v1/chat/completions");
        assertThat(provider.status().endpoint()).isEqualTo(lmStudio.baseUrl());
    }

    @Test
    void withoutABaseUrlItLooksForLmStudioOnItsDefaultPort() {
        provider = LmStudios.connect("request_timeout_seconds: 2\nconnect_timeout_seconds: 2\n");

        assertThat(provider.status().endpoint()).isEqualTo("http://localhost:1234");
        assertThat(provider.status().initialized()).isTrue();
    }

    // --- chat through /v1 ----------------------------------------------------------------------------

    @Test
    void generateSendsOpenAiChatToV1AndMapsTheAnswer() {
        connect();
        ChatRequest request = ChatRequest.builder()
                .message(Message.system("Always answer in rhymes."))
                .message(Message.user("Introduce yourself."))
                .maxTokens(64).temperature(0.7).build();

        ChatResponse r = provider.load(QWEN, Map.of()).generate(request);

        assertThat(r.text()).isEqualTo("echo: Introduce yourself.");
        assertThat(r.modelId()).isEqualTo(QWEN);
        assertThat(r.provider()).isEqualTo("lm_studio");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.usage().completionTokens()).isEqualTo(3);
        MockOpenAiServer.Recorded sent = lmStudio.chatRequests().getFirst();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        JsonNode json = sent.json();
        assertThat(json.path("model").asText()).isEqualTo(QWEN);
        assertThat(json.path("messages")).hasSize(2);
        assertThat(json.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(json.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(json.has("stream") && json.path("stream").asBoolean()).isFalse();
    }

    @Test
    void streamDeliversTokensInOrderWithUsage() {
        connect();
        lmStudio.replyWith(p -> "Greetings, I rhyme in time");
        List<String> tokens = new ArrayList<>();

        ChatResponse r = provider.load(QWEN, Map.of()).stream(ChatRequest.builder().prompt("go").build(), StreamSink.text(tokens::add));

        assertThat(tokens).containsExactly("Greetings,", " I", " rhyme", " in", " time");
        assertThat(r.text()).isEqualTo("Greetings, I rhyme in time");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.usage().completionTokens()).isEqualTo(5);
        JsonNode sent = lmStudio.chatRequests().getFirst().json();
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void aModelThatIsNotLoadedCanBeChattedWith() {
        connect();
        assertThat(listed(LLAMA).loaded()).isFalse();

        ChatResponse r = provider.load(LLAMA, Map.of()).generate(ChatRequest.builder().prompt("wake up").build());

        assertThat(r.text()).isEqualTo("echo: wake up");
    }

    // --- authentication ------------------------------------------------------------------------------

    @Test
    void withoutAnApiKeyNoAuthorizationHeaderIsSent() {
        connect();
        provider.load(QWEN, Map.of()).generate(ChatRequest.builder().prompt("hi").build());
        provider.load(QWEN, Map.of()).stream(ChatRequest.builder().prompt("hi").build(), t -> { });

        assertThat(lmStudio.requests()).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(r -> assertThat(r.headers()).doesNotContainKey("authorization"));
    }

    @Test
    void aConfiguredApiKeyAndExtraHeadersAreSentOnEveryRequest() {
        try (MockLmStudioServer secured = MockLmStudioServer.start(LmStudios.TOKEN, Model.llm(LLAMA).loaded(true))) {
            provider = LmStudios.connect("base_url: " + secured.baseUrl() + "\napi_key: \"" + LmStudios.TOKEN + "\"\n"
                    + "headers:\n  X-Client: switchboard-tests\n");

            assertThat(listed(LLAMA).loaded()).isTrue();
            provider.load(LLAMA, Map.of()).generate(ChatRequest.builder().prompt("hi").build());
            provider.load(LLAMA, Map.of()).stream(ChatRequest.builder().prompt("hi").build(), t -> { });

            assertThat(secured.requests()).extracting(MockOpenAiServer.Recorded::path)
                    .contains("/api/v0/models", "/v1/chat/completions");
            assertThat(secured.requests()).allSatisfy(r -> assertThat(r.headers())
                    .containsEntry("authorization", "Bearer " + LmStudios.TOKEN)
                    .containsEntry("x-client", "switchboard-tests"));
        }
    }

    // --- loading state stays current -----------------------------------------------------------------

    @Test
    void aChatLoadsTheModelAndTheListingShowsIt() {
        connect();
        assertThat(listed(LLAMA).loaded()).isFalse();

        provider.load(LLAMA, Map.of()).generate(ChatRequest.builder().prompt("first use").build());

        assertThat(lmStudio.isLoaded(LLAMA)).isTrue();
        assertThat(listed(LLAMA).loaded()).isTrue();
        assertThat(provider.availableModels(ModelFilter.NONE).getFirst().loaded()).isTrue();
    }

    @Test
    void aStreamedChatLoadsTheModelAndTheListingShowsIt() {
        connect();
        ModelInstance vision = provider.load(VISION, Map.of());
        assertThat(listed(VISION).loaded()).isFalse();

        vision.stream(ChatRequest.builder().prompt("look").build(), t -> { });

        assertThat(listed(VISION).loaded()).isTrue();
    }

    @Test
    void theHealthProbeBringsLoadingStatesUpToDate() {
        connect();
        assertThat(listed(QWEN).loaded()).isTrue();
        lmStudio.setLoaded(QWEN, false).setLoaded(LLAMA, true); // LM Studio's idle TTL, then `lms load`

        Health h = provider.healthCheck();

        assertThat(h.healthy()).isTrue();
        assertThat(h.detail()).contains("4 models").contains("1 loaded");
        assertThat(listed(QWEN).loaded()).isFalse();
        assertThat(listed(LLAMA).loaded()).isTrue();
        assertThat(provider.availableModels(ModelFilter.NONE).getFirst().modelId()).isEqualTo(LLAMA);
    }

    @Test
    void loadingAndUnloadingThroughSwitchboardRefreshesTheListing() {
        connect();
        lmStudio.setLoaded(VISION, true);

        provider.load(VISION, Map.of());
        assertThat(listed(VISION).loaded()).isTrue();

        lmStudio.setLoaded(VISION, false);
        assertThat(provider.unload(VISION)).isTrue();
        assertThat(listed(VISION).loaded()).isFalse();
    }

    @Test
    void aModelDeletedFromLmStudioLeavesTheListingAfterItsNotFound() {
        connect();
        ModelInstance llama = provider.load(LLAMA, Map.of());
        lmStudio.remove(LLAMA).enqueue(lmStudio.modelNotFound(LLAMA));

        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> llama.generate(ChatRequest.builder().prompt("hi").build()));

        assertThat(t).isInstanceOf(ModelFailure.Unavailable.class).hasMessageContaining("not found");
        assertThat(provider.availableModels(ModelFilter.NONE)).extracting(ModelInfo::modelId).doesNotContain(LLAMA);
    }
}
