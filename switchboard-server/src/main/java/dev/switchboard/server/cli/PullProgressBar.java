package dev.switchboard.server.cli;

import dev.switchboard.provider.PullProgress;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * {@code switchboard pull}'s progress: for each layer a bar with percent, bytes, rate and ETA. On a terminal the bar is
 * redrawn in place with a carriage return; elsewhere (a pipe, a log, CI) it prints a plain line per status and per tenth
 * of a download. The rate is measured over the last few seconds, so the ETA follows the link's current speed.
 */
final class PullProgressBar implements PullProgress {
    private static final int WIDTH = 24;
    private static final long WINDOW_NANOS = 5_000_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private final Deque<long[]> samples = new ArrayDeque<>();
    private String lastStatus;
    private String digest;
    private long lastTenth = -1;
    private boolean lineOpen;

    PullProgressBar(PrintWriter out, boolean terminal, LongSupplier nanoTime) {
        this.out = out;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
    }

    @Override
    public synchronized void update(Update u) {
        boolean download = u.total() != null && u.total() > 0 && u.digest() != null;
        if (!download) {
            if (!u.status().equals(lastStatus)) {
                endLine();
                out.println(u.status());
            }
            lastStatus = u.status();
            out.flush();
            return;
        }
        if (!u.digest().equals(digest)) {
            endLine();
            digest = u.digest();
            samples.clear();
            lastTenth = -1;
        }
        lastStatus = u.status();
        long completed = u.completed() == null ? 0 : Math.min(u.completed(), u.total());
        long now = nanoTime.getAsLong();
        samples.addLast(new long[] {now, completed});
        while (samples.size() > 2 && now - samples.peekFirst()[0] > WINDOW_NANOS) {
            samples.removeFirst();
        }
        String line = line(u.digest(), completed, u.total(), rate());
        if (terminal) {
            out.print("\r" + line + "\033[K");
            lineOpen = true;
        } else {
            long tenth = completed * 10 / u.total();
            if (tenth != lastTenth) {
                out.println(line);
                lastTenth = tenth;
            }
        }
        out.flush();
    }

    /** Ends a bar left open on a terminal, so what follows starts on its own line. */
    synchronized void finish() {
        endLine();
        out.flush();
    }

    private void endLine() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }

    /** Bytes per second over the window; negative while there is no elapsed time to measure. */
    private double rate() {
        long[] first = samples.peekFirst();
        long[] last = samples.peekLast();
        long nanos = last[0] - first[0];
        return nanos <= 0 ? -1 : (last[1] - first[1]) * 1e9 / nanos;
    }

    static String line(String digest, long completed, long total, double bytesPerSecond) {
        double fraction = total <= 0 ? 0 : (double) completed / total;
        int filled = (int) Math.floor(fraction * WIDTH);
        StringBuilder bar = new StringBuilder("[");
        for (int i = 0; i < WIDTH; i++) {
            bar.append(i < filled ? '=' : i == filled && filled < WIDTH ? '>' : ' ');
        }
        bar.append(']');
        String rate = bytesPerSecond < 0 ? "--" : bytes((long) bytesPerSecond) + "/s";
        String eta = completed >= total ? "done" : bytesPerSecond <= 0 ? "ETA --:--"
                : "ETA " + duration((long) Math.ceil((total - completed) / bytesPerSecond));
        return String.format(Locale.ROOT, "pulling %s %3d%% %s %s / %s  %s  %s", shortDigest(digest),
                (int) Math.floor(fraction * 100), bar, bytes(completed), bytes(total), rate, eta);
    }

    static String shortDigest(String digest) {
        String d = digest.startsWith("sha256:") ? digest.substring(7) : digest;
        return d.length() > 12 ? d.substring(0, 12) : d;
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String duration(long seconds) {
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
