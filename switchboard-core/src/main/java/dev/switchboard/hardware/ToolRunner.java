package dev.switchboard.hardware;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a machine's own tool ({@code nvidia-smi}, {@code rocm-smi}) and hands back what it printed. A tool that is
 * not on the PATH, fails, or outlives its timeout answers null: detection never throws because a tool is missing.
 */
@FunctionalInterface
public interface ToolRunner {
    Duration TIMEOUT = Duration.ofSeconds(3);

    /** Standard output of {@code command}, or null when it could not run, exited non-zero or timed out. */
    String run(List<String> command);

    /** Processes found on the PATH, killed after {@link #TIMEOUT}. */
    ToolRunner SYSTEM = command -> {
        Path exe = onPath(command.getFirst());
        if (exe == null) {
            return null;
        }
        List<String> cmd = new java.util.ArrayList<>(command);
        cmd.set(0, exe.toString());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File(File.separatorChar == '\\' ? "NUL" : "/dev/null")))
                    .start();
        } catch (IOException | RuntimeException e) {
            return null;
        }
        try (InputStream in = p.getInputStream()) {
            // Read beside the wait: a tool that fills the pipe must not block its own exit.
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return in.readNBytes(1 << 20);
                } catch (IOException e) {
                    return new byte[0];
                }
            }, r -> Thread.ofVirtual().start(r));
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return null;
            }
            byte[] bytes = out.get(1, TimeUnit.SECONDS);
            return p.exitValue() == 0 ? new String(bytes, StandardCharsets.UTF_8) : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return null;
        } catch (Exception e) {
            p.destroyForcibly();
            return null;
        }
    };

    /** The executable called {@code name} on the PATH, or null. */
    static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null || name.contains("/") || name.contains("\\")) {
            return null;
        }
        boolean windows = File.separatorChar == '\\';
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            for (String candidate : windows ? List.of(name + ".exe", name) : List.of(name)) {
                try {
                    Path p = Path.of(dir, candidate);
                    if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                        return p;
                    }
                } catch (RuntimeException ignored) {
                    // a malformed PATH entry
                }
            }
        }
        return null;
    }
}
