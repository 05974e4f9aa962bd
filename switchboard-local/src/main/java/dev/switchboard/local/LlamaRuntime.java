package dev.switchboard.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Prepares the JVM for de.kherud:llama's native library, once. Its loader deletes every {@code jllama*} file in its
 * temporary directory on start and extracts its own copy there, so two JVMs sharing {@code java.io.tmpdir} (test
 * forks, a server and a CLI) delete each other's library: each JVM gets a directory of its own. We extract the
 * library ourselves and point {@code de.kherud.llama.lib.path} at it, which also keeps the loader's "Extracted …"
 * line off stdout, where CLI output goes. Either property set by the operator wins.
 */
final class LlamaRuntime {
    private static boolean prepared;

    private LlamaRuntime() {}

    static synchronized void prepare() {
        if (prepared) {
            return;
        }
        prepared = true;
        try {
            Path base = Files.createTempDirectory("switchboard-llama-");
            base.toFile().deleteOnExit();
            if (System.getProperty("de.kherud.llama.tmpdir") == null) {
                Path tmp = Files.createDirectories(base.resolve("tmp"));
                tmp.toFile().deleteOnExit();
                System.setProperty("de.kherud.llama.tmpdir", tmp.toString());
            }
            if (System.getProperty("de.kherud.llama.lib.path") == null) {
                String resource = nativeResource();
                if (resource != null) {
                    try (InputStream in = LlamaRuntime.class.getClassLoader().getResourceAsStream(resource)) {
                        if (in != null) {
                            Path lib = Files.createDirectories(base.resolve("lib"));
                            lib.toFile().deleteOnExit();
                            Path file = lib.resolve(resource.substring(resource.lastIndexOf('/') + 1));
                            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                            file.toFile().deleteOnExit();
                            System.setProperty("de.kherud.llama.lib.path", lib.toString());
                        }
                    }
                }
            }
        } catch (IOException e) {
            // The library's own extraction into java.io.tmpdir still works; only the isolation is lost.
            org.slf4j.LoggerFactory.getLogger(LlamaRuntime.class).warn("cannot prepare a private directory for llama.cpp: {}", e.getMessage());
        }
    }

    /** Where the jar keeps the library for this platform, or null for platforms we leave to the library's own lookup. */
    static String nativeResource() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String a = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
        if (a == null) {
            return null;
        }
        if (os.startsWith("linux")) {
            return "de/kherud/llama/Linux/" + a + "/libjllama.so";
        }
        if (os.startsWith("mac")) {
            return null; // Metal needs ggml-metal.metal beside the library; the loader handles that itself
        }
        if (os.startsWith("windows") && a.equals("x86_64")) {
            return "de/kherud/llama/Windows/x86_64/jllama.dll";
        }
        return null;
    }
}
