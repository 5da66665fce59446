package io.syncline.http;

import java.time.Duration;

/**
 * Hooks for metrics (attempts, retries by reason, rate-limit waits, token refreshes); a role binds them to its
 * metrics registry. Called on the calling thread; implementations must be fast and must not throw.
 *
 * <p>{@code target} is the lower-cased host name, never a full URL.
 */
public interface HttpMetricsListener {

    /** A listener that does nothing. */
    HttpMetricsListener NONE = new HttpMetricsListener() { };

    /** An attempt is about to be sent. */
    default void attempt(String target, String method) {
    }

    /** An attempt failed with a retryable failure and will be retried after {@code delay}. */
    default void retry(String target, FailureRule reason, Duration delay) {
    }

    /** The call waited {@code waited} for a rate-limit permit (only reported when it had to wait). */
    default void rateLimitWait(String target, Duration waited) {
    }

    /** The call ended with a response the caller handles. */
    default void success(String target, int status, int attempts, Duration elapsed) {
    }

    /** The call ended with a failure. */
    default void failure(String target, FailureKind kind, FailureRule reason, int attempts, Duration elapsed) {
    }

    /** The authenticator asked the token endpoint for a token. */
    default void tokenRequest(String tokenEndpointHost, boolean succeeded) {
    }
}
