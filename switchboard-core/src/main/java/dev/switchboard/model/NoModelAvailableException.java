package dev.switchboard.model;

/** Nothing can serve the request right now (no models configured, or none reachable); the API answers 503. */
public class NoModelAvailableException extends RuntimeException {
    public NoModelAvailableException(String message) {
        super(message);
    }
}
