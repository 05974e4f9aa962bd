package dev.switchboard.local.gguf;

/** The bytes are not a GGUF file this reader understands: bad magic, unsupported version, truncated, or lengths that cannot be. */
public final class GgufFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public GgufFormatException(String message) {
        super(message);
    }

    public GgufFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
