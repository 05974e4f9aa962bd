package dev.switchboard.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.TaskType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's recommend_models per tier, its task reordering, and installed models first when they fit. */
class RecommenderTest {

    private static List<String> ids(HardwareInfo hw, TaskType task) {
        return Recommender.recommend(hw, task, List.of()).ids();
    }

    @Test
    void highEndRamTier() {
        HardwareInfo hw = Machines.cpuOnly(64, 40);

        assertThat(ids(hw, TaskType.GENERAL_CHAT)).containsExactly("meta-llama/llama-3.1-70b-instruct",
                "meta-llama/llama-3.1-8b-instruct", "mistralai/mixtral-8x7b-instruct", "qwen/qwen2.5-14b-instruct");
        assertThat(Recommender.tiers(hw).ramTier()).isEqualTo("high_end");
        assertThat(Recommender.tiers(hw).gpuTier()).isEqualTo("none");
    }

    @Test
    void midRangeRamTier() {
        assertThat(ids(Machines.cpuOnly(32, 20), TaskType.GENERAL_CHAT)).containsExactly("meta-llama/llama-3.1-8b-instruct",
                "qwen/qwen2.5-7b-instruct", "microsoft/phi-3-medium-4k-instruct", "mistralai/mistral-7b-instruct");
        assertThat(Recommender.tiers(Machines.cpuOnly(32, 20)).ramTier()).isEqualTo("mid_range");
    }

    @Test
    void lowEndRamTier() {
        assertThat(ids(Machines.cpuOnly(16, 9.8), TaskType.GENERAL_CHAT)).containsExactly("qwen/qwen2.5-3b-instruct",
                "microsoft/phi-3-mini-4k-instruct", "google/gemma-2b-it");
        assertThat(Recommender.tiers(Machines.cpuOnly(16, 9.8)).ramTier()).isEqualTo("low_end");
    }

    @Test
    void belowEightGigabytesIsCloudOnly() {
        Recommender.Recommendations r = Recommender.recommend(Machines.cpuOnly(8, 5), TaskType.GENERAL_CHAT, List.of());

        assertThat(r.ids()).containsExactly("openrouter/free-models", "meta-llama/llama-3.1-8b-instruct:free");
        assertThat(r.tiers().ramTier()).isEqualTo("cloud_only");
        assertThat(r.models()).allSatisfy(m -> {
            assertThat(m.local()).isFalse();
            assertThat(m.compatible()).isTrue();
            assertThat(m.reason()).contains("cloud");
        });
    }

    @Test
    void aGpuWith24GigabytesPutsThe70bFirst() {
        HardwareInfo hw = Machines.withNvidia(20, 24576, 24000);

        assertThat(ids(hw, TaskType.GENERAL_CHAT)).first().isEqualTo("meta-llama/llama-3.1-70b-instruct");
        assertThat(Recommender.tiers(hw).gpuTier()).isEqualTo("high_vram");
    }

    @Test
    void aGpuWith12GigabytesPutsThe8bAnd14bFirst() {
        HardwareInfo hw = Machines.withNvidia(20, 12288, 12000);

        assertThat(ids(hw, TaskType.GENERAL_CHAT)).startsWith("meta-llama/llama-3.1-8b-instruct", "qwen/qwen2.5-14b-instruct",
                "qwen/qwen2.5-7b-instruct");
        assertThat(Recommender.tiers(hw).gpuTier()).isEqualTo("medium_vram");
    }

    @Test
    void aGpuWith6GigabytesPutsThe7bFirst() {
        HardwareInfo hw = Machines.withNvidia(9, 8192, 8000);

        assertThat(ids(hw, TaskType.GENERAL_CHAT)).containsExactly("qwen/qwen2.5-7b-instruct", "qwen/qwen2.5-3b-instruct",
                "microsoft/phi-3-mini-4k-instruct", "google/gemma-2b-it");
        assertThat(Recommender.tiers(hw).gpuTier()).isEqualTo("low_vram");
    }

    @Test
    void appleSiliconCountsThreeQuartersOfItsUnifiedMemory() {
        assertThat(Recommender.tiers(Machines.appleSilicon(32, 20)).gpuTier()).isEqualTo("high_vram");
        assertThat(Recommender.tiers(Machines.appleSilicon(16, 10)).gpuTier()).isEqualTo("medium_vram");
    }

    @Test
    void narrativeTherapeuticAndDialogueTasksReorder() {
        HardwareInfo hw = Machines.cpuOnly(32, 20);

        assertThat(ids(hw, TaskType.NARRATIVE_GENERATION)).startsWith("anthropic/claude-3-haiku",
                "meta-llama/llama-3.1-8b-instruct", "qwen/qwen2.5-7b-instruct", "microsoft/phi-3-medium-4k-instruct");
        assertThat(ids(hw, TaskType.THERAPEUTIC_RESPONSE)).startsWith("anthropic/claude-3-haiku", "openai/gpt-4o-mini",
                "meta-llama/llama-3.1-8b-instruct", "qwen/qwen2.5-7b-instruct");
        assertThat(ids(hw, TaskType.DIALOGUE_GENERATION)).startsWith("meta-llama/llama-3.1-8b-instruct",
                "anthropic/claude-3-haiku", "qwen/qwen2.5-7b-instruct", "microsoft/phi-3-medium-4k-instruct");
        assertThat(ids(hw, TaskType.WORLD_BUILDING)).isEqualTo(ids(hw, TaskType.GENERAL_CHAT));
        assertThat(ids(hw, TaskType.NARRATIVE_GENERATION)).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(10);
    }

    @Test
    void eachRecommendationSaysWhetherItFitsAndWhy() {
        Recommender.Recommendations r = Recommender.recommend(Machines.cpuOnly(16, 9.8), TaskType.NARRATIVE_GENERATION, List.of());

        Recommender.Recommendation llama = r.models().stream()
                .filter(m -> m.modelId().equals("meta-llama/llama-3.1-8b-instruct")).findFirst().orElseThrow();
        assertThat(llama.compatible()).isFalse();
        assertThat(llama.warnings()).contains("needs 16.0 GB RAM, 9.8 GB available");
        assertThat(llama.reason()).isEqualTo("favoured for narrative_generation");
        Recommender.Recommendation gemma = r.models().stream()
                .filter(m -> m.modelId().equals("google/gemma-2b-it")).findFirst().orElseThrow();
        assertThat(gemma.compatible()).isTrue();
        assertThat(gemma.requirements()).isEqualTo(new ModelRequirements(4, 2, "table"));
        assertThat(gemma.present()).isFalse();
    }

    @Test
    void installedModelsThatFitComeFirstAndThoseThatDoNotAreLeftOut() {
        ModelInfo small = FakeLocalProvider.gguf("qwen2.5-3b-instruct-q4_k_m", 3_090_000_000L, "Q4_K_M", false);
        ModelInfo llama = FakeLocalProvider.gguf("llama-3.1-8b-instruct-q4_k_m", 8_030_000_000L, "Q4_K_M", false);
        ModelInfo huge = FakeLocalProvider.gguf("llama-3.1-70b-instruct-f16", 70_600_000_000L, "F16", false);
        ModelInfo ollama = ModelInfo.builder("gemma2:2b", ProviderType.OLLAMA, "ollama").build();
        ModelInfo embed = ModelInfo.builder("nomic-embed-text-1b", ProviderType.LM_STUDIO, "lm_studio")
                .capabilities(List.of("embeddings")).build();
        ModelInfo cloud = ModelInfo.builder("qwen/qwen2.5-3b-instruct", ProviderType.OPENROUTER, "openrouter").build();

        Recommender.Recommendations r = Recommender.recommend(Machines.cpuOnly(16, 9.8), TaskType.NARRATIVE_GENERATION,
                List.of(small, huge, ollama, embed, cloud, llama));

        // llama-3.1 is a favoured family for narrative; then the larger of the rest
        assertThat(r.ids()).startsWith("llama-3.1-8b-instruct-q4_k_m", "qwen2.5-3b-instruct-q4_k_m", "gemma2:2b",
                "anthropic/claude-3-haiku");
        assertThat(r.ids()).doesNotContain("llama-3.1-70b-instruct-f16", "nomic-embed-text-1b");
        Recommender.Recommendation first = r.models().getFirst();
        assertThat(first.present()).isTrue();
        assertThat(first.provider()).isEqualTo("local");
        assertThat(first.requirements().source()).isEqualTo("gguf");
        assertThat(first.reason()).contains("installed here and fits in RAM").contains("favoured family");
        // the seed's qwen 3b is listed by OpenRouter: present, from the cloud
        Recommender.Recommendation listed = r.models().stream()
                .filter(m -> m.modelId().equals("qwen/qwen2.5-3b-instruct")).findFirst().orElseThrow();
        assertThat(listed.present()).isTrue();
        assertThat(listed.provider()).isEqualTo("openrouter");
        assertThat(listed.local()).isFalse();
    }

    @Test
    void aModelThatFitsTheGpuRanksBeforeOneThatOnlyFitsRam() {
        ModelInfo a = FakeLocalProvider.gguf("model-a", 7_000_000_000L, "Q4_K_M", false);   // ~5 GB
        ModelInfo b = FakeLocalProvider.gguf("model-b", 1_000_000_000L, "Q4_K_M", false);   // ~1 GB
        HardwareInfo hw = Machines.withNvidia(32, 4096, 3000); // 3 GB free on the GPU: only b fits there

        assertThat(Recommender.recommend(hw, TaskType.GENERAL_CHAT, List.of(a, b)).ids()).startsWith("model-b", "model-a");
    }
}
