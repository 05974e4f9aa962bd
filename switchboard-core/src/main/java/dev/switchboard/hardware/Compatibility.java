package dev.switchboard.hardware;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a model fits the machine now. Not compatible when its RAM need exceeds available RAM and no GPU has the
 * VRAM to take it instead; warnings say what is short, in numbers ("needs 14.0 GB RAM, 9.8 GB available").
 */
public record Compatibility(boolean compatible, boolean gpu, List<String> warnings, ModelRequirements requirements) {

    public Compatibility {
        warnings = List.copyOf(warnings);
    }

    public static Compatibility check(HardwareInfo hw, ModelRequirements need) {
        List<String> warnings = new ArrayList<>();
        boolean ramOk = need.ramGb() <= hw.availableRamGb();
        boolean dedicated = hw.gpus().stream().anyMatch(g -> !g.unifiedMemory());
        boolean unified = hw.gpus().stream().anyMatch(GpuInfo::unifiedMemory);
        // Unified memory (Apple silicon, Grace Blackwell) is the RAM: a model that fits the RAM runs on that GPU.
        boolean vramOk = (dedicated && need.vramGb() <= hw.freeVramGb()) || (unified && ramOk);
        if (!ramOk) {
            warnings.add(String.format(Locale.ROOT, "needs %.1f GB RAM, %.1f GB available", need.ramGb(), hw.availableRamGb()));
        }
        if (dedicated && !vramOk) {
            warnings.add(String.format(Locale.ROOT, "needs %.1f GB VRAM for the GPU, %.1f GB free", need.vramGb(), hw.freeVramGb()));
        }
        if (!hw.hasGpu() && need.vramGb() > 0) {
            warnings.add("no GPU: runs on the CPU only");
        }
        return new Compatibility(ramOk || vramOk, vramOk, warnings, need);
    }
}
