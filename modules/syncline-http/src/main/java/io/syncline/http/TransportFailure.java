package io.syncline.http;

/** One exchange failed without a complete response; carries the table row it falls under. */
final class TransportFailure extends Exception {
    private static final long serialVersionUID = 1L;

    final FailureRule rule;

    TransportFailure(Throwable cause, boolean responseStarted) {
        super(cause == null ? "unknown failure" : cause.getMessage(), cause);
        this.rule = HttpFailureClassifier.classify(cause, responseStarted);
    }

    /** A short description of the transport failure for messages. */
    String describe() {
        Throwable root = getCause();
        if (root instanceof SsrfRefusedException) {
            return root.getMessage();
        }
        switch (rule) {
            case TIMEOUT:
                return "timed out (" + rootMessage() + ")";
            case CONNECT_FAILED:
                return "could not connect (" + rootMessage() + ")";
            case CONNECTION_LOST:
                return "connection lost before a response (" + rootMessage() + ")";
            case TRUNCATED_BODY:
                return "response body cut short (" + rootMessage() + ")";
            case UNKNOWN_HOST:
                return "host name does not resolve (" + rootMessage() + ")";
            case TLS:
                return "TLS failure (" + rootMessage() + ")";
            case RESPONSE_TOO_LARGE:
                return rootMessage();
            case CANCELLED_CALL:
                return "cancelled";
            default:
                return "failed (" + rootMessage() + ")";
        }
    }

    private String rootMessage() {
        // The innermost message usually says most ("Connection refused", "Idle timeout expired: 1000/1000 ms").
        Throwable t = getCause();
        String message = null;
        while (t != null) {
            if (t instanceof SsrfRefusedException || t instanceof ResponseTooLargeException) {
                return t.getMessage();
            }
            if (t.getMessage() != null) {
                message = t.getClass().getSimpleName() + ": " + t.getMessage();
            } else if (message == null) {
                message = t.getClass().getSimpleName();
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return message;
    }
}
