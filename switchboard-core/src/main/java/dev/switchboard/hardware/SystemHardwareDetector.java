package dev.switchboard.hardware;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;
import oshi.hardware.GraphicsCard;
import oshi.hardware.HardwareAbstractionLayer;

/**
 * The machine as OSHI sees it (CPU, logical cores, RAM), the free space of the data directory's file system, and
 * the GPUs that {@code nvidia-smi} and {@code rocm-smi} report; Apple silicon gets one GPU with unified memory.
 * OSHI's graphics cards are used only where no tool answered and only with at least 1 GiB of VRAM, so the "unknown"
 * card with 0 VRAM it reports on servers counts as no GPU.
 *
 * <p>{@link #current()} answers from the last detection; once that is older than {@link #CACHE_FOR} a refresh runs
 * in the background, so no request waits for {@code nvidia-smi}. Only the very first call detects in line.
 */
final class SystemHardwareDetector implements HardwareDetector {
    private static final Logger log = LoggerFactory.getLogger(SystemHardwareDetector.class);
    private static final double GIB = 1024.0 * 1024 * 1024;

    static final SystemHardwareDetector SHARED = new SystemHardwareDetector(
            Path.of(System.getProperty("user.home"), ".switchboard"), ToolRunner.SYSTEM,
            System.getProperty("os.name", ""), System.getProperty("os.arch", ""));

    private final Path dataDir;
    private final ToolRunner tools;
    private final String osName;
    private final String osArch;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile HardwareInfo last;
    private volatile HardwareAbstractionLayer hal;
    private volatile boolean oshiBroken;
    private volatile List<GpuInfo> oshiCards;

    SystemHardwareDetector(Path dataDir, ToolRunner tools, String osName, String osArch) {
        this.dataDir = dataDir;
        this.tools = tools;
        this.osName = osName;
        this.osArch = osArch;
    }

    @Override
    public HardwareInfo detect() {
        Memory mem = memory();
        String cpu = "unknown";
        int cores = Runtime.getRuntime().availableProcessors();
        HardwareAbstractionLayer h = hal();
        if (h != null) {
            try {
                String name = h.getProcessor().getProcessorIdentifier().getName();
                cpu = name == null || name.isBlank() ? cpu : name.strip();
                cores = Math.max(1, h.getProcessor().getLogicalProcessorCount());
            } catch (RuntimeException | LinkageError e) {
                log.debug("OSHI could not read the CPU: {}", e.toString());
            }
        }
        List<GpuInfo> gpus = gpus(mem);
        HardwareInfo info = new HardwareInfo(platform(osName), architecture(osArch), cpu, cores, mem.total / GIB,
                mem.available / GIB, freeDiskGb(dataDir), gpus, Instant.now());
        last = info;
        return info;
    }

    @Override
    public HardwareInfo current() {
        HardwareInfo l = last;
        if (l == null) {
            synchronized (this) {
                return last != null ? last : detect();
            }
        }
        if (l.detectedAt().plus(CACHE_FOR).isBefore(Instant.now()) && refreshing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("switchboard-hardware").start(() -> {
                try {
                    detect();
                } catch (RuntimeException e) {
                    log.warn("hardware detection failed: {}", e.toString());
                } finally {
                    refreshing.set(false);
                }
            });
        }
        return l;
    }

    private record Memory(long total, long available) {}

    private Memory memory() {
        HardwareAbstractionLayer h = hal();
        if (h != null) {
            try {
                long total = h.getMemory().getTotal();
                long available = h.getMemory().getAvailable();
                if (total > 0) {
                    return new Memory(total, Math.max(0, Math.min(available, total)));
                }
            } catch (RuntimeException | LinkageError e) {
                log.debug("OSHI could not read memory: {}", e.toString());
            }
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return new Memory(os.getTotalMemorySize(), os.getFreeMemorySize());
    }

    private List<GpuInfo> gpus(Memory mem) {
        List<GpuInfo> found = new ArrayList<>();
        String nvidia = tools.run(NvidiaSmi.COMMAND);
        if (nvidia != null) {
            for (GpuInfo g : NvidiaSmi.parse(nvidia)) {
                // A unified-memory NVIDIA part ([N/A] total) shares system RAM.
                found.add(g.unifiedMemory() ? new GpuInfo(g.index(), g.name(), g.vendor(), mem.total / (1024 * 1024),
                        mem.available / (1024 * 1024), true) : g);
            }
        }
        String rocm = tools.run(RocmSmi.COMMAND);
        if (rocm != null) {
            int offset = found.size();
            for (GpuInfo g : RocmSmi.parse(rocm)) {
                found.add(new GpuInfo(offset + g.index(), g.name(), g.vendor(), g.memoryTotalMb(), g.memoryFreeMb(), false));
            }
        }
        if (found.isEmpty() && platform(osName).equals("Darwin") && architecture(osArch).equals("arm64")) {
            found.add(new GpuInfo(0, "Apple silicon GPU", "Apple", mem.total / (1024 * 1024), mem.available / (1024 * 1024), true));
        }
        if (found.isEmpty()) {
            found.addAll(oshiCards());
        }
        return found;
    }

    /** OSHI's cards with real VRAM; read once, since on Linux it runs lshw. */
    private List<GpuInfo> oshiCards() {
        List<GpuInfo> cards = oshiCards;
        if (cards != null) {
            return cards;
        }
        cards = new ArrayList<>();
        HardwareAbstractionLayer h = platform(osName).equals("Linux") ? null : hal();
        if (h != null) {
            try {
                int i = 0;
                for (GraphicsCard c : h.getGraphicsCards()) {
                    GpuInfo g = fromOshi(i, c.getName(), c.getVendor(), c.getVRam());
                    if (g != null) {
                        cards.add(g);
                        i++;
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                log.debug("OSHI could not list graphics cards: {}", e.toString());
            }
        }
        oshiCards = List.copyOf(cards);
        return oshiCards;
    }

    /** An OSHI graphics card as a GPU, or null for the "unknown" card, integrated apertures and 0 VRAM. */
    static GpuInfo fromOshi(int index, String name, String vendor, long vramBytes) {
        if (vramBytes < RocmSmi.MIN_VRAM_BYTES || name == null || name.isBlank()
                || name.strip().equalsIgnoreCase("unknown")) {
            return null;
        }
        String v = vendor == null || vendor.isBlank() || vendor.equalsIgnoreCase("unknown") ? "unknown" : vendor.strip();
        return new GpuInfo(index, name.strip(), v, vramBytes / (1024 * 1024), -1, false);
    }

    private HardwareAbstractionLayer hal() {
        if (oshiBroken) {
            return null;
        }
        HardwareAbstractionLayer h = hal;
        if (h == null) {
            try {
                h = new SystemInfo().getHardware();
                hal = h;
            } catch (RuntimeException | LinkageError e) {
                oshiBroken = true;
                log.warn("OSHI is not available here ({}); using the JVM's view of the machine", e.toString());
                return null;
            }
        }
        return h;
    }

    /** Free space of the file system the data directory lives on (its nearest existing ancestor until it exists). */
    static double freeDiskGb(Path dir) {
        try {
            Path p = dir.toAbsolutePath();
            while (p != null && !Files.exists(p)) {
                p = p.getParent();
            }
            return p == null ? 0 : Files.getFileStore(p).getUsableSpace() / GIB;
        } catch (Exception e) {
            return 0;
        }
    }

    /** The seed's {@code platform.system()} names: Linux, Darwin, Windows. */
    static String platform(String osName) {
        String n = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
        if (n.startsWith("mac") || n.startsWith("darwin")) {
            return "Darwin";
        }
        if (n.startsWith("windows")) {
            return "Windows";
        }
        if (n.startsWith("linux")) {
            return "Linux";
        }
        return osName == null || osName.isBlank() ? "unknown" : osName;
    }

    /** x86_64 and arm64, whatever the JVM calls them. */
    static String architecture(String osArch) {
        String a = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64", "x64" -> "x86_64";
            case "aarch64", "arm64" -> "arm64";
            default -> a.isEmpty() ? "unknown" : a;
        };
    }
}
