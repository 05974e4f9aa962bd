package dev.switchboard.hardware;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads {@code nvidia-smi --query-gpu=index,name,memory.total,memory.free --format=csv,noheader,nounits}: one line
 * per GPU, memory in MiB. A total of {@code [N/A]} is what unified-memory parts (Grace Blackwell, Jetson) print: such
 * a GPU shares system RAM, so it is reported as unified memory and the detector fills in the RAM. A free figure of
 * {@code [N/A]} becomes -1 (unknown). Lines that do not parse (driver errors, "No devices were found") are skipped.
 */
public final class NvidiaSmi {
    public static final List<String> COMMAND = List.of("nvidia-smi",
            "--query-gpu=index,name,memory.total,memory.free", "--format=csv,noheader,nounits");

    private NvidiaSmi() {}

    public static List<GpuInfo> parse(String output) {
        List<GpuInfo> gpus = new ArrayList<>();
        if (output == null) {
            return gpus;
        }
        for (String line : output.split("\\R")) {
            String[] f = line.split(",");
            if (f.length < 4) {
                continue;
            }
            // A GPU name may itself hold a comma: index first, the two memory figures last, the name between.
            Long index = number(f[0]);
            Long total = number(f[f.length - 2]);
            Long free = number(f[f.length - 1]);
            String name = String.join(",", java.util.Arrays.copyOfRange(f, 1, f.length - 2)).strip();
            if (index == null || index < 0 || index > Integer.MAX_VALUE || name.isEmpty()) {
                continue;
            }
            boolean totalUnknown = notAvailable(f[f.length - 2]);
            if (total == null && !totalUnknown) {
                continue;
            }
            if (total != null && total <= 0) {
                continue;
            }
            if (total == null) {
                gpus.add(new GpuInfo(index.intValue(), name, "NVIDIA", 0, -1, true));
            } else {
                gpus.add(new GpuInfo(index.intValue(), name, "NVIDIA", total,
                        free == null || free < 0 ? -1 : Math.min(free, total), false));
            }
        }
        return gpus;
    }

    static boolean notAvailable(String field) {
        String v = field.strip().toLowerCase(Locale.ROOT);
        return v.equals("[n/a]") || v.equals("n/a") || v.equals("[not supported]") || v.equals("[unknown error]");
    }

    /** A whole number of MiB (nvidia-smi prints integers; a decimal is truncated), or null. */
    static Long number(String field) {
        String v = field.strip();
        if (v.isEmpty() || v.length() > 18) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            try {
                double d = Double.parseDouble(v);
                return Double.isFinite(d) && Math.abs(d) < 1e15 && v.chars().allMatch(c -> Character.isDigit(c) || c == '.')
                        ? (long) d : null;
            } catch (NumberFormatException e2) {
                return null;
            }
        }
    }
}
