package io.syncline.http;

import java.time.Duration;
import java.util.Optional;

/**
 * A classified failure with its context: what we were doing, what happened, after how many attempts and how long.
 *
 * <p>The message reads like {@code GET https://api.stripe.com/v1/charges?limit=100 (page 3): 503 Service
 * Unavailable after 5 attempts over 12.4 s; response: {...}}; it never holds credentials (known secrets are masked)
 * and at most {@value #MAX_EXCERPT_CHARS} characters of the response body.
 */
public final class HttpFailure {
    /** The most response-body characters a failure carries. */
    public static final int MAX_EXCERPT_CHARS = 2048;

    private final FailureKind kind;
    private final FailureRule rule;
    private final int status;
    private final String message;
    private final int attempts;
    private final Duration elapsed;
    private final Duration retryAfter;
    private final String responseExcerpt;
    private final Headers responseHeaders;
    private final String configKey;
    private final Throwable cause;

    HttpFailure(FailureKind kind, FailureRule rule, int status, String message, int attempts, Duration elapsed,
                Duration retryAfter, String responseExcerpt, Headers responseHeaders, String configKey,
                Throwable cause) {
        this.kind = kind;
        this.rule = rule;
        this.status = status;
        this.message = message;
        this.attempts = attempts;
        this.elapsed = elapsed;
        this.retryAfter = retryAfter;
        this.responseExcerpt = responseExcerpt;
        this.responseHeaders = responseHeaders == null ? Headers.empty() : responseHeaders;
        this.configKey = configKey;
        this.cause = cause;
    }

    /** What the caller should do. */
    public FailureKind kind() {
        return kind;
    }

    /** The row of the failure table that decided it (also the metrics reason). */
    public FailureRule rule() {
        return rule;
    }

    /** The HTTP status, when a response arrived. */
    public Optional<Integer> status() {
        return status == 0 ? Optional.empty() : Optional.of(status);
    }

    /** The full message with context. */
    public String message() {
        return message;
    }

    /** Attempts made, including the first. */
    public int attempts() {
        return attempts;
    }

    /** Time from the first attempt to giving up. */
    public Duration elapsed() {
        return elapsed;
    }

    /** When the server (or our own limiter) said to come back, if it did: sources can wait this long before polling. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The start of the response body (at most {@value #MAX_EXCERPT_CHARS} characters, secrets masked). */
    public Optional<String> responseExcerpt() {
        return Optional.ofNullable(responseExcerpt);
    }

    /** The last response's headers (empty when none arrived). */
    public Headers responseHeaders() {
        return responseHeaders;
    }

    /** For {@link FailureKind#AUTH} failures: the configuration key holding the rejected credential. */
    public Optional<String> configKey() {
        return Optional.ofNullable(configKey);
    }

    /** The underlying exception, for transport failures. */
    public Optional<Throwable> cause() {
        return Optional.ofNullable(cause);
    }

    /** This failure as an exception to throw. */
    public HttpCallException toException() {
        return new HttpCallException(this);
    }

    @Override
    public String toString() {
        return kind + ": " + message;
    }
}
