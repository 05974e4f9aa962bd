package dev.switchboard.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection on this machine (OSHI is real here), with the GPU tools' answers scripted. */
class SystemHardwareDetectorTest {
    @TempDir
    Path dir;

    private static ToolRunner tools(Map<String, String> outputs) {
        return command -> outputs.get(command.getFirst());
    }

    @Test
    void readsCpuMemoryAndDiskAndNoToolsMeansNoGpu() {
        HardwareInfo hw = new SystemHardwareDetector(dir, tools(Map.of()), "Linux", "amd64").detect();

        assertThat(hw.platform()).isEqualTo("Linux");
        assertThat(hw.architecture()).isEqualTo("x86_64");
        assertThat(hw.cpuCount()).isPositive();
        assertThat(hw.cpuModel()).isNotBlank();
        assertThat(hw.totalRamGb()).isPositive();
        assertThat(hw.availableRamGb()).isBetween(0.0, hw.totalRamGb());
        assertThat(hw.freeDiskGb()).isPositive();
        assertThat(hw.gpus()).isEmpty();
        assertThat(hw.hasGpu()).isFalse();
    }

    @Test
    void aDataDirectoryThatDoesNotExistYetReportsItsFileSystem() {
        assertThat(SystemHardwareDetector.freeDiskGb(dir.resolve("not/yet/there"))).isPositive();
    }

    @Test
    void gpusFromNvidiaSmiAndRocmSmiTogether() {
        HardwareInfo hw = new SystemHardwareDetector(dir, tools(Map.of(
                "nvidia-smi", "0, NVIDIA GeForce RTX 3090, 24576, 20000\n",
                "rocm-smi", "{\"card0\": {\"VRAM Total Memory (B)\": \"17163091968\", \"VRAM Total Used Memory (B)\": \"0\", "
                        + "\"Card series\": \"Radeon RX 6800\"}}")), "Linux", "amd64").detect();

        assertThat(hw.gpus()).extracting(GpuInfo::name).containsExactly("NVIDIA GeForce RTX 3090", "Radeon RX 6800");
        assertThat(hw.gpus()).extracting(GpuInfo::index).containsExactly(0, 1);
        assertThat(hw.totalVramGb()).isGreaterThan(39);
    }

    @Test
    void aToolPrintingGarbageMeansNoGpuFromIt() {
        HardwareInfo hw = new SystemHardwareDetector(dir, tools(Map.of("nvidia-smi", "Segmentation fault", "rocm-smi", "{")),
                "Linux", "amd64").detect();

        assertThat(hw.gpus()).isEmpty();
    }

    @Test
    void aUnifiedMemoryNvidiaPartGetsTheSystemRam() {
        HardwareInfo hw = new SystemHardwareDetector(dir, tools(Map.of("nvidia-smi", "0, NVIDIA GB10, [N/A], [N/A]")),
                "Linux", "aarch64").detect();

        GpuInfo gpu = hw.gpus().getFirst();
        assertThat(gpu.unifiedMemory()).isTrue();
        assertThat(gpu.memoryTotalGb()).isCloseTo(hw.totalRamGb(), org.assertj.core.data.Offset.offset(0.01));
        assertThat(hw.totalVramGb()).isZero();
    }

    @Test
    void appleSiliconHasOneUnifiedMemoryGpu() {
        HardwareInfo hw = new SystemHardwareDetector(dir, tools(Map.of()), "Mac OS X", "aarch64").detect();

        assertThat(hw.platform()).isEqualTo("Darwin");
        assertThat(hw.architecture()).isEqualTo("arm64");
        assertThat(hw.gpus()).hasSize(1);
        GpuInfo gpu = hw.gpus().getFirst();
        assertThat(gpu.vendor()).isEqualTo("Apple");
        assertThat(gpu.unifiedMemory()).isTrue();
        assertThat(gpu.memoryTotalGb()).isCloseTo(hw.totalRamGb(), org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void oshisUnknownCardWithoutVramIsNoGpu() {
        assertThat(SystemHardwareDetector.fromOshi(0, "unknown", "unknown", 0)).isNull();
        assertThat(SystemHardwareDetector.fromOshi(0, "ASPEED Graphics Family", "ASPEED Technology, Inc.", 16L << 20)).isNull();
        assertThat(SystemHardwareDetector.fromOshi(0, "Unknown", "", 8L << 30)).isNull();
        assertThat(SystemHardwareDetector.fromOshi(1, "NVIDIA GeForce RTX 2080", "NVIDIA", 8L << 30))
                .isEqualTo(new GpuInfo(1, "NVIDIA GeForce RTX 2080", "NVIDIA", 8192, -1, false));
    }

    @Test
    void currentAnswersFromItsCache() {
        SystemHardwareDetector d = new SystemHardwareDetector(dir, tools(Map.of()), "Linux", "amd64");

        HardwareInfo first = d.current();

        assertThat(d.current()).isSameAs(first);
    }

    @Test
    void platformNamesAreTheSeeds() {
        assertThat(List.of("Linux", "Mac OS X", "Windows 11", "FreeBSD")).map(SystemHardwareDetector::platform)
                .containsExactly("Linux", "Darwin", "Windows", "FreeBSD");
    }

    @Test
    void aMissingToolAnswersNull() {
        assertThat(ToolRunner.SYSTEM.run(List.of("switchboard-no-such-tool-4711", "--json"))).isNull();
    }

    @Test
    void theSharedDetectorWorksOnThisMachine() {
        HardwareInfo hw = HardwareDetector.shared().current();

        assertThat(hw.cpuCount()).isPositive();
        assertThat(hw.totalRamGb()).isPositive();
        // Whatever the GPUs, none of them is OSHI's "unknown" card.
        assertThat(hw.gpus()).noneSatisfy(g -> assertThat(g.name()).isEqualToIgnoringCase("unknown"));
    }
}
