package dev.switchboard.hardware;

import java.time.Duration;

/**
 * Finds out what the machine has (the seed's HardwareDetector). {@link #current()} answers from a short cache, so
 * callers on the request path (the fit gate, the selector's hardware term) do not probe the system each time.
 */
public interface HardwareDetector {
    /** Probes the machine now. */
    HardwareInfo detect();

    /** The last detection if it is younger than a few seconds, else a new one. */
    HardwareInfo current();

    /** The process-wide detector (OSHI plus the GPU tools found on the PATH). */
    static HardwareDetector shared() {
        return SystemHardwareDetector.SHARED;
    }

    /**
     * A detector for this machine that reports the free disk space where {@code dataDir} lives (the data directory,
     * {@code MonitoringConfig.dataDir(env)}), with its own short cache.
     */
    static HardwareDetector forDataDir(java.nio.file.Path dataDir) {
        return new SystemHardwareDetector(dataDir, ToolRunner.SYSTEM, System.getProperty("os.name", ""),
                System.getProperty("os.arch", ""));
    }

    /** A detector that always answers {@code info}: for tests and for embedding applications that know better. */
    static HardwareDetector fixed(HardwareInfo info) {
        return new HardwareDetector() {
            @Override
            public HardwareInfo detect() {
                return info;
            }

            @Override
            public HardwareInfo current() {
                return info;
            }
        };
    }

    Duration CACHE_FOR = Duration.ofSeconds(5);
}
