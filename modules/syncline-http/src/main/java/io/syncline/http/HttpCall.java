package io.syncline.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logical call of {@link SynclineHttpClient#execute} and its attempts, as a state machine:
 *
 * <pre>
 *  CHECK_TARGET ──refused by the outbound policy──────────────────────────────────────▶ DONE
 *       │
 *       ▼
 *  AWAIT_PERMIT ──client closed, or no rate-limit permit within the wait──────────────▶ DONE
 *       │
 *       ▼
 *  AUTHENTICATE ──no credentials──────────────────────────────────────────────────────▶ FAILED
 *       │
 *       ▼
 *     SEND ──2xx or an accepted status─────────────────────────────────────────────────▶ DONE
 *       │ ──3xx, SSRF refusal, cancelled───────────────────────────────────────────────▶ DONE
 *       │ ──401/403──▶ CREDENTIALS_REJECTED ──token refreshed (once)──▶ AWAIT_PERMIT
 *       │                                   ──otherwise──────────────────────────────▶ DONE
 *       ▼ any other failure
 *    FAILED ──the failure table says stop, or attempts/time/Retry-After budget spent──▶ DONE
 *       │
 *       ▼
 *   BACK_OFF ──client closed while waiting─────────────────────────────────────────────▶ DONE
 *       └──────────────────────────────────────────────────────────────────────────────▶ AWAIT_PERMIT
 * </pre>
 *
 * <p>Each state is one method that does its work and returns the next state; {@link #run} only follows them. What a
 * failure means is decided in one place, {@link FailureRule#kindFor} (the failure table): {@code FAILED} retries only
 * what the table marks {@link FailureKind#RETRY}.
 */
final class HttpCall {

    // Logged under the client's name, as before the call had a class of its own: log settings keep working.
    private static final Logger LOG = LoggerFactory.getLogger(SynclineHttpClient.class);

    /** The states of a call; see the class comment for the transitions. */
    enum State {
        /** The outbound policy checks the URL's scheme (addresses are checked when connecting). */
        CHECK_TARGET,
        /** Waiting for the target's rate limiter to give a permit. */
        AWAIT_PERMIT,
        /** A new attempt: the authenticator adds its credentials to the request's headers. */
        AUTHENTICATE,
        /** The request is sent and the response (or transport failure) classified. */
        SEND,
        /** The target answered 401 or 403: refresh the credentials once, else fail naming their config key. */
        CREDENTIALS_REJECTED,
        /** The attempt failed: the failure table and the retry budget decide between giving up and backing off. */
        FAILED,
        /** Sleeping before the next attempt (backoff with jitter, or the server's Retry-After). */
        BACK_OFF,
        /** The call has its result. */
        DONE
    }

    /** What a call uses of its client, fixed when the client is built. */
    record Setup(OutboundPolicy outboundPolicy, Function<java.net.URI, RateLimiter> rateLimiters, Duration rateLimitWait,
            Duration requestTimeout, RetryPolicy retryPolicy, Authenticator authenticator, JettyTransport transport,
            HttpMetricsListener metrics, TimeSource time, DoubleSupplier random, CancelSignal closed) {
    }

    private final Setup client;
    private final SynclineRequest request;
    private final CallContext context;
    private final RetryPolicy policy;
    private final String target;
    private final long started;

    private RateLimiter limiter;
    private Duration permitWait;
    private int attempts;
    private boolean askedForRefresh;
    private boolean refreshedAuth;
    private Duration previousDelay = Duration.ZERO;
    private Duration backoff;
    private HttpResult result;

    // The current attempt: the credentials sent, and what it produced (the failure reports it).
    private List<Map.Entry<String, String>> headers;
    private long credentialStamp;
    private FailureRule rule;
    private String outcome;
    private RawResponse lastResponse;
    private Duration retryAfter;
    private Throwable cause;
    private String configKey;

    HttpCall(Setup client, SynclineRequest request, CallContext context) {
        this.client = client;
        this.request = request;
        this.context = context;
        this.policy = context.retryPolicy().orElse(client.retryPolicy());
        this.target = request.uri().getHost().toLowerCase(Locale.ROOT);
        this.started = client.time().nanoTime();
    }

    /** Follows the states from {@link State#CHECK_TARGET} to {@link State#DONE} and returns the call's result. */
    HttpResult run() throws InterruptedException {
        State state = State.CHECK_TARGET;
        while (state != State.DONE) {
            state = switch (state) {
                case CHECK_TARGET -> checkTarget();
                case AWAIT_PERMIT -> awaitPermit();
                case AUTHENTICATE -> authenticate();
                case SEND -> send();
                case CREDENTIALS_REJECTED -> credentialsRejected();
                case FAILED -> failed();
                case BACK_OFF -> backOff();
                case DONE -> throw new IllegalStateException("a finished call has no next state");
            };
        }
        return result;
    }

    /** Ends the call CANCELLED, e.g. when its thread was interrupted. */
    HttpResult cancelled(String why) {
        return finish(FailureKind.CANCELLED, FailureRule.CANCELLED_CALL, what() + ": " + why, null);
    }

    // ---------------------------------------------------------------- the states

    private State checkTarget() {
        try {
            client.outboundPolicy().checkScheme(request.uri());
        } catch (SsrfRefusedException e) {
            return done(finish(FailureKind.PERMANENT_CONFIG, FailureRule.SSRF_REFUSED, e.messageFor(what()), e));
        }
        RateLimiter target = client.rateLimiters().apply(request.uri());
        limiter = context.limiter().map(own -> RateLimiter.allOf(List.of(target, own))).orElse(target);
        permitWait = context.rateLimitWait().orElse(client.rateLimitWait());
        return State.AWAIT_PERMIT;
    }

    private State awaitPermit() throws InterruptedException {
        if (client.closed().isCancelled()) {
            return done(cancelled("client closed"));
        }
        long waitStart = client.time().nanoTime();
        if (!limiter.acquire(permitWait, client.time(), client.closed())) {
            if (client.closed().isCancelled()) {
                return done(cancelled("client closed"));
            }
            Duration next = limiter.timeUntilAvailable();
            retryAfter = next;
            return done(finish(FailureKind.RETRY, FailureRule.LOCAL_RATE_LIMIT, what() + ": no rate-limit permit for "
                    + target + " within " + SynclineHttpClient.seconds(permitWait) + " (next in "
                    + SynclineHttpClient.seconds(next) + ")", null));
        }
        long waited = client.time().nanoTime() - waitStart;
        if (waited > 0) {
            client.metrics().rateLimitWait(target, Duration.ofNanos(waited));
        }
        return State.AUTHENTICATE;
    }

    private State authenticate() throws InterruptedException {
        attempts++;
        client.metrics().attempt(target, request.method());
        resetAttempt();
        headers = new ArrayList<>(request.headers());
        try {
            credentialStamp = client.authenticator().apply((headerName, value) -> {
                headers.removeIf(h -> h.getKey().equalsIgnoreCase(headerName));
                headers.add(new AbstractMap.SimpleImmutableEntry<>(headerName, value));
            });
        } catch (AuthException e) {
            authFailed(e);
            return State.FAILED;
        }
        return State.SEND;
    }

    private State send() throws InterruptedException {
        try {
            lastResponse = client.transport().send(request.method(), request.uri(), headers, request.bodyBytes(),
                    request.contentType().orElse(null), request.timeout().orElse(client.requestTimeout()));
        } catch (TransportFailure f) {
            if (client.closed().isCancelled()) {
                return done(cancelled("client closed"));
            }
            rule = f.rule;
            outcome = f.describe();
            cause = f.getCause();
            if (f.getCause() instanceof SsrfRefusedException refused) {
                return done(finish(FailureKind.PERMANENT_CONFIG, rule, refused.messageFor(what()), cause));
            }
            if (rule == FailureRule.CANCELLED_CALL) {
                return done(cancelled("cancelled"));
            }
            return State.FAILED;
        }

        int status = lastResponse.status;
        Optional<FailureRule> classified = HttpFailureClassifier.classify(status);
        if (classified.isEmpty() || request.acceptedStatuses().contains(status)) {
            limiter.onSuccess();
            Duration elapsed = elapsed();
            client.metrics().success(target, status, attempts, elapsed);
            return done(HttpResult.success(new SynclineResponse(request.method(), request.uri(), status,
                    lastResponse.headers, lastResponse.body, attempts, elapsed)));
        }
        rule = classified.get();
        outcome = status + " " + SynclineHttpClient.reason(status);
        retryAfter = RetryAfter.fromResponse(status, lastResponse.headers, client.time().now()).orElse(null);
        return switch (rule) {
            case UNAUTHORIZED -> State.CREDENTIALS_REJECTED;
            case REDIRECT -> {
                String location = lastResponse.headers.first("Location").orElse("(no Location header)");
                yield done(finish(rule.kindFor(context.level()), rule, what() + ": " + outcome + " to " + location
                        + " (redirects are not followed; configure the final URL instead)", null));
            }
            case RATE_LIMITED -> {
                limiter.onRateLimited(Optional.ofNullable(retryAfter));
                yield State.FAILED;
            }
            default -> State.FAILED;
        };
    }

    private State credentialsRejected() throws InterruptedException {
        if (!askedForRefresh) {
            askedForRefresh = true;
            boolean refreshed;
            try {
                refreshed = client.authenticator().refreshAfterRejection(credentialStamp);
            } catch (AuthException e) {
                authFailed(e);
                return State.FAILED;
            }
            if (refreshed) {
                refreshedAuth = true;
                LOG.debug("{}: {}; retrying once with a refreshed token", redact(what()), outcome);
                return State.AWAIT_PERMIT;
            }
        }
        configKey = client.authenticator().configKey();
        return done(finish(rule.kindFor(context.level()), rule, what() + ": " + outcome
                + (refreshedAuth ? " even after a token refresh" : "")
                + "; the credentials were rejected: check '" + configKey + "'" + excerpt(), null));
    }

    private State failed() {
        FailureKind kind = rule.kindFor(context.level());
        if (kind != FailureKind.RETRY) {
            return done(finish(kind, rule, standardMessage(""), cause));
        }
        if (!request.isIdempotent() && !rule.retriedForUnsafeMethods()) {
            return done(finish(kind, rule, standardMessage("; not retried: a " + request.method()
                    + " without an Idempotency-Key may already have been applied"), cause));
        }
        if (attempts >= policy.maxAttempts()) {
            return done(finish(kind, rule, standardMessage(""), cause));
        }
        if (retryAfter != null && retryAfter.compareTo(policy.maxRetryAfter()) > 0) {
            // Coming back early would only earn another refusal; the caller sees retryAfter and can wait.
            return done(finish(kind, rule, standardMessage("; gave up: the server asked to wait "
                    + SynclineHttpClient.seconds(retryAfter) + ", more than the "
                    + SynclineHttpClient.seconds(policy.maxRetryAfter()) + " the retry policy honours"), cause));
        }
        Duration delay = policy.delay(attempts, previousDelay, Optional.ofNullable(retryAfter), client.random());
        if (elapsed().plus(delay).compareTo(policy.maxElapsed()) > 0) {
            return done(finish(kind, rule, standardMessage("; gave up: waiting " + SynclineHttpClient.seconds(delay)
                    + " more would pass the retry time budget of " + SynclineHttpClient.seconds(policy.maxElapsed())),
                    cause));
        }
        client.metrics().retry(target, rule, delay);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {} (attempt {}); retrying in {}", redact(what()), redact(outcome), attempts,
                    SynclineHttpClient.seconds(delay));
        }
        backoff = delay;
        return State.BACK_OFF;
    }

    private State backOff() throws InterruptedException {
        client.time().sleep(backoff, client.closed());
        if (client.closed().isCancelled()) {
            return done(cancelled("client closed"));
        }
        previousDelay = backoff;
        return State.AWAIT_PERMIT;
    }

    // ---------------------------------------------------------------- the attempt's record and the result

    private State done(HttpResult finished) {
        result = finished;
        return State.DONE;
    }

    private void authFailed(AuthException e) {
        rule = e.rule();
        outcome = "could not get credentials: " + e.getMessage();
        cause = e;
        configKey = e.configKey().orElse(null);
        retryAfter = e.retryAfter().orElse(null);
        lastResponse = null;
    }

    private void resetAttempt() {
        rule = null;
        outcome = null;
        lastResponse = null;
        retryAfter = null;
        cause = null;
    }

    private String standardMessage(String suffix) {
        String tries = attempts > 1
                ? " after " + attempts + " attempts over " + SynclineHttpClient.seconds(elapsed()) : "";
        return what() + ": " + outcome + tries + suffix + excerpt();
    }

    private String excerpt() {
        if (lastResponse == null || lastResponse.body.length == 0) {
            return "";
        }
        return "; response: " + responseExcerpt();
    }

    private String responseExcerpt() {
        if (lastResponse == null || lastResponse.body.length == 0) {
            return null;
        }
        // Decode a little more than we keep so a multi-byte character is not cut in half.
        int take = Math.min(lastResponse.body.length, HttpFailure.MAX_EXCERPT_CHARS * 4);
        String text = new String(lastResponse.body, 0, take, StandardCharsets.UTF_8);
        String truncated = text;
        if (text.length() > HttpFailure.MAX_EXCERPT_CHARS || take < lastResponse.body.length) {
            int end = Math.min(text.length(), HttpFailure.MAX_EXCERPT_CHARS);
            if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            truncated = text.substring(0, end) + "... (" + lastResponse.body.length + " bytes in all)";
        }
        return redact(truncated);
    }

    private HttpResult finish(FailureKind kind, FailureRule finalRule, String message, Throwable failureCause) {
        Duration elapsed = elapsed();
        client.metrics().failure(target, kind, finalRule, attempts, elapsed);
        String safe = redact(message);
        if (kind == FailureKind.CANCELLED) {
            LOG.debug("{}", safe);
        } else {
            LOG.debug("failed: {}", safe);
        }
        HttpFailure failure = new HttpFailure(kind, finalRule, lastResponse == null ? 0 : lastResponse.status,
                safe, attempts, elapsed, retryAfter, responseExcerpt(),
                lastResponse == null ? null : lastResponse.headers, configKey, failureCause);
        return HttpResult.failed(failure);
    }

    private String what() {
        String description = context.description();
        return request.describe() + (description.isEmpty() ? "" : " (" + description + ")");
    }

    private Duration elapsed() {
        return Duration.ofNanos(client.time().nanoTime() - started);
    }

    private String redact(String text) {
        return Redactor.redact(text, client.authenticator().secrets());
    }
}
