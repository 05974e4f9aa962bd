package dev.switchboard.provider.openrouter;

import static dev.switchboard.provider.openrouter.Routers.AUTO;
import static dev.switchboard.provider.openrouter.Routers.FREE;
import static dev.switchboard.provider.openrouter.Routers.KEY;
import static dev.switchboard.provider.openrouter.Routers.MINI;
import static dev.switchboard.provider.openrouter.Routers.SONNET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.StreamSink;
import dev.switchboard.provider.ModelFilter;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.MockOpenAiServer;
import dev.switchboard.testkit.MockOpenRouterServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The OpenRouter provider against a mock that speaks OpenRouter's wire: catalog, attribution, chat, usage cost. */
class OpenRouterProviderTest {
    private static MockOpenRouterServer upstream;
    @TempDir
    Path home;
    private OpenRouterProvider provider;

    @BeforeAll
    static void startUpstream() {
        upstream = Routers.upstream();
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @BeforeEach
    void fresh() {
        upstream.reset();
        upstream.replaceCatalog(Routers.catalog());
        upstream.replyWith(p -> "echo: " + p);
    }

    @AfterEach
    void close() {
        if (provider != null) {
            provider.close();
        }
    }

    private OpenRouterProvider connect(String extra) {
        provider = Routers.connect(Routers.section(upstream, KEY, extra), Map.of("SWITCHBOARD_HOME", home.toString()), home,
                Duration.ofMinutes(10));
        return provider;
    }

    private ModelInfo model(String id) {
        return provider.availableModels(ModelFilter.NONE).stream().filter(m -> m.modelId().equals(id)).findFirst().orElseThrow();
    }

    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("condition reached").isTrue();
    }

    // --- catalog -------------------------------------------------------------------------------------

    @Test
    void pricesAreUsdPerTokenAndCostPerTokenIsTheirMean() {
        connect(Routers.everything());

        ModelInfo sonnet = model(SONNET);
        assertThat(sonnet.promptPricePerToken()).isEqualTo(3e-6);
        assertThat(sonnet.completionPricePerToken()).isEqualTo(1.5e-5);
        assertThat(sonnet.costPerToken()).isCloseTo(9e-6, within(1e-18));
        assertThat(sonnet.isFree()).isFalse();

        ModelInfo free = model(FREE);
        assertThat(free.isFree()).isTrue();
        assertThat(free.costPerToken()).isZero();
        assertThat(free.promptPricePerToken()).isZero();
        assertThat(free.completionPricePerToken()).isZero();
    }

    @Test
    void theAutoRoutersMinusOnePriceIsUnknownNotFree() {
        connect(Routers.everything());

        ModelInfo auto = model(AUTO);
        assertThat(auto.isFree()).isFalse();
        assertThat(auto.costPerToken()).isNull();
        assertThat(auto.promptPricePerToken()).isNull();
        assertThat(auto.completionPricePerToken()).isNull();
    }

    @Test
    void entriesMapToModelInfoWithDeclaredCapabilitiesOnly() {
        connect(Routers.everything());

        assertThat(provider.availableModels(ModelFilter.NONE)).extracting(ModelInfo::modelId)
                .containsExactly(FREE, SONNET, MINI, Routers.PRO, AUTO);
        ModelInfo sonnet = model(SONNET);
        assertThat(sonnet.name()).isEqualTo("Anthropic: Claude 3.5 Sonnet");
        assertThat(sonnet.description()).isEqualTo("Anthropic's balanced model.");
        assertThat(sonnet.contextLength()).isEqualTo(200_000);
        assertThat(sonnet.maxCompletionTokens()).isEqualTo(8192);
        assertThat(sonnet.providerType()).isEqualTo(ProviderType.OPENROUTER);
        assertThat(sonnet.provider()).isEqualTo("openrouter");
        assertThat(sonnet.key()).isEqualTo("openrouter:" + SONNET);
        assertThat(sonnet.loaded()).isNull();
        assertThat(sonnet.capabilities())
                .containsExactly("chat", "vision", "tool_calling", "json_mode", "json_schema", "reasoning");
        assertThat(sonnet.details()).containsEntry("modality", "text+image->text").containsEntry("tokenizer", "Claude")
                .containsEntry("is_moderated", "true");
        assertThat(model(FREE).capabilities()).containsExactly("chat", "tool_calling");
        assertThat(model(MINI).capabilities()).as("only sampling parameters: nothing to infer").containsExactly("chat");
        assertThat(model(MINI).details()).containsEntry("is_moderated", "false").containsEntry("modality", "text->text");
    }

    @Test
    void anImageGeneratorIsNotAChatModel() {
        ObjectNode painter = MockOpenRouterServer.model("mock/painter", "0.00001", "0.00004");
        ObjectNode arch = (ObjectNode) painter.get("architecture");
        arch.put("modality", "text->image");
        arch.putArray("output_modalities").add("image");
        upstream.replaceCatalog(painter);
        connect(Routers.everything());

        assertThat(model("mock/painter").capabilities()).containsExactly("image_output");
    }

    @Test
    void aMalformedEntryCostsOnlyThatEntry() {
        ObjectNode broken = MockOpenRouterServer.model("mock/broken", "0", "0");
        broken.put("context_length", "very long");
        ObjectNode nameless = MockOpenRouterServer.model("x", "0", "0");
        nameless.remove("id");
        upstream.replaceCatalog(broken, nameless, MockOpenRouterServer.model("mock/fine", "0.000001", "0.000002"));
        connect(Routers.everything());

        assertThat(provider.availableModels(ModelFilter.NONE)).extracting(ModelInfo::modelId).containsExactly("mock/fine");
    }

    @Test
    void theCatalogIsFetchedWithTheKeyAndAttributionHeaders() {
        connect(Routers.everything() + "http_referer: \"https://tta.example\"\nx_title: \"TTA Switchboard\"\n");

        MockOpenAiServer.Recorded list = upstream.requests().getFirst();
        assertThat(list.method()).isEqualTo("GET");
        assertThat(list.path()).isEqualTo("/api/v1/models");
        assertThat(list.headers()).containsEntry("authorization", "Bearer " + KEY)
                .containsEntry("http-referer", "https://tta.example").containsEntry("x-title", "TTA Switchboard");
    }

    @Test
    void aFailedRefreshKeepsServingTheLastCatalogAndShowsTheErrorInStatus() throws Exception {
        provider = Routers.connect(Routers.section(upstream, KEY, Routers.everything()),
                Map.of("SWITCHBOARD_HOME", home.toString()), home, Duration.ofNanos(1));
        assertThat(provider.availableModels(ModelFilter.NONE)).hasSize(5);

        upstream.failCatalog(503, "Service temporarily unavailable");
        assertThat(provider.availableModels(ModelFilter.NONE)).hasSize(5);
        eventually(() -> {
            provider.availableModels(ModelFilter.NONE); // each stale read starts a refresh unless one is running
            return provider.status().lastError() != null;
        });
        assertThat(provider.status().lastError()).contains("503").contains("Service temporarily unavailable");
        assertThat(provider.availableModels(ModelFilter.NONE)).extracting(ModelInfo::modelId).contains(SONNET);

        upstream.serveCatalog().replaceCatalog(MockOpenRouterServer.model("mock/new", "0", "0"));
        eventually(() -> provider.availableModels(ModelFilter.NONE).size() == 1);
        assertThat(provider.status().lastError()).isNull();
    }

    @Test
    void theHealthCheckProvesTheKeyNotJustTheCatalog() {
        connect(Routers.everything());
        assertThat(provider.healthCheck().healthy()).isTrue();
        assertThat(upstream.requests().getLast().path()).isEqualTo("/api/v1/key");

        String wrong = "sk-or-v1-wrong0000000000000000000000";
        provider.close();
        provider = Routers.connect(Routers.section(upstream, wrong, Routers.everything()), Map.of(), home, Duration.ofMinutes(10));
        assertThat(provider.availableModels(ModelFilter.NONE)).as("the catalog is public").hasSize(5);
        assertThat(provider.healthCheck().healthy()).isFalse();
        assertThat(provider.status().healthy()).isFalse();
        assertThat(provider.status().lastError()).contains("401").contains("User not found").doesNotContain(wrong);
    }

    // --- chat ----------------------------------------------------------------------------------------

    @Test
    void chatGoesToChatCompletionsWithBearerAndAttribution() {
        connect(Routers.everything() + "http_referer: \"https://tta.example\"\nx_title: \"TTA\"\n");

        ChatResponse r = provider.load(SONNET, Map.of()).generate(ChatRequest.builder().prompt("hello there").maxTokens(20).build());

        assertThat(r.text()).isEqualTo("echo: hello there");
        MockOpenAiServer.Recorded sent = upstream.chatRequests().getFirst();
        assertThat(sent.path()).isEqualTo("/api/v1/chat/completions");
        assertThat(sent.headers()).containsEntry("authorization", "Bearer " + KEY)
                .containsEntry("http-referer", "https://tta.example").containsEntry("x-title", "TTA");
        assertThat(sent.json().path("model").asText()).isEqualTo(SONNET);
        assertThat(sent.json().path("max_tokens").asInt()).isEqualTo(20);
    }

    @Test
    void withoutAttributionSettingsNoAttributionHeadersAreSent() {
        connect(Routers.everything());
        provider.load(MINI, Map.of()).generate(ChatRequest.builder().prompt("hi").build());
        assertThat(upstream.chatRequests().getFirst().headers()).doesNotContainKeys("http-referer", "x-title");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void usageCarriesTheCostOpenRouterReports(boolean stream) {
        connect(Routers.everything());
        ChatRequest request = ChatRequest.builder().prompt("one two three").build();

        ChatResponse r = stream ? provider.load(SONNET, Map.of()).stream(request, t -> { })
                : provider.load(SONNET, Map.of()).generate(request);

        int prompt = r.usage().promptTokens();
        int completion = r.usage().completionTokens();
        assertThat(completion).isEqualTo(4); // "echo:", " one", " two", " three"
        assertThat(r.usage().cost()).isCloseTo(prompt * 3e-6 + completion * 1.5e-5, within(1e-12));
        ChatResponse free = provider.load(FREE, Map.of()).generate(request);
        assertThat(free.usage().cost()).isZero();
    }

    @Test
    void streamingSkipsKeepAliveComments() {
        connect(Routers.everything());
        upstream.enqueue(Fault.keepAliveComments());
        upstream.replyWith(p -> "still thinking hard");
        List<String> tokens = new ArrayList<>();

        ChatResponse r = provider.load(FREE, Map.of()).stream(ChatRequest.builder().prompt("wait").build(), StreamSink.text(tokens::add));

        assertThat(tokens).containsExactly("still", " thinking", " hard");
        assertThat(r.text()).isEqualTo("still thinking hard").doesNotContain("OPENROUTER");
        assertThat(r.usage().totalTokens()).isPositive();
        assertThat(r.usage().cost()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/"})
    void aBaseUrlWithOrWithoutTrailingSlashWorks(String suffix) {
        provider = Routers.connect("api_key: \"" + KEY + "\"\nbase_url: \"" + upstream.baseUrl() + suffix + "\"\n"
                + Routers.everything(), Map.of(), home, Duration.ofMinutes(10));

        assertThat(provider.availableModels(ModelFilter.NONE)).hasSize(5);
        assertThat(provider.load(MINI, Map.of()).generate(ChatRequest.builder().prompt("x").build()).text()).isEqualTo("echo: x");
        assertThat(upstream.requests()).extracting(MockOpenAiServer.Recorded::path)
                .containsExactly("/api/v1/models", "/api/v1/chat/completions");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "https://openrouter.ai, https://openrouter.ai/api/v1",
            "https://openrouter.ai/, https://openrouter.ai/api/v1",
            "https://openrouter.ai/api, https://openrouter.ai/api/v1",
            "https://openrouter.ai/api/v1/, https://openrouter.ai/api/v1",
            "http://127.0.0.1:9000/api/v1, http://127.0.0.1:9000/api/v1",
            "'', https://openrouter.ai/api/v1"})
    void theSeedsBareBaseUrlBecomesTheApiBase(String configured, String expected) {
        assertThat(OpenRouterProvider.apiBase(configured)).isEqualTo(expected);
    }
}
