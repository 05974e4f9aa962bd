package dev.switchboard.server.cli;

import dev.switchboard.model.DeploymentKey;
import dev.switchboard.provider.LoadProgress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The CLI's view of an in-process model load, on stderr so a piped answer stays clean: the SHA-256 check with a
 * percentage for big files, the start of the native load, and how long it took.
 */
final class LoadProgressPrinter implements LoadProgress {
    private final PrintWriter err;

    LoadProgressPrinter(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void update(String provider, String modelId, Stage stage, long done, long total) {
        String model = new DeploymentKey(provider, modelId).toString();
        switch (stage) {
            case VERIFYING -> {
                if (done == 0) {
                    err.printf(Locale.ROOT, "verifying %s (%s) against its pinned SHA-256%n", model, size(total));
                } else if (done < total) {
                    err.printf(Locale.ROOT, "verifying %s: %d%%%n", model, done * 100 / Math.max(1, total));
                }
            }
            case LOADING -> err.printf(Locale.ROOT, "loading %s (%s) into llama.cpp...%n", model, size(total));
            case LOADED -> err.printf(Locale.ROOT, "loaded %s in %d ms%n", model, done);
        }
        err.flush();
    }

    static String size(long bytes) {
        double mb = bytes / (1024.0 * 1024);
        return mb >= 1024 ? String.format(Locale.ROOT, "%.1f GB", mb / 1024) : String.format(Locale.ROOT, "%.1f MB", mb);
    }
}
