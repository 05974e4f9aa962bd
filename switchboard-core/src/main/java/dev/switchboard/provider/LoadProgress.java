package dev.switchboard.provider;

/**
 * Hears how loading an in-process model goes, for the CLI's progress line: the SHA-256 check of the file (bytes
 * read of the file size), the start of the native load, and its end. llama.cpp reports no progress of its own
 * while it maps the weights, so that stage has a start and an end only.
 */
@FunctionalInterface
public interface LoadProgress {
    enum Stage {
        /** Hashing the file against its pin: {@code done} of {@code total} bytes. */
        VERIFYING,
        /** The native load started; {@code total} is the file size. */
        LOADING,
        /** Loaded; {@code done} is the time it took in milliseconds. */
        LOADED
    }

    void update(String provider, String modelId, Stage stage, long done, long total);

    LoadProgress NONE = (provider, modelId, stage, done, total) -> { };
}
