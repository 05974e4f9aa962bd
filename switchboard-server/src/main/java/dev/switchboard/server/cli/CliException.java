package dev.switchboard.server.cli;

/** A failure the CLI reports as one line on stderr, with exit code 2. */
class CliException extends RuntimeException {
    CliException(String message) {
        super(message, null, false, false);
    }

    /** Nothing listens at the service's address: a command that can answer in-process may do so instead. */
    static final class Unreachable extends CliException {
        Unreachable(String message) {
            super(message);
        }
    }
}
