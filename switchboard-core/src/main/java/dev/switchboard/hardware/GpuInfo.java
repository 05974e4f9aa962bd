package dev.switchboard.hardware;

/**
 * One GPU as the machine's own tool reports it ({@code nvidia-smi}, {@code rocm-smi}) or, on Apple silicon, the
 * unified memory the GPU shares with the CPU. Memory in MiB; {@code memoryFreeMb} is -1 when the tool does not say.
 */
public record GpuInfo(int index, String name, String vendor, long memoryTotalMb, long memoryFreeMb, boolean unifiedMemory) {
    public double memoryTotalGb() {
        return memoryTotalMb / 1024.0;
    }

    /** Free memory in GiB; the total when the tool does not report free memory. */
    public double memoryFreeGb() {
        return (memoryFreeMb < 0 ? memoryTotalMb : memoryFreeMb) / 1024.0;
    }
}
