package dev.switchboard.server.cli;

/** A failure the CLI reports as one line on stderr, with exit code 2. */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message, null, false, false);
    }
}
