package io.syncline.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedByInterruptException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The failure table: decides what an HTTP status or a transport exception means ({@link FailureRule}, and from it a
 * {@link FailureKind} for the call's {@link CallLevel}).
 *
 * <p>This is the only place in Syncline that interprets an outbound HTTP failure (CONVENTIONS.md rule 4); sources,
 * sinks and the OAuth2 client all go through it.
 */
public final class HttpFailureClassifier {

    private HttpFailureClassifier() {
    }

    /** The rule for a response status, or empty for a 2xx. */
    public static Optional<FailureRule> classify(int status) {
        if (status >= 200 && status < 300) {
            return Optional.empty();
        }
        if (status >= 300 && status < 400) {
            return Optional.of(FailureRule.REDIRECT);
        }
        switch (status) {
            case 401:
            case 403:
                return Optional.of(FailureRule.UNAUTHORIZED);
            case 408:
            case 409:
            case 425:
                return Optional.of(FailureRule.RETRYABLE_STATUS);
            case 429:
                return Optional.of(FailureRule.RATE_LIMITED);
            case 501:
            case 505:
                return Optional.of(FailureRule.NOT_IMPLEMENTED);
            default:
                return Optional.of(status >= 500 && status < 600 ? FailureRule.SERVER_ERROR : FailureRule.CLIENT_ERROR);
        }
    }

    /** The kind for a response status on a call of the given level, or empty for a 2xx. */
    public static Optional<FailureKind> classify(int status, CallLevel level) {
        return classify(status).map(rule -> rule.kindFor(level));
    }

    /**
     * The rule for an exception thrown while sending a request or reading its response.
     *
     * @param failure the exception (its cause chain is inspected)
     * @param responseStarted whether a status line had arrived when it failed (a cut-short body, not a lost connection)
     */
    public static FailureRule classify(Throwable failure, boolean responseStarted) {
        // The outermost recognisable cause wins: Jetty wraps the interesting exception in ExecutionException etc.
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SsrfRefusedException) {
                return FailureRule.SSRF_REFUSED;
            }
            if (t instanceof ResponseTooLargeException) {
                return FailureRule.RESPONSE_TOO_LARGE;
            }
            if (t instanceof InterruptedException || t instanceof ClosedByInterruptException
                    || t instanceof CancellationException) {
                return FailureRule.CANCELLED_CALL;
            }
            if (t instanceof UnknownHostException) {
                return FailureRule.UNKNOWN_HOST;
            }
            if (t instanceof SSLException || t instanceof CertificateException) {
                return FailureRule.TLS;
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return FailureRule.CONNECT_FAILED;
            }
            if (t instanceof SocketTimeoutException && mentionsConnect(t)) {
                return FailureRule.CONNECT_FAILED;
            }
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException
                    || t instanceof InterruptedIOException) {
                return FailureRule.TIMEOUT;
            }
            if (t instanceof URISyntaxException || t instanceof IllegalArgumentException) {
                return FailureRule.INVALID_REQUEST;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return responseStarted ? FailureRule.TRUNCATED_BODY : FailureRule.CONNECTION_LOST;
            }
        }
        return FailureRule.INVALID_REQUEST;
    }

    private static boolean mentionsConnect(Throwable t) {
        String message = t.getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains("connect");
    }

    /** The failure table as Markdown, exactly as {@code docs/http.md} carries it. */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder();
        out.append("| condition | config-level call | per-record call | retried for POST/PATCH without idempotency key | why |\n");
        out.append("|---|---|---|---|---|\n");
        for (FailureRule rule : FailureRule.values()) {
            FailureKind config = rule.kindFor(CallLevel.CONFIG);
            FailureKind record = rule.kindFor(CallLevel.RECORD);
            boolean retries = config == FailureKind.RETRY || record == FailureKind.RETRY;
            out.append("| ").append(rule.condition())
                    .append(" | ").append(config)
                    .append(" | ").append(record)
                    .append(" | ").append(retries ? (rule.retriedForUnsafeMethods() ? "yes" : "no") : "-")
                    .append(" | ").append(rule.why())
                    .append(" |\n");
        }
        return out.toString();
    }
}
