package dev.switchboard.provider.ollama.docker;

/**
 * The managed Ollama container could not be reached, created, started or did not become ready. The message
 * always says what was attempted and what to check; {@link #status()} carries the Engine's HTTP status when
 * the Engine answered with an error (0 otherwise).
 */
public final class DockerException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public DockerException(String message) {
        this(0, message, null);
    }

    public DockerException(String message, Throwable cause) {
        this(0, message, cause);
    }

    public DockerException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The Docker Engine's HTTP status, or 0 when the failure was not an Engine error response. */
    public int status() {
        return status;
    }
}
