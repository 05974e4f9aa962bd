package dev.switchboard.provider.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.hardware.ModelRequirements;
import dev.switchboard.hardware.RequirementEstimator;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.Embeddings;
import dev.switchboard.model.FinishReason;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.StreamSink;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.provider.ModelFilter;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.provider.ProviderSettings;
import dev.switchboard.provider.ProviderStatus;
import dev.switchboard.provider.PullProgress;
import dev.switchboard.testkit.MockOllamaServer;
import dev.switchboard.testkit.MockOllamaServer.Model;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Ollama provider against a local Ollama over real HTTP, speaking its NDJSON. */
class OllamaProviderTest {
    static final String LLAMA = "llama3.2:3b";
    static final String EMBED = "nomic-embed-text:latest";
    private MockOllamaServer ollama;
    private OllamaProvider provider;

    @BeforeEach
    void start() {
        ollama = MockOllamaServer.start(Model.chat(LLAMA), Model.embedding(EMBED))
                .pullable(Model.chat("qwen2.5:0.5b"))
                .pullTakes(Duration.ofMillis(300), 5);
    }

    @AfterEach
    void stop() {
        if (provider != null) {
            provider.close();
        }
        ollama.close();
    }

    static ProviderConfig config(String section) {
        String yaml = "model_management:\n  providers:\n    ollama:\n" + section.indent(6);
        return ConfigLoader.parse(yaml, "test", Map.of()).config().modelManagement().providers().get("ollama");
    }

    private OllamaProvider connect(String extra) {
        provider = new OllamaProvider();
        provider.initialize(new ProviderSettings("ollama", ProviderType.OLLAMA,
                config("base_url: " + ollama.baseUrl() + "\nuse_docker: false\nrequest_timeout_seconds: 10\n" + extra),
                null, Duration.ofMinutes(10), Map.of()));
        return provider;
    }

    @Test
    void isRegisteredUnderItsKind() {
        assertThat(ServiceLoader.load(dev.switchboard.provider.ProviderFactory.class).stream()
                .map(p -> p.get().kind())).contains("ollama");
    }

    @Test
    void tagsShowAndPsMapToModelInfo() {
        ollama.setRunning(LLAMA, Duration.ofMinutes(5));
        List<ModelInfo> models = connect("").availableModels(ModelFilter.NONE);
        assertThat(models).extracting(ModelInfo::modelId).containsExactly(LLAMA, EMBED);
        ModelInfo llama = models.getFirst();
        assertThat(llama.providerType()).isEqualTo(ProviderType.OLLAMA);
        assertThat(llama.contextLength()).isEqualTo(131072);
        assertThat(llama.isFree()).isTrue();
        assertThat(llama.loaded()).isTrue();
        assertThat(llama.capabilities()).as("show's completion and tools, and the format every chat model takes")
                .containsExactly("chat", "tool_calling", "json_mode", "json_schema");
        assertThat(llama.details()).containsEntry("parameter_size", "3.2B").containsEntry("quantization_level", "Q4_K_M")
                .containsEntry("family", "llama").containsEntry("size", "2019393189")
                .containsEntry("parameter_count", "3212749888").containsKey("expires_at")
                .containsEntry("size_vram", Long.toString(2_019_393_189L + 500_000_000L));
        ModelInfo embed = models.get(1);
        assertThat(embed.loaded()).isFalse();
        assertThat(embed.capabilities()).containsExactly("embeddings");
        assertThat(embed.contextLength()).isEqualTo(2048);
        assertThat(embed.details()).doesNotContainKey("size_vram");

        ModelRequirements need = RequirementEstimator.estimate(llama);
        assertThat(need.source()).isEqualTo("ollama");
        assertThat(need.ramGb()).isBetween(1.5, 3.5);

        // Show is asked once per model; a refresh reuses the cached context lengths.
        int shows = ollama.requests("/api/show").size();
        provider.healthCheck();
        assertThat(ollama.requests("/api/show")).hasSize(shows);
        ProviderStatus status = provider.status();
        assertThat(status.healthy()).isTrue();
        assertThat(status.loadedModels()).containsExactly(LLAMA);
    }

    @Test
    void loadAndUnloadGoThroughKeepAlive() {
        connect("keep_alive: 10m\n");
        ModelInstance instance = provider.load(LLAMA, Map.of());
        assertThat(instance.modelId()).isEqualTo(LLAMA);
        assertThat(ollama.isRunning(LLAMA)).isTrue();
        assertThat(provider.availableModels(ModelFilter.NONE).getFirst().loaded()).isTrue();
        assertThat(provider.unload(LLAMA)).isTrue();
        assertThat(ollama.isRunning(LLAMA)).isFalse();
        assertThat(ollama.keepAlives()).containsExactly("10m", "0");
        assertThat(ollama.requests("/api/generate").getFirst().body().path("prompt").asText()).isEmpty();
        assertThat(provider.status().loadedModels()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "300"})
    void numericKeepAliveTravelsAsANumber(String keep) {
        connect("keep_alive: \"" + keep + "\"\n").load(LLAMA, Map.of());
        assertThat(ollama.requests("/api/generate").getFirst().body().get("keep_alive").isNumber()).isTrue();
        assertThat(ollama.keepAlives()).containsExactly(keep);
    }

    @Test
    void badKeepAliveIsAConfigError() {
        assertThatThrownBy(() -> config("keep_alive: forever\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("keep_alive");
    }

    @Test
    void chatWithoutStreaming() {
        ollama.reply("Paris is the capital of France.");
        ChatResponse r = connect("").load(LLAMA, Map.of()).generate(ChatRequest.builder().prompt("capital of France?")
                .temperature(0.2).topP(0.9).maxTokens(64).stop(List.of("###")).build());
        assertThat(r.text()).isEqualTo("Paris is the capital of France.");
        assertThat(r.usage().promptTokens()).isEqualTo(3);
        assertThat(r.usage().completionTokens()).isEqualTo(6);
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.metadata()).containsEntry("tokens_per_second", 12.0).containsEntry("done_reason", "stop");
        var body = ollama.requests("/api/chat").getFirst().body();
        assertThat(body.path("stream").asBoolean()).isFalse();
        assertThat(body.path("options").path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("options").path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.path("options").path("num_predict").asInt()).isEqualTo(64);
        assertThat(body.path("options").path("stop").get(0).asText()).isEqualTo("###");
        assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("user");
    }

    @Test
    void chatStreamsLineByLine() {
        ollama.reply("one two three four");
        List<String> tokens = new ArrayList<>();
        ChatResponse r = connect("").load(LLAMA, Map.of()).stream(ChatRequest.builder().prompt("count").build(), StreamSink.text(tokens::add));
        assertThat(tokens).containsExactly("one ", "two ", "three ", "four");
        assertThat(r.text()).isEqualTo("one two three four");
        assertThat(r.usage().completionTokens()).isEqualTo(4);
        assertThat(r.metadata()).containsEntry("tokens_per_second", 8.0);
    }

    @Test
    void lengthStopIsMapped() {
        ollama.reply("one two three four");
        ChatResponse r = connect("").load(LLAMA, Map.of()).generate(ChatRequest.builder().prompt("count").maxTokens(2).build());
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void anErrorLineMidStreamFailsTheStream() {
        ollama.reply("one two three four").failMidStream("an error was encountered while running the model: CUDA error");
        List<String> tokens = new ArrayList<>();
        ModelInstance llama = connect("").load(LLAMA, Map.of());
        assertThatThrownBy(() -> llama.stream(ChatRequest.builder().prompt("count").build(), StreamSink.text(tokens::add)))
                .isInstanceOf(ModelFailure.Unavailable.class).hasMessageContaining("CUDA error");
        assertThat(tokens).containsExactly("one ", "two ");
    }

    @Test
    void aMissingModelIsUnavailableWithAPullHint() {
        ModelInstance llama = connect("").load(LLAMA, Map.of());
        // removed behind Switchboard's back, as `ollama rm` would
        ollama.remove(LLAMA);
        assertThatThrownBy(() -> llama.generate(ChatRequest.builder().prompt("hi").build()))
                .isInstanceOf(ModelFailure.Unavailable.class)
                .hasMessageContaining("not found, try pulling it first")
                .hasMessageContaining("switchboard pull ollama:" + LLAMA);
        assertThat(provider.availableModels(ModelFilter.NONE)).extracting(ModelInfo::modelId).containsExactly(EMBED);
    }

    @Test
    void loadingAModelThatIsNotDownloadedSaysHowToGetIt() {
        assertThatThrownBy(() -> connect("").load("qwen2.5:0.5b", Map.of())).isInstanceOf(UnknownModelException.class)
                .hasMessageContaining("switchboard pull ollama:qwen2.5:0.5b").hasMessageContaining("auto_pull");
    }

    @Test
    void autoPullFetchesAMissingModelOnFirstLoad() {
        ModelInstance qwen = connect("auto_pull: true\n").load("qwen2.5:0.5b", Map.of());
        assertThat(qwen.modelId()).isEqualTo("qwen2.5:0.5b");
        assertThat(ollama.has("qwen2.5:0.5b")).isTrue();
        assertThat(ollama.isRunning("qwen2.5:0.5b")).isTrue();
        assertThat(provider.availableModels(ModelFilter.NONE)).extracting(ModelInfo::modelId).contains("qwen2.5:0.5b");
    }

    @Test
    void pullReportsEachStatusLine() {
        List<PullProgress.Update> updates = new ArrayList<>();
        connect("").pull("qwen2.5:0.5b", updates::add);
        assertThat(updates.getFirst().status()).isEqualTo("pulling manifest");
        assertThat(updates.getLast().status()).isEqualTo("success");
        assertThat(updates).extracting(PullProgress.Update::status)
                .contains("verifying sha256 digest", "writing manifest");
        List<PullProgress.Update> downloads = updates.stream().filter(u -> u.status().startsWith("downloading")).toList();
        assertThat(downloads).hasSize(5);
        assertThat(downloads.getLast().completed()).isEqualTo(downloads.getLast().total());
        assertThat(downloads).extracting(PullProgress.Update::completed).isSorted();
        assertThat(provider.availableModels(ModelFilter.NONE)).extracting(ModelInfo::modelId).contains("qwen2.5:0.5b");
    }

    @Test
    void pullOfAnUnknownModelFails() {
        assertThatThrownBy(() -> connect("").pull("no-such-model", PullProgress.NONE))
                .isInstanceOf(ModelFailure.Unavailable.class).hasMessageContaining("file does not exist");
        assertThatThrownBy(() -> provider.pull("bad name", PullProgress.NONE)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void deleteRemovesTheModel() {
        connect("");
        assertThat(provider.delete(LLAMA)).isTrue();
        assertThat(ollama.has(LLAMA)).isFalse();
        assertThat(provider.availableModels(ModelFilter.NONE)).extracting(ModelInfo::modelId).containsExactly(EMBED);
        assertThat(provider.delete(LLAMA)).isFalse();
    }

    @Test
    void embeddingsKeepInputOrder() {
        Embeddings e = connect("").load(EMBED, Map.of()).embed(List.of("alpha", "beta gamma"));
        assertThat(e.vectors()).hasSize(2);
        assertThat(e.vectors().get(0)).containsExactly(MockOllamaServer.embeddingOf("alpha"));
        assertThat(e.vectors().get(1)).containsExactly(MockOllamaServer.embeddingOf("beta gamma"));
        assertThat(e.usage().promptTokens()).isEqualTo(3);
        assertThat(ollama.requests("/api/embed").getFirst().body().path("input").size()).isEqualTo(2);
    }

    @Test
    void untaggedNamesLoadTheLatestTag() {
        assertThat(connect("").load("nomic-embed-text", Map.of()).modelId()).isEqualTo(EMBED);
    }

    @Test
    void aRefusedConnectionMakesTheProviderUnhealthy() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        provider = new OllamaProvider();
        provider.initialize(new ProviderSettings("ollama", ProviderType.OLLAMA,
                config("ollama_host: 127.0.0.1\nollama_port: " + port + "\nuse_docker: false\n"), null, Duration.ofMinutes(10), Map.of()));
        assertThat(provider.healthCheck().healthy()).isFalse();
        ProviderStatus status = provider.status();
        assertThat(status.healthy()).isFalse();
        assertThat(status.lastError()).contains("Ollama is not reachable").contains("127.0.0.1:" + port);
    }

    @Test
    void keepAliveValues() {
        assertThat(OllamaMapper.keepAlive("5m")).isEqualTo("5m");
        assertThat(OllamaMapper.keepAlive("1h30m")).isEqualTo("1h30m");
        assertThat(OllamaMapper.keepAlive("-1")).isEqualTo(-1L);
        assertThat(OllamaMapper.keepAlive("0")).isEqualTo(0L);
        assertThatThrownBy(() -> OllamaMapper.keepAlive("5 minutes")).isInstanceOf(IllegalArgumentException.class);
    }
}
