package dev.switchboard.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The GPU tools' output as they print it. Samples: nvidia-smi with {@code --format=csv,noheader,nounits} on one and
 * on several GPUs, a Grace Blackwell / Jetson part printing {@code [N/A]} memory (unified), a MIG or vGPU state with
 * free memory {@code [N/A]}, and the messages it prints with no driver or no device; rocm-smi {@code --json} output
 * of older releases ("Card series"), newer ones ("Card Series", a warning line first), an APU's 512 MiB aperture.
 */
class GpuToolParsersTest {

    @Test
    void nvidiaSmiOneGpu() {
        List<GpuInfo> gpus = NvidiaSmi.parse("0, NVIDIA GeForce RTX 4090, 24564, 23817\n");

        assertThat(gpus).containsExactly(new GpuInfo(0, "NVIDIA GeForce RTX 4090", "NVIDIA", 24564, 23817, false));
        assertThat(gpus.getFirst().memoryTotalGb()).isCloseTo(23.99, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void nvidiaSmiSeveralGpus() {
        String out = """
                0, NVIDIA H100 80GB HBM3, 81559, 81004
                1, NVIDIA H100 80GB HBM3, 81559, 1350
                2, NVIDIA A100-SXM4-80GB, 81920, 81000
                3, Tesla T4, 15360, 14913
                """;

        List<GpuInfo> gpus = NvidiaSmi.parse(out);

        assertThat(gpus).extracting(GpuInfo::index).containsExactly(0, 1, 2, 3);
        assertThat(gpus).extracting(GpuInfo::name)
                .containsExactly("NVIDIA H100 80GB HBM3", "NVIDIA H100 80GB HBM3", "NVIDIA A100-SXM4-80GB", "Tesla T4");
        assertThat(gpus.get(1).memoryFreeMb()).isEqualTo(1350);
        HardwareInfo hw = new HardwareInfo("Linux", "x86_64", "cpu", 16, 64, 32, 100, gpus, java.time.Instant.now());
        assertThat(hw.totalVramGb()).isCloseTo((81559 * 2 + 81920 + 15360) / 1024.0, org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void nvidiaSmiWindowsLineEndingsAndBlankLines() {
        assertThat(NvidiaSmi.parse("0, NVIDIA GeForce RTX 3050 Laptop GPU, 4096, 3980\r\n\r\n"))
                .containsExactly(new GpuInfo(0, "NVIDIA GeForce RTX 3050 Laptop GPU", "NVIDIA", 4096, 3980, false));
    }

    @Test
    void nvidiaSmiUnifiedMemoryPartPrintsNotAvailable() {
        // DGX Spark (GB10) and Jetson: the GPU shares system memory, so nvidia-smi has no figure for it.
        List<GpuInfo> gpus = NvidiaSmi.parse("0, NVIDIA GB10, [N/A], [N/A]\n");

        assertThat(gpus).containsExactly(new GpuInfo(0, "NVIDIA GB10", "NVIDIA", 0, -1, true));
    }

    @Test
    void nvidiaSmiFreeMemoryNotAvailable() {
        List<GpuInfo> gpus = NvidiaSmi.parse("0, NVIDIA A100-SXM4-40GB, 40960, [N/A]\n1, NVIDIA A100-SXM4-40GB, 40960, [Not Supported]");

        assertThat(gpus).hasSize(2);
        assertThat(gpus).allSatisfy(g -> {
            assertThat(g.memoryFreeMb()).isEqualTo(-1);
            assertThat(g.memoryFreeGb()).isEqualTo(40.0);
        });
    }

    @Test
    void nvidiaSmiWithoutDriverOrDeviceMeansNoGpu() {
        assertThat(NvidiaSmi.parse("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. "
                + "Make sure that the latest NVIDIA driver is installed and running.\n")).isEmpty();
        assertThat(NvidiaSmi.parse("No devices were found\n")).isEmpty();
        assertThat(NvidiaSmi.parse("")).isEmpty();
        assertThat(NvidiaSmi.parse(null)).isEmpty();
    }

    @Test
    void nvidiaSmiSkipsMalformedLinesAndKeepsTheRest() {
        String out = """
                0, NVIDIA A100-SXM4-80GB, 81920, 80000
                garbage line with too few fields
                x, NVIDIA A100-SXM4-80GB, 81920, 80000
                2, NVIDIA A100-SXM4-80GB, lots, 80000
                3, NVIDIA A100-SXM4-80GB, 81920, 1000
                """;

        assertThat(NvidiaSmi.parse(out)).extracting(GpuInfo::index).containsExactly(0, 3);
    }

    @Test
    void nvidiaSmiNameWithAComma() {
        assertThat(NvidiaSmi.parse("0, Quadro RTX 8000, Rev. A, 46080, 45000"))
                .containsExactly(new GpuInfo(0, "Quadro RTX 8000, Rev. A", "NVIDIA", 46080, 45000, false));
    }

    @Test
    void rocmSmiSeveralCardsOlderRelease() {
        String out = """
                {"card0": {"VRAM Total Memory (B)": "68702699520", "VRAM Total Used Memory (B)": "10960896", \
                "Card series": "Instinct MI210", "Card model": "0x0c34", "Card vendor": "Advanced Micro Devices, Inc. [AMD/ATI]", \
                "Card SKU": "D67301"}, "card1": {"VRAM Total Memory (B)": "68702699520", "VRAM Total Used Memory (B)": \
                "34351349760", "Card series": "Instinct MI210", "Card model": "0x0c34", "Card vendor": \
                "Advanced Micro Devices, Inc. [AMD/ATI]", "Card SKU": "D67301"}, "system": {"Driver version": "6.2.4"}}
                """;

        List<GpuInfo> gpus = RocmSmi.parse(out);

        assertThat(gpus).containsExactly(
                new GpuInfo(0, "Instinct MI210", "AMD", 65520, 65509, false),
                new GpuInfo(1, "Instinct MI210", "AMD", 65520, 32760, false));
    }

    @Test
    void rocmSmiNewerReleaseWithAWarningFirst() {
        String out = """
                WARNING: AMD GPU device(s) is/are in a low-power state. Check power control/runtime_status

                {"card0": {"VRAM Total Memory (B)": "25753026560", "VRAM Total Used Memory (B)": "1241513984", \
                "Card Series": "Navi 31 [Radeon RX 7900 XT/7900 XTX/7900 GRE/7900M]", "Card Model": "0x744c", \
                "Card Vendor": "Advanced Micro Devices, Inc. [AMD/ATI]", "Card SKU": "D70701", "Subsystem ID": "0x5304", \
                "Device Rev": "0xc8", "Node ID": "1", "GUID": "48190", "GFX Version": "gfx1100"}}
                """;

        List<GpuInfo> gpus = RocmSmi.parse(out);

        assertThat(gpus).containsExactly(new GpuInfo(0, "Navi 31 [Radeon RX 7900 XT/7900 XTX/7900 GRE/7900M]", "AMD",
                24560, (25753026560L - 1241513984L) / (1024 * 1024), false));
    }

    @Test
    void rocmSmiIntegratedApertureIsNoGpu() {
        String out = """
                {"card0": {"Temperature (Sensor edge) (C)": "49.0", "GPU use (%)": "0", "VRAM Total Memory (B)": "536870912", \
                "VRAM Total Used Memory (B)": "445550592", "Card Series": "Rembrandt [Radeon 680M]", "Card Model": "0x1681", \
                "Card Vendor": "Advanced Micro Devices, Inc. [AMD/ATI]", "Card SKU": "REMBRANDT", "GFX Version": "gfx1035"}}
                """;

        assertThat(RocmSmi.parse(out)).isEmpty();
    }

    @Test
    void rocmSmiMissingFieldsAndGarbage() {
        assertThat(RocmSmi.parse("{\"card0\": {\"Card SKU\": \"STRXLGEN\"}}")).isEmpty();
        assertThat(RocmSmi.parse("{\"card0\": {\"VRAM Total Memory (B)\": \"17179869184\"}}"))
                .containsExactly(new GpuInfo(0, "AMD GPU", "AMD", 16384, -1, false));
        assertThat(RocmSmi.parse("ERROR: No AMD GPUs specified")).isEmpty();
        assertThat(RocmSmi.parse("{\"card0\": [1,2]}")).isEmpty();
        assertThat(RocmSmi.parse("{ not json }")).isEmpty();
        assertThat(RocmSmi.parse(null)).isEmpty();
    }
}
