package io.syncline.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound HTTP client every Syncline connector and sink uses: one call to {@link #execute} applies the SSRF
 * guard, the per-target rate limit, authentication (with one token refresh on 401/403), retries with backoff and
 * jitter (honouring Retry-After), and the failure table, and returns a response or a classified
 * {@link HttpFailure} whose message says what we were doing.
 *
 * <pre>{@code
 * SynclineHttpClient http = SynclineHttpClient.builder()
 *         .name("payments-source-0")
 *         .authenticator(Authenticator.bearer(apiKey, "stripe.api.key"))
 *         .rateLimit(25, 50)
 *         .build();
 * HttpResult result = http.execute(SynclineRequest.get(base + "/v1/charges").query("limit", "100").build(),
 *         CallContext.config("page 3"));
 * if (!result.isSuccess()) { ... result.failure().kind() ... }
 * }</pre>
 *
 * <p>Thread-safe; one per task is typical. {@link #close()} (from a task's {@code stop()}) wakes every waiting retry
 * and aborts requests in flight; their calls end with {@link FailureKind#CANCELLED}.
 */
public final class SynclineHttpClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SynclineHttpClient.class);

    private final String name;
    private final JettyTransport transport;
    private final Authenticator authenticator;
    private final RetryPolicy retryPolicy;
    private final OutboundPolicy outboundPolicy;
    private final Duration requestTimeout;
    private final Duration rateLimitWait;
    private final HttpMetricsListener metrics;
    private final TimeSource time;
    private final DoubleSupplier random;
    private final CancelSignal closed = new CancelSignal();
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final Builder limits;

    private SynclineHttpClient(Builder b) {
        this.name = b.name;
        this.retryPolicy = b.retryPolicy;
        this.outboundPolicy = b.outboundPolicy;
        this.requestTimeout = b.requestTimeout;
        this.rateLimitWait = b.rateLimitWait;
        this.metrics = b.metrics;
        this.time = b.time;
        this.random = b.random;
        this.limits = b;
        this.transport = new JettyTransport(b.name, b.connectTimeout, b.idleTimeout, b.maxResponseBytes,
                b.maxConnectionsPerTarget, b.sslContext, b.outboundPolicy, b.userAgent);
        if (b.oauth2 != null) {
            this.authenticator = new OAuth2Authenticator(b.oauth2,
                    (uri, headers, form) -> transport.send("POST", uri, headers, form,
                            "application/x-www-form-urlencoded", requestTimeout),
                    b.time, b.metrics);
        } else {
            this.authenticator = b.authenticator;
        }
    }

    /** A builder with the defaults: https to public addresses only, no auth, no rate limit, default retries. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends {@code request}, retrying per the policy, and returns the response or a classified failure. Never
     * throws for HTTP or network trouble; see {@link HttpResult#orThrow()} for callers that want an exception.
     */
    public HttpResult execute(SynclineRequest request, CallContext context) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(context, "context");
        Call call = new Call(request, context);
        try {
            return call.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return call.cancelled("thread interrupted");
        }
    }

    /** The limiter for {@code host} (created on first use), for sources that want to check before polling. */
    public RateLimiter rateLimiter(String host) {
        return limiters.computeIfAbsent(OutboundPolicy.normalizeHost(host), this::newLimiter);
    }

    /** The authenticator in use (an {@link OAuth2Authenticator} when built with {@link Builder#oauth2}). */
    public Authenticator authenticator() {
        return authenticator;
    }

    /** The client's name, as it appears in thread names. */
    public String name() {
        return name;
    }

    /** Stops the client: waiting calls wake and end CANCELLED, requests in flight are aborted. Idempotent. */
    @Override
    public void close() {
        closed.cancel();
        transport.close();
    }

    private RateLimiter newLimiter(String host) {
        List<RateLimiter> parts = new ArrayList<>(2);
        BucketSpec bucket = limits.hostBuckets.getOrDefault(host, limits.defaultBucket);
        if (bucket != null) {
            parts.add(new TokenBucket(bucket.perSecond(), bucket.burst(), limits.adaptive, time));
        }
        BudgetSpec budget = limits.hostBudgets.getOrDefault(host, limits.defaultBudget);
        if (budget != null) {
            parts.add(new RequestBudget(budget.maxRequests(), budget.interval(), time));
        }
        return RateLimiter.allOf(parts);
    }

    /** The standard reason phrase of a status ("Service Unavailable"). */
    static String reason(int status) {
        String message = HttpStatus.getMessage(status);
        return message == null ? "" : message;
    }

    /** One logical call and its attempts. */
    private final class Call {
        private final SynclineRequest request;
        private final CallContext context;
        private final RetryPolicy policy;
        private final String target;
        private final long started;
        private int attempts;
        private Duration previousDelay = Duration.ZERO;

        // What the last attempt produced; the failure reports it.
        private FailureRule rule;
        private String outcome;
        private RawResponse lastResponse;
        private Duration retryAfter;
        private Throwable cause;
        private String configKey;

        Call(SynclineRequest request, CallContext context) {
            this.request = request;
            this.context = context;
            this.policy = context.retryPolicy().orElse(retryPolicy);
            URI uri = request.uri();
            this.target = uri.getHost().toLowerCase(Locale.ROOT);
            this.started = time.nanoTime();
        }

        HttpResult run() throws InterruptedException {
            try {
                outboundPolicy.checkScheme(request.uri());
            } catch (SsrfRefusedException e) {
                return finish(FailureKind.PERMANENT_CONFIG, FailureRule.SSRF_REFUSED, e.messageFor(what()), e);
            }
            RateLimiter limiter = rateLimiter(target);
            Duration permitWait = context.rateLimitWait().orElse(rateLimitWait);
            boolean askedForRefresh = false;
            boolean refreshedAuth = false;
            while (true) {
                if (closed.isCancelled()) {
                    return cancelled("client closed");
                }
                long waitStart = time.nanoTime();
                if (!limiter.acquire(permitWait, time, closed)) {
                    if (closed.isCancelled()) {
                        return cancelled("client closed");
                    }
                    Duration next = limiter.timeUntilAvailable();
                    retryAfter = next;
                    return finish(FailureKind.RETRY, FailureRule.LOCAL_RATE_LIMIT, what() + ": no rate-limit permit for "
                            + target + " within " + seconds(permitWait) + " (next in " + seconds(next) + ")", null);
                }
                long waited = time.nanoTime() - waitStart;
                if (waited > 0) {
                    metrics.rateLimitWait(target, Duration.ofNanos(waited));
                }

                attempts++;
                metrics.attempt(target, request.method());
                resetAttempt();
                long stamp;
                List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers());
                try {
                    stamp = authenticator.apply((headerName, value) -> {
                        headers.removeIf(h -> h.getKey().equalsIgnoreCase(headerName));
                        headers.add(new AbstractMap.SimpleImmutableEntry<>(headerName, value));
                    });
                } catch (AuthException e) {
                    authFailed(e);
                    HttpResult done = decide();
                    if (done != null) {
                        return done;
                    }
                    continue;
                }

                try {
                    lastResponse = transport.send(request.method(), request.uri(), headers, request.bodyBytes(),
                            request.contentType().orElse(null), request.timeout().orElse(requestTimeout));
                } catch (TransportFailure f) {
                    if (closed.isCancelled()) {
                        return cancelled("client closed");
                    }
                    rule = f.rule;
                    outcome = f.describe();
                    cause = f.getCause();
                    if (f.getCause() instanceof SsrfRefusedException) {
                        return finish(FailureKind.PERMANENT_CONFIG, rule,
                                ((SsrfRefusedException) f.getCause()).messageFor(what()), cause);
                    }
                    if (rule == FailureRule.CANCELLED_CALL) {
                        return cancelled("cancelled");
                    }
                    HttpResult done = decide();
                    if (done != null) {
                        return done;
                    }
                    continue;
                }

                int status = lastResponse.status;
                Optional<FailureRule> classified = HttpFailureClassifier.classify(status);
                if (classified.isEmpty() || request.acceptedStatuses().contains(status)) {
                    limiter.onSuccess();
                    Duration elapsed = elapsed();
                    metrics.success(target, status, attempts, elapsed);
                    return HttpResult.success(new SynclineResponse(request.method(), request.uri(), status,
                            lastResponse.headers, lastResponse.body, attempts, elapsed));
                }
                rule = classified.get();
                outcome = status + " " + reason(status);
                retryAfter = RetryAfter.fromResponse(status, lastResponse.headers, time.now()).orElse(null);
                if (rule == FailureRule.UNAUTHORIZED) {
                    if (!askedForRefresh) {
                        askedForRefresh = true;
                        boolean retry;
                        try {
                            retry = authenticator.refreshAfterRejection(stamp);
                        } catch (AuthException e) {
                            authFailed(e);
                            HttpResult done = decide();
                            if (done != null) {
                                return done;
                            }
                            continue;
                        }
                        if (retry) {
                            refreshedAuth = true;
                            LOG.debug("{}: {}; retrying once with a refreshed token", redact(what()), outcome);
                            continue;
                        }
                    }
                    configKey = authenticator.configKey();
                    return finish(FailureKind.AUTH, rule, what() + ": " + outcome
                            + (refreshedAuth ? " even after a token refresh" : "")
                            + "; the credentials were rejected: check '" + configKey + "'" + excerpt(), null);
                }
                if (rule == FailureRule.REDIRECT) {
                    String location = lastResponse.headers.first("Location").orElse("(no Location header)");
                    return finish(rule.kindFor(context.level()), rule, what() + ": " + outcome + " to " + location
                            + " (redirects are not followed; configure the final URL instead)", null);
                }
                if (rule == FailureRule.RATE_LIMITED) {
                    limiter.onRateLimited(Optional.ofNullable(retryAfter));
                }
                HttpResult done = decide();
                if (done != null) {
                    return done;
                }
            }
        }

        /** Returns the final result, or null after waiting when the call should be attempted again. */
        private HttpResult decide() throws InterruptedException {
            FailureKind kind = rule.kindFor(context.level());
            if (kind != FailureKind.RETRY) {
                return finish(kind, rule, standardMessage(""), cause);
            }
            if (!request.isIdempotent() && !rule.retriedForUnsafeMethods()) {
                return finish(kind, rule, standardMessage("; not retried: a " + request.method()
                        + " without an Idempotency-Key may already have been applied"), cause);
            }
            if (attempts >= policy.maxAttempts()) {
                return finish(kind, rule, standardMessage(""), cause);
            }
            if (retryAfter != null && retryAfter.compareTo(policy.maxRetryAfter()) > 0) {
                // Coming back early would only earn another refusal; the caller sees retryAfter and can wait.
                return finish(kind, rule, standardMessage("; gave up: the server asked to wait " + seconds(retryAfter)
                        + ", more than the " + seconds(policy.maxRetryAfter()) + " the retry policy honours"), cause);
            }
            Duration delay = policy.delay(attempts, previousDelay, Optional.ofNullable(retryAfter), random);
            Duration afterWait = elapsed().plus(delay);
            if (afterWait.compareTo(policy.maxElapsed()) > 0) {
                return finish(kind, rule, standardMessage("; gave up: waiting " + seconds(delay)
                        + " more would pass the retry time budget of " + seconds(policy.maxElapsed())), cause);
            }
            metrics.retry(target, rule, delay);
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: {} (attempt {}); retrying in {}", redact(what()), redact(outcome), attempts,
                        seconds(delay));
            }
            time.sleep(delay, closed);
            if (closed.isCancelled()) {
                return cancelled("client closed");
            }
            previousDelay = delay;
            return null;
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

        HttpResult cancelled(String why) {
            return finish(FailureKind.CANCELLED, FailureRule.CANCELLED_CALL, what() + ": " + why, null);
        }

        private String standardMessage(String suffix) {
            String tries = attempts > 1 ? " after " + attempts + " attempts over " + seconds(elapsed()) : "";
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
            metrics.failure(target, kind, finalRule, attempts, elapsed);
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
            return Duration.ofNanos(time.nanoTime() - started);
        }

        private String redact(String text) {
            Collection<String> secrets = authenticator.secrets();
            return Redactor.redact(text, secrets);
        }
    }

    /** A token bucket's settings; each target host gets its own bucket built from them. */
    private record BucketSpec(double perSecond, int burst) {
    }

    /** A request budget's settings. */
    private record BudgetSpec(int maxRequests, Duration interval) {
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** Builds a {@link SynclineHttpClient}; every setting has a safe default. */
    public static final class Builder {
        private String name = "default";
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofSeconds(30);
        private int maxResponseBytes = 32 * 1024 * 1024;
        private int maxConnectionsPerTarget = 8;
        private String userAgent = "Syncline";
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private OutboundPolicy outboundPolicy = OutboundPolicy.defaults();
        private Authenticator authenticator = Authenticator.none();
        private OAuth2Settings oauth2;
        private BucketSpec defaultBucket;
        private BudgetSpec defaultBudget;
        private final Map<String, BucketSpec> hostBuckets = new HashMap<>();
        private final Map<String, BudgetSpec> hostBudgets = new HashMap<>();
        private boolean adaptive = true;
        private Duration rateLimitWait = Duration.ofSeconds(60);
        private HttpMetricsListener metrics = HttpMetricsListener.NONE;
        private TimeSource time = TimeSource.SYSTEM;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private SSLContext sslContext;

        private Builder() {
        }

        /** A name for threads and logs, e.g. the connector task's name. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Time to open a connection (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connect timeout", timeout);
            return this;
        }

        /** Total time for one attempt, response body included (default 30 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive("request timeout", timeout);
            return this;
        }

        /** Longest silence on a connection before it is dropped (default 30 s). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive("idle timeout", timeout);
            return this;
        }

        /** Largest response body read into memory (default 32 MiB); larger ones fail RESPONSE_TOO_LARGE. */
        public Builder maxResponseBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("max response bytes must be positive, got " + bytes);
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        /** Concurrent connections per target (default 8). */
        public Builder maxConnectionsPerTarget(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("max connections per target must be positive, got " + connections);
            }
            this.maxConnectionsPerTarget = connections;
            return this;
        }

        /** The User-Agent header (default "Syncline"). */
        public Builder userAgent(String userAgent) {
            this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
            return this;
        }

        /** The retry policy (default {@link RetryPolicy#defaults()}); calls may override it. */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "retry policy");
            return this;
        }

        /** The SSRF guard (default: https to public addresses only). */
        public Builder outboundPolicy(OutboundPolicy policy) {
            this.outboundPolicy = Objects.requireNonNull(policy, "outbound policy");
            return this;
        }

        /** Static credentials (bearer, basic, API-key header) or a custom authenticator. */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            this.oauth2 = null;
            return this;
        }

        /** OAuth2 bearer tokens from a token endpoint, requested through this client's guarded transport. */
        public Builder oauth2(OAuth2Settings settings) {
            this.oauth2 = Objects.requireNonNull(settings, "OAuth2 settings");
            return this;
        }

        /** A token bucket for every target host: {@code perSecond} on average, {@code burst} at once. */
        public Builder rateLimit(double perSecond, int burst) {
            new TokenBucket(perSecond, burst, false, TimeSource.SYSTEM); // validates
            this.defaultBucket = new BucketSpec(perSecond, burst);
            return this;
        }

        /** A token bucket for one host, replacing the default for it. */
        public Builder rateLimit(String host, double perSecond, int burst) {
            new TokenBucket(perSecond, burst, false, TimeSource.SYSTEM); // validates
            hostBuckets.put(OutboundPolicy.normalizeHost(host), new BucketSpec(perSecond, burst));
            return this;
        }

        /** At most {@code maxRequests} per rolling {@code interval} for every target host. */
        public Builder requestBudget(int maxRequests, Duration interval) {
            new RequestBudget(maxRequests, interval, TimeSource.SYSTEM); // validates
            this.defaultBudget = new BudgetSpec(maxRequests, interval);
            return this;
        }

        /** A request budget for one host, replacing the default for it. */
        public Builder requestBudget(String host, int maxRequests, Duration interval) {
            new RequestBudget(maxRequests, interval, TimeSource.SYSTEM); // validates
            hostBudgets.put(OutboundPolicy.normalizeHost(host), new BudgetSpec(maxRequests, interval));
            return this;
        }

        /** Whether token buckets halve their rate on a 429 and recover on success (default true). */
        public Builder adaptiveRateLimit(boolean adaptive) {
            this.adaptive = adaptive;
            return this;
        }

        /** Longest wait for a rate-limit permit before the call fails LOCAL_RATE_LIMIT (default 60 s). */
        public Builder rateLimitWait(Duration wait) {
            if (wait == null || wait.isNegative()) {
                throw new IllegalArgumentException("rate limit wait must be zero or positive, got " + wait);
            }
            this.rateLimitWait = wait;
            return this;
        }

        /** Metrics hooks (default none). */
        public Builder metricsListener(HttpMetricsListener listener) {
            this.metrics = Objects.requireNonNull(listener, "metrics listener");
            return this;
        }

        /** The clock and sleeper (tests pass a {@link ManualTimeSource}). */
        public Builder timeSource(TimeSource time) {
            this.time = Objects.requireNonNull(time, "time source");
            return this;
        }

        /** The source of jitter, uniform in [0, 1) (tests pass a constant). */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** A TLS context with another trust store (default: the JVM's). */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "ssl context");
            return this;
        }

        /** Starts the client. */
        public SynclineHttpClient build() {
            return new SynclineHttpClient(this);
        }

        private static Duration positive(String what, Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return d;
        }
    }
}
