package dev.switchboard.hardware;

import java.time.Instant;
import java.util.List;

/**
 * PLACEHOLDER to be replaced by the OSHI + nvidia-smi/rocm-smi implementation: reports the JVM's view only.
 */
final class SystemHardwareDetector implements HardwareDetector {
    static final SystemHardwareDetector SHARED = new SystemHardwareDetector();

    private volatile HardwareInfo last;

    @Override
    public HardwareInfo detect() {
        Runtime rt = Runtime.getRuntime();
        double gb = 1024.0 * 1024 * 1024;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        HardwareInfo info = new HardwareInfo(System.getProperty("os.name"), System.getProperty("os.arch"), "unknown",
                rt.availableProcessors(), os.getTotalMemorySize() / gb, os.getFreeMemorySize() / gb, 0, List.of(), Instant.now());
        last = info;
        return info;
    }

    @Override
    public HardwareInfo current() {
        HardwareInfo l = last;
        if (l == null || l.detectedAt().plus(CACHE_FOR).isBefore(Instant.now())) {
            return detect();
        }
        return l;
    }
}
