package dev.switchboard.manager;

/** A call reached the manager while it was not running (before {@code start}, after {@code stop}): a 503, not a bug. */
public final class NotStartedException extends IllegalStateException {
    public NotStartedException() {
        super("Model management component not initialized");
    }
}
