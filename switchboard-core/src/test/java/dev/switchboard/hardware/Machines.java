package dev.switchboard.hardware;

import java.time.Instant;
import java.util.List;

/** Synthetic machines for each tier. */
final class Machines {
    private Machines() {}

    static HardwareInfo cpuOnly(double totalRam, double availableRam) {
        return new HardwareInfo("Linux", "x86_64", "Test CPU", 8, totalRam, availableRam, 500, List.of(), Instant.EPOCH);
    }

    static HardwareInfo withNvidia(double availableRam, long vramMb, long freeMb) {
        return new HardwareInfo("Linux", "x86_64", "Test CPU", 16, Math.max(availableRam, 64), availableRam, 500,
                List.of(new GpuInfo(0, "NVIDIA Test GPU", "NVIDIA", vramMb, freeMb, false)), Instant.EPOCH);
    }

    static HardwareInfo appleSilicon(double totalRam, double availableRam) {
        return new HardwareInfo("Darwin", "arm64", "Apple M2 Max", 12, totalRam, availableRam, 500,
                List.of(new GpuInfo(0, "Apple silicon GPU", "Apple", (long) (totalRam * 1024), (long) (availableRam * 1024), true)),
                Instant.EPOCH);
    }
}
