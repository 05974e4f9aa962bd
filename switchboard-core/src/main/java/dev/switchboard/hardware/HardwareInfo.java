package dev.switchboard.hardware;

import java.time.Instant;
import java.util.List;

/**
 * The machine Switchboard runs on: what decides which local models fit. RAM and disk in GiB. An empty {@code gpus}
 * list means no usable GPU (OSHI's "unknown" card with 0 VRAM counts as none).
 */
public record HardwareInfo(
        String platform,
        String architecture,
        String cpuModel,
        int cpuCount,
        double totalRamGb,
        double availableRamGb,
        double freeDiskGb,
        List<GpuInfo> gpus,
        Instant detectedAt) {

    public HardwareInfo {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }

    public boolean hasGpu() {
        return !gpus.isEmpty();
    }

    /** Dedicated VRAM over every GPU, in GiB (unified memory is not counted twice: it is RAM). */
    public double totalVramGb() {
        return gpus.stream().filter(g -> !g.unifiedMemory()).mapToDouble(GpuInfo::memoryTotalGb).sum();
    }

    public double freeVramGb() {
        return gpus.stream().filter(g -> !g.unifiedMemory()).mapToDouble(GpuInfo::memoryFreeGb).sum();
    }
}
