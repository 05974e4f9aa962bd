package dev.switchboard.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.routing.Signals;
import org.junit.jupiter.api.Test;

/** The gate and the bonus the selector uses, and the compatibility check under them. */
class HardwareFitTest {
    private static final ModelInfo SMALL = FakeLocalProvider.gguf("small-1b", 1_000_000_000L, "Q4_K_M", false);   // 1.2 GB
    private static final ModelInfo MID = FakeLocalProvider.gguf("mid-8b", 8_000_000_000L, "Q8_0", false);          // 10.0 GB
    private static final ModelInfo HUGE = FakeLocalProvider.gguf("huge-70b", 70_000_000_000L, "F16", false);       // 157 GB

    @Test
    void aModelThatDoesNotFitIsRefusedWithTheNumbers() {
        HardwareFit fit = new HardwareFit(HardwareDetector.fixed(Machines.cpuOnly(16, 9.8)));

        assertThat(fit.unfit(SMALL)).isNull();
        assertThat(fit.unfit(MID)).isEqualTo("does not fit this machine: needs 10.0 GB RAM, 9.8 GB available; "
                + "no GPU: runs on the CPU only");
    }

    @Test
    void cloudModelsAreNeverRefusedAndGetNoBonus() {
        HardwareFit fit = new HardwareFit(HardwareDetector.fixed(Machines.cpuOnly(2, 0.5)));
        ModelInfo cloud = ModelInfo.builder("meta-llama/llama-3.1-70b-instruct", ProviderType.OPENROUTER, "openrouter").build();
        ModelInfo custom = ModelInfo.basic("llama3.2:3b", ProviderType.CUSTOM_API, "custom_api:alpha");

        assertThat(fit.unfit(cloud)).isNull();
        assertThat(fit.unfit(custom)).isNull();
        assertThat(fit.bonus(cloud)).isZero();
        assertThat(fit.verdict(custom)).isNull();
    }

    @Test
    void ollamaAndLmStudioModelsAreRankedButNotRefused() {
        HardwareFit fit = new HardwareFit(HardwareDetector.fixed(Machines.cpuOnly(8, 2)));
        ModelInfo ollama = ModelInfo.builder("llama3.1:70b", ProviderType.OLLAMA, "ollama").build();

        assertThat(fit.unfit(ollama)).isNull();
        assertThat(fit.verdict(ollama).compatibility().compatible()).isFalse();
        assertThat(fit.bonus(ollama)).isZero();
    }

    @Test
    void aLoadedModelFitsAlthoughItsMemoryIsTaken() {
        HardwareFit fit = new HardwareFit(HardwareDetector.fixed(Machines.cpuOnly(16, 1)));
        ModelInfo loaded = FakeLocalProvider.gguf("mid-8b", 8_000_000_000L, "Q8_0", true);

        assertThat(fit.unfit(loaded)).isNull();
        assertThat(fit.bonus(loaded)).isEqualTo(1.0);
    }

    @Test
    void theSeedsBonusSteps() {
        // SMALL needs 1.2 GB; MID 10.0 GB
        assertThat(new HardwareFit(HardwareDetector.fixed(Machines.cpuOnly(64, 15))).bonus(MID)).isEqualTo(1.0);
        assertThat(new HardwareFit(HardwareDetector.fixed(Machines.cpuOnly(64, 12))).bonus(MID)).isEqualTo(0.5);
        assertThat(new HardwareFit(HardwareDetector.fixed(Machines.cpuOnly(64, 8.5))).bonus(MID)).isEqualTo(0.1);
        assertThat(new HardwareFit(HardwareDetector.fixed(Machines.cpuOnly(64, 7))).bonus(MID)).isZero();
        // with a GPU that takes it: half a point more
        assertThat(new HardwareFit(HardwareDetector.fixed(Machines.withNvidia(32, 24576, 20000))).bonus(MID)).isEqualTo(1.5);
        assertThat(new HardwareFit(HardwareDetector.fixed(Machines.withNvidia(32, 8192, 8000))).bonus(MID)).isEqualTo(1.0);
        assertThat(new HardwareFit(HardwareDetector.fixed(Machines.appleSilicon(32, 20))).bonus(SMALL)).isEqualTo(1.5);
    }

    @Test
    void aModelTooBigForRamButNotForTheGpuFits() {
        HardwareFit fit = new HardwareFit(HardwareDetector.fixed(Machines.withNvidia(8, 24576, 20000)));

        assertThat(fit.unfit(MID)).isNull();
        assertThat(fit.verdict(MID).compatibility().gpu()).isTrue();
        assertThat(fit.unfit(HUGE)).startsWith("does not fit this machine: needs 157.");
    }

    @Test
    void unifiedMemoryCountsAsTheGpusWhenTheModelFitsTheRam() {
        Compatibility c = Compatibility.check(Machines.appleSilicon(32, 20), new ModelRequirements(16, 8, "table"));

        assertThat(c.compatible()).isTrue();
        assertThat(c.gpu()).isTrue();
        assertThat(c.warnings()).isEmpty();
        Compatibility tooBig = Compatibility.check(Machines.appleSilicon(16, 9.8), new ModelRequirements(14, 7, "table"));
        assertThat(tooBig.compatible()).isFalse();
        assertThat(tooBig.warnings()).containsExactly("needs 14.0 GB RAM, 9.8 GB available");
    }

    @Test
    void verdictsAreKeptPerModelAndHardwareSnapshot() {
        HardwareFit fit = new HardwareFit(HardwareDetector.fixed(Machines.cpuOnly(16, 9.8)));

        assertThat(fit.verdict(SMALL)).isSameAs(fit.verdict(SMALL));
    }

    @Test
    void signalsAddTheBonusToTheHistory() {
        Signals history = new Signals() {
            @Override
            public double historyBonus(ModelInfo model) {
                return 0.25;
            }

            @Override
            public double observedLatencyMs(ModelInfo model) {
                return 120;
            }
        };
        Signals s = new HardwareFit(HardwareDetector.fixed(Machines.cpuOnly(64, 40))).signals(history);

        assertThat(s.hardwareBonus(SMALL)).isEqualTo(1.0);
        assertThat(s.historyBonus(SMALL)).isEqualTo(0.25);
        assertThat(s.observedLatencyMs(SMALL)).isEqualTo(120);
    }
}
