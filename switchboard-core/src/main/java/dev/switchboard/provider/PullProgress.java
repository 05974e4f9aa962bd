package dev.switchboard.provider;

/**
 * Hears how downloading a model goes, one update per upstream status line: {@code pulling manifest},
 * {@code downloading <digest>} with byte counts, {@code verifying sha256 digest}, {@code writing manifest},
 * {@code success}. {@code total} and {@code completed} are null when the line carries none.
 */
@FunctionalInterface
public interface PullProgress {
    record Update(String status, String digest, Long total, Long completed) {
        public boolean done() {
            return "success".equals(status);
        }
    }

    void update(Update u);

    PullProgress NONE = u -> { };
}
