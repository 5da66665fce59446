package io.syncline.cli.common;



/**
 * An error the user can act on: the message says what went wrong and what to do next. Printed to stderr as
 * {@code error: <message>} without a stack trace, exit code 1.
 */
public final class CliException extends RuntimeException {

    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
