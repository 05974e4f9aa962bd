package dev.switchboard.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequirementEstimatorTest {

    @ParameterizedTest
    @CsvSource({
            // the seed's rows
            "meta-llama/llama-3.1-70b-instruct, 140, 40",
            "meta-llama/llama-3.1-8b-instruct:free, 16, 8",
            "qwen/qwen2.5-7b-instruct, 14, 7",
            "mistralai/mixtral-8x7b-instruct, 90, 24",
            "microsoft/phi-3-mini-4k-instruct, 4, 2",
            "google/gemma-2b-it, 4, 2",
            // size classes from the name
            "llama3.1:8b, 16, 8",
            "mistral-7b-v0.3, 14, 7",
            "phi-3.5-mini-3.8b, 6, 3",
            "qwen2.5:14b, 28, 14",
            "qwen2.5-32b-instruct, 64, 24",
            "Meta-Llama-3.1-70B-Instruct-Q4_K_M.gguf, 140, 40",
            "gemma3:270m, 4, 2",
            "mixtral:8x22b, 352, 105.6",
            "llama-3.1-405b, 810, 243",
    })
    void fromTheNameTheSeedsTableThenSizeClasses(String id, double ram, double vram) {
        ModelRequirements r = RequirementEstimator.estimate(id);

        assertThat(r.ramGb()).isEqualTo(ram);
        assertThat(r.vramGb()).isEqualTo(vram);
        assertThat(r.source()).isEqualTo("table");
    }

    @Test
    void unknownNamesGetTheDefault() {
        assertThat(RequirementEstimator.estimate("gpt-4o-mini")).isEqualTo(ModelRequirements.DEFAULT);
        assertThat(RequirementEstimator.estimate("claude-3-haiku")).isEqualTo(ModelRequirements.DEFAULT);
        assertThat(RequirementEstimator.estimate((String) null)).isEqualTo(ModelRequirements.DEFAULT);
        assertThat(RequirementEstimator.estimate(ModelInfo.basic("mystery-model", ProviderType.LOCAL, "local")))
                .isEqualTo(ModelRequirements.DEFAULT);
    }

    @Test
    void aGgufHeaderCountAndQuantizationWin() {
        // 8.03B parameters at Q4_K_M (~4.8 bits): ~4.5 GiB of weights, plus a fifth and half a GB
        ModelInfo m = ModelInfo.builder("llama-3.1-70b-looking-name", ProviderType.LOCAL, "local")
                .detail(RequirementEstimator.PARAMETER_COUNT, "8030261248").detail(RequirementEstimator.FILE_TYPE, "15").build();

        ModelRequirements r = RequirementEstimator.estimate(m);

        assertThat(r.source()).isEqualTo("gguf");
        assertThat(r.ramGb()).isEqualTo(5.9);
        assertThat(r.vramGb()).isEqualTo(5.9);
    }

    @Test
    void aProvidersOwnFiguresWin() {
        ModelInfo m = ModelInfo.builder("switchboard-demo", ProviderType.LOCAL, "local")
                .detail(RequirementEstimator.PARAMETER_COUNT, "70000000000").detail(RequirementEstimator.RAM_GB, "0.6").build();

        assertThat(RequirementEstimator.estimate(m)).isEqualTo(new ModelRequirements(0.6, 0.6, "gguf"));
    }

    @Test
    void ollamaDetailsAreRead() {
        ModelInfo m = ModelInfo.builder("llama3.1:8b", ProviderType.OLLAMA, "ollama")
                .detail(RequirementEstimator.PARAMETER_SIZE, "8.0B").detail(RequirementEstimator.QUANTIZATION_LEVEL, "Q8_0").build();

        ModelRequirements r = RequirementEstimator.estimate(m);

        assertThat(r.source()).isEqualTo("ollama");
        assertThat(r.ramGb()).isEqualTo(RequirementEstimator.round1(8e9 * 8.5 / 8 / (1 << 30) * 1.2 + 0.5));
    }

    @Test
    void aFileSizeAloneIsEnough() {
        ModelInfo m = ModelInfo.builder("something.gguf", ProviderType.LOCAL, "local")
                .detail(RequirementEstimator.SIZE_BYTES, Long.toString(4L << 30)).build();

        assertThat(RequirementEstimator.estimate(m)).isEqualTo(new ModelRequirements(5.3, 5.3, "file_size"));
    }

    @Test
    void aParameterCountWithoutQuantizationIsTakenAs16Bit() {
        ModelInfo m = ModelInfo.builder("tiny", ProviderType.LOCAL, "local")
                .detail(RequirementEstimator.PARAMETER_COUNT, Long.toString(1L << 30)).build();

        assertThat(RequirementEstimator.estimate(m).ramGb()).isEqualTo(2.9);
    }

    @Test
    void unreadableMetadataFallsBackToTheName() {
        ModelInfo m = ModelInfo.builder("qwen2.5-7b-instruct", ProviderType.LM_STUDIO, "lm_studio")
                .detail(RequirementEstimator.PARAMETER_SIZE, "lots").detail(RequirementEstimator.QUANTIZATION, "Q4_K_M").build();

        assertThat(RequirementEstimator.estimate(m)).isEqualTo(new ModelRequirements(14, 7, "table"));
    }

    @Test
    void quantizationNames() {
        assertThat(RequirementEstimator.bitsPerWeight("MOSTLY_Q4_K_M")).isEqualTo(4.8);
        assertThat(RequirementEstimator.bitsPerWeight("F16")).isEqualTo(16.0);
        assertThat(RequirementEstimator.bitsPerWeight("0")).isEqualTo(32.0);
        assertThat(RequirementEstimator.bitsPerWeight("Q8_0")).isEqualTo(8.5);
        assertThat(RequirementEstimator.bitsPerWeight("IQ2_XS")).isEqualTo(3.0);
        assertThat(RequirementEstimator.bitsPerWeight("gguf")).isNull();
        assertThat(RequirementEstimator.parameterSize("270M")).isEqualTo(2.7e8);
    }
}
