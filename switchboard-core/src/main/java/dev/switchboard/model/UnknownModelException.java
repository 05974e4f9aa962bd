package dev.switchboard.model;

/** The named model or provider is not in any configured catalog; the API answers 404. */
public class UnknownModelException extends RuntimeException {
    public UnknownModelException(String message) {
        super(message);
    }
}
