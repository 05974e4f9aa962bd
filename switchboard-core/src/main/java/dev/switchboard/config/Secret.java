package dev.switchboard.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A credential. It prints and serializes as a mask, so a key cannot leak through a log line, a status page
 * or an error message by accident; only {@link #reveal()} gives the value, for the one header that needs it.
 */
public final class Secret {
    private static final String MASK = "[redacted]";
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    @JsonCreator
    public static Secret of(String value) {
        return value == null || value.isBlank() ? null : new Secret(value.strip());
    }

    public String reveal() {
        return value;
    }

    /** Replaces every occurrence of this secret in text that came from outside (an upstream error body). */
    public String scrub(String text) {
        return text == null ? null : text.replace(value, MASK);
    }

    @JsonValue
    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && java.security.MessageDigest.isEqual(
                s.value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
