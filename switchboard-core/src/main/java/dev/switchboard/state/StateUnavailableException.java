package dev.switchboard.state;

/**
 * The storage behind {@link ExpiringState} cannot be read or written just now (Redis is down, the database file
 * cannot be written). Unlike cooldowns or limits, a session or a one-time sign-in state cannot be answered from
 * this replica's own view without letting a revoked session in or a one-time state be used twice, so the caller is
 * told instead: the HTTP server answers 503, and the client may try again.
 */
public final class StateUnavailableException extends RuntimeException {
    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
