package dev.switchboard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.hardware.HardwareDetector;
import dev.switchboard.hardware.GpuInfo;
import dev.switchboard.hardware.HardwareInfo;
import dev.switchboard.hardware.ModelRequirements;
import dev.switchboard.local.gguf.GgufWriter;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.FinishReason;
import dev.switchboard.model.Message;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.StreamSink;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.provider.ModelFilter;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.provider.ProviderSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider on real llama.cpp with the demo model: loading, generating, streaming, the gates and eviction. */
class LocalProviderTest {
    static final HardwareInfo SMALL_MACHINE = new HardwareInfo("Linux", "amd64", "test CPU", 8, 32, 16, 100, List.of(), Instant.now());

    @TempDir
    Path models;
    final List<LocalProvider> providers = new ArrayList<>();

    @AfterEach
    void close() {
        providers.forEach(LocalProvider::close);
    }

    LocalProvider provider(String extraYaml) {
        return provider(extraYaml, HardwareDetector.fixed(SMALL_MACHINE));
    }

    LocalProvider provider(String extraYaml, HardwareDetector hw) {
        String yaml = """
                model_management:
                  providers:
                    local:
                      models_cache_dir: "%s"
                %s""".formatted(models, extraYaml.indent(6));
        ProviderConfig config = ConfigLoader.parse(yaml, "test", Map.of()).config().modelManagement().providers().get("local");
        LocalProvider p = new LocalProvider(hw);
        p.initialize(new ProviderSettings("local", ProviderType.LOCAL, config, null, Duration.ofHours(1), Map.of()));
        providers.add(p);
        return p;
    }

    static ChatRequest abc() {
        return ChatRequest.builder().prompt("abc").maxTokens(10).temperature(0.0).build();
    }

    @Test
    void theDemoModelContinuesAbc() throws Exception {
        DemoModel.writeTo(models);
        LocalProvider p = provider("");

        long t0 = System.nanoTime();
        ModelInstance demo = p.load("switchboard-demo", Map.of());
        double loadMs = (System.nanoTime() - t0) / 1e6;
        ChatResponse r = demo.generate(abc());

        assertThat(r.text()).isEqualTo("defghijklm");
        assertThat(r.usage().promptTokens()).isEqualTo(5); // <s> ▁ a b c
        assertThat(r.usage().completionTokens()).isEqualTo(10);
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.provider()).isEqualTo("local");
        assertThat(r.modelId()).isEqualTo("switchboard-demo");
        assertThat(r.metadata()).containsEntry("prompt_format", "plain").containsKey("tokens_per_second");
        assertThat(r.usage().cost()).isZero();
        ChatResponse longer = demo.generate(ChatRequest.builder().prompt("abc").maxTokens(200).temperature(0.0).build());
        System.out.printf("[measure] demo model: load %.0f ms; %s tokens/s over %d tokens, %s tokens/s over %d tokens%n",
                loadMs, r.metadata().get("tokens_per_second"), r.usage().completionTokens(),
                longer.metadata().get("tokens_per_second"), longer.usage().completionTokens());
    }

    @Test
    void streamsTokenByToken() throws Exception {
        DemoModel.writeTo(models);
        ModelInstance demo = provider("").load("switchboard-demo", Map.of());
        List<String> pieces = new ArrayList<>();

        ChatResponse r = demo.stream(abc(), StreamSink.text(pieces::add));

        assertThat(pieces).containsExactly("d", "e", "f", "g", "h", "i", "j", "k", "l", "m");
        assertThat(r.text()).isEqualTo("defghijklm");
        assertThat(r.usage().completionTokens()).isEqualTo(10);
    }

    @Test
    void stopSequencesSystemPromptsAndAbortedStreams() throws Exception {
        DemoModel.writeTo(models);
        ModelInstance demo = provider("").load("switchboard-demo", Map.of());

        ChatResponse stopped = demo.generate(ChatRequest.builder().prompt("abc").maxTokens(10).temperature(0.0).stop(List.of("h")).build());
        assertThat(stopped.text()).isEqualTo("defg");
        assertThat(stopped.finishReason()).isEqualTo(FinishReason.STOP);

        ChatResponse withSystem = demo.generate(ChatRequest.builder().message(Message.system("Continue the sequence."))
                .message(Message.user("abc")).maxTokens(10).temperature(0.0).build());
        assertThat(withSystem.text()).isEqualTo("defghijklm");

        assertThatThrownBy(() -> demo.stream(abc(), t -> {
            throw new IllegalStateException("client went away");
        })).hasMessage("client went away");
        assertThat(demo.generate(abc()).text()).isEqualTo("defghijklm"); // the model is free again
    }

    @Test
    void usesTheModelsChatTemplate() throws Exception {
        DemoModel.writer().string("tokenizer.chat_template",
                "{% for message in messages %}{{ message['content'] }}{% endfor %}").write(models.resolve("templated.gguf"));
        LocalProvider p = provider("require_revision_pinning: false");

        ChatResponse r = p.load("templated", Map.of()).generate(abc());

        assertThat(r.text()).isEqualTo("defghijklm");
        assertThat(r.metadata()).containsEntry("prompt_format", "chat_template");
        assertThat(p.availableModels(ModelFilter.NONE).getFirst().details()).containsEntry("chat_template", "yes");
    }

    @Test
    void catalogDescribesTheFilesFromTheirHeaders() throws Exception {
        DemoModel.writeTo(models);
        Files.writeString(models.resolve("broken.gguf"), "not a model");
        Files.writeString(models.resolve("notes.txt"), "ignored");
        LocalProvider p = provider("compute_cost_per_token: 0.000001");

        List<ModelInfo> list = p.availableModels(ModelFilter.NONE);

        assertThat(list).extracting(ModelInfo::modelId).containsExactly("switchboard-demo");
        ModelInfo demo = list.getFirst();
        assertThat(demo.providerType()).isEqualTo(ProviderType.LOCAL);
        assertThat(demo.key()).isEqualTo("local:switchboard-demo");
        assertThat(demo.contextLength()).isEqualTo(4096);
        assertThat(demo.costPerToken()).isEqualTo(0.000001);
        assertThat(demo.isFree()).isFalse();
        assertThat(demo.loaded()).isFalse();
        assertThat(demo.details()).containsEntry("architecture", "llama").containsEntry("quantization", "F32")
                .containsEntry("parameter_count", "115520").containsEntry("format", "gguf");
        assertThat(p.status().lastError()).contains("broken.gguf");

        ChatResponse r = p.load("switchboard-demo", Map.of()).generate(abc());
        assertThat(r.usage().cost()).isEqualTo(15 * 0.000001);
        assertThat(p.availableModels(ModelFilter.NONE).getFirst().loaded()).isTrue();
        assertThatThrownBy(() -> p.load("missing", Map.of())).isInstanceOf(UnknownModelException.class);
        assertThatThrownBy(() -> p.load("../etc/passwd", Map.of())).isInstanceOf(UnknownModelException.class);
    }

    @Test
    void fitGateRefusesAModelTooBigForTheMachine() throws Exception {
        new GgufWriter()
                .string("general.architecture", "llama")
                .u64("general.parameter_count", 70_000_000_000L)
                .u32("general.file_type", 1) // F16: 140 GB of weights
                .u32("llama.context_length", 8192)
                .u32("llama.block_count", 80)
                .write(models.resolve("giant-70b.gguf"));
        LocalProvider p = provider("require_revision_pinning: false");

        assertThat(p.availableModels(ModelFilter.NONE).getFirst().details()).containsEntry("parameter_count", "70000000000");
        assertThatThrownBy(() -> p.load("giant-70b", Map.of()))
                .isInstanceOf(ModelFailure.Unavailable.class)
                .hasMessageContaining("does not fit this machine")
                .hasMessageContaining("GB RAM, 16.0 GB available")
                .hasMessageContaining("70.0B parameters, F16");
        assertThat(p.loadedModels()).isEmpty();
    }

    @Test
    void fitGateOnThisMachineRefusesTenTrillionParameters() throws Exception {
        new GgufWriter().string("general.architecture", "llama").u64("general.parameter_count", 10_000_000_000_000L)
                .u32("general.file_type", 15).write(models.resolve("impossible.gguf"));
        LocalProvider p = provider("require_revision_pinning: false", HardwareDetector.shared());

        assertThatThrownBy(() -> p.load("impossible", Map.of()))
                .isInstanceOf(ModelFailure.Unavailable.class).hasMessageContaining("does not fit this machine");
    }

    @Test
    void offloadsAsManyLayersAsTheGpuShareAllows() {
        LocalProvider p = provider("gpu_memory_fraction: 0.5");
        HardwareInfo gpu24 = new HardwareInfo("Linux", "amd64", "test", 8, 64, 48, 100,
                List.of(new GpuInfo(0, "RTX 4090", "NVIDIA", 24576, 20480, false)), Instant.now());

        assertThat(p.gpuLayers(gpu24, new ModelRequirements(6, 6, "gguf"), 32)).isEqualTo(33); // all + output
        assertThat(p.gpuLayers(gpu24, new ModelRequirements(24, 24, "gguf"), 32)).isEqualTo(16); // 12 GB of 24
        assertThat(p.gpuLayers(SMALL_MACHINE, new ModelRequirements(1, 1, "gguf"), 32)).isZero();
        assertThat(provider("gpu_memory_fraction: 0").gpuLayers(gpu24, new ModelRequirements(1, 1, "gguf"), 32)).isZero();
    }

    @Test
    void keepsAtMostMaxConcurrentModelsAndEvictsTheLeastRecentlyUsed() throws Exception {
        byte[] demo = DemoModel.bytes();
        for (String id : List.of("a", "b", "c")) {
            Files.write(models.resolve(id + ".gguf"), demo);
        }
        LocalProvider p = provider("""
                max_concurrent_models: 2
                trusted_model_revisions: {a: %1$s, b: %1$s, c: %1$s}""".formatted(DemoModel.sha256()));

        ModelInstance a = p.load("a", Map.of());
        ModelInstance b = p.load("b", Map.of());
        assertThat(p.loadedModels()).containsExactly("a", "b");
        a.generate(abc()); // a is now the most recently used
        ModelInstance c = p.load("c", Map.of());
        assertThat(p.loadedModels()).containsExactly("a", "c");

        // an instance whose model was evicted loads it again, evicting the next least recently used
        assertThat(b.generate(abc()).text()).isEqualTo("defghijklm");
        assertThat(p.loadedModels()).containsExactly("c", "b");
        assertThat(c.healthCheck()).isTrue();
        assertThat(p.unload("c")).isTrue();
        assertThat(p.unload("c")).isFalse();
        assertThat(p.loadedModels()).containsExactly("b");
    }

    @Test
    void pinnedFilesMustMatchTheirSha256() throws Exception {
        byte[] demo = DemoModel.bytes();
        Files.write(models.resolve("trusted.gguf"), demo);
        Files.write(models.resolve("tampered.gguf"), demo);
        Files.write(models.resolve("unpinned.gguf"), demo);
        LocalProvider p = provider("""
                require_revision_pinning: true
                trusted_model_revisions:
                  trusted: "sha256:%s"
                  tampered.gguf: "%s"
                """.formatted(DemoModel.sha256().toUpperCase(), "0".repeat(64)));

        assertThat(p.load("trusted", Map.of()).generate(abc()).text()).isEqualTo("defghijklm");
        assertThatThrownBy(() -> p.load("tampered", Map.of()))
                .isInstanceOf(ModelFailure.AuthFailed.class)
                .hasMessageContaining("does not match its pinned revision")
                .hasMessageContaining(DemoModel.sha256());
        assertThatThrownBy(() -> p.load("unpinned", Map.of()))
                .isInstanceOf(ModelFailure.AuthFailed.class)
                .hasMessageContaining("not pinned")
                .hasMessageContaining("unpinned: " + DemoModel.sha256());
        assertThat(p.loadedModels()).containsExactly("trusted");
    }

    @Test
    void withoutRequiredPinningUnpinnedFilesLoadButPinsStillApply() throws Exception {
        Files.write(models.resolve("mine.gguf"), DemoModel.bytes());
        DemoModel.writeTo(models);
        Files.write(models.resolve("switchboard-demo.gguf"), new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        LocalProvider p = provider("require_revision_pinning: false");

        assertThat(p.load("mine", Map.of()).generate(abc()).text()).isEqualTo("defghijklm");
        // the demo's built-in pin still catches a changed demo file
        assertThatThrownBy(() -> p.load("switchboard-demo", Map.of())).isInstanceOf(ModelFailure.AuthFailed.class);
    }
}
