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

    /** The message of a failure and of its causes, without repeats: what the user needs, never a stack trace. */
    public static String describe(Throwable e) {
        if (e instanceof CliException) {
            return e.getMessage();
        }
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && !text.toString().contains(m)) {
                text.append(": ").append(m);
            }
        }
        return text.toString();
    }
}
