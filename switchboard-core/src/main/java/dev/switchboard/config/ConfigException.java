package dev.switchboard.config;

/** The configuration cannot be used. The message names the key, the bad value and what was expected. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
