package dev.switchboard.server.session;

/** A request named a session that is not (or no longer) there: a 401, so the user knows to connect again. */
public final class SessionException extends RuntimeException {
    public SessionException(String message) {
        super(message, null, false, false);
    }
}
