package io.syncline.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpStatus;

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

    private final String name;
    private final JettyTransport transport;
    private final Authenticator authenticator;
    private final TimeSource time;
    private final CancelSignal closed = new CancelSignal();
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    /** By {@code scheme://host:port}: the host's limiter and the account's shared budget (with an account budget). */
    private final Map<String, RateLimiter> targetLimiters = new ConcurrentHashMap<>();
    private final List<AccountBudgets.Lease> leases = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Builder limits;
    /** What every call uses of this client (see {@link HttpCall} for how a call proceeds). */
    private final HttpCall.Setup callSetup;

    private SynclineHttpClient(Builder b) {
        this.name = b.name;
        this.time = b.time;
        this.limits = b;
        this.transport = new JettyTransport(b.name, b.connectTimeout, b.idleTimeout, b.maxResponseBytes,
                b.maxConnectionsPerTarget, b.sslContext, b.outboundPolicy, b.userAgent);
        if (b.oauth2 != null) {
            this.authenticator = new OAuth2Authenticator(b.oauth2,
                    (uri, headers, form) -> transport.send("POST", uri, headers, form,
                            "application/x-www-form-urlencoded", b.requestTimeout),
                    b.time, b.metrics);
        } else {
            this.authenticator = b.authenticator;
        }
        this.callSetup = new HttpCall.Setup(b.outboundPolicy, this::rateLimiter, b.rateLimitWait, b.requestTimeout,
                b.retryPolicy, authenticator, transport, b.metrics, b.time, b.random, closed);
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
        HttpCall call = new HttpCall(callSetup, request, context);
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

    /**
     * The limiter a call to {@code target} waits on: its host's, and with an {@link Builder#accountBudget account
     * budget} also the budget this client shares with every other client of the same account in this process.
     */
    public RateLimiter rateLimiter(java.net.URI target) {
        if (limits.account == null) {
            return rateLimiter(target.getHost());
        }
        String key = accountTarget(target);
        return targetLimiters.computeIfAbsent(key, k -> {
            AccountBudgets.Lease lease = AccountBudgets.join(k + " " + limits.account.credentialId(), name,
                    limits.account.maxRequests(), limits.account.window());
            leases.add(lease);
            if (closed.isCancelled()) {
                lease.close(); // a call racing close() must not leave a user behind in the registry
            }
            return RateLimiter.allOf(List.of(rateLimiter(target.getHost()), lease));
        });
    }

    /** The account budgets this client has joined so far (one per target it called), for metrics. */
    public List<AccountBudgets.Lease> accountBudgets() {
        return List.copyOf(leases);
    }

    /** {@code scheme://host:port} of a target, the port made explicit: what names an account with its credential. */
    public static String accountTarget(java.net.URI target) {
        String scheme = target.getScheme() == null ? "https" : target.getScheme().toLowerCase(Locale.ROOT);
        int port = target.getPort() >= 0 ? target.getPort() : scheme.equals("http") ? 80 : 443;
        return scheme + "://" + OutboundPolicy.normalizeHost(target.getHost()) + ":" + port;
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
        leases.forEach(AccountBudgets.Lease::close);
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

    /** A token bucket's settings; each target host gets its own bucket built from them. */
    private record BucketSpec(double perSecond, int burst) {
    }

    /** A request budget's settings. */
    private record BudgetSpec(int maxRequests, Duration interval) {
    }

    /** The account budget to share: the credential's fingerprint and the window it asks for. */
    private record AccountSpec(String credentialId, int maxRequests, Duration window) {
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
        private AccountSpec account;
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

        /**
         * Shares {@code maxRequests} per rolling {@code window} with every client in this process that calls the same
         * target with the same credential ({@link AccountBudgets}), on top of this client's own limits.
         *
         * @param credentialId a fingerprint of the credential ({@link AccountBudgets#credentialId}), never the secret
         */
        public Builder accountBudget(String credentialId, int maxRequests, Duration window) {
            new RequestBudget(maxRequests, window, TimeSource.SYSTEM); // validates
            this.account = new AccountSpec(Objects.requireNonNull(credentialId, "credentialId"), maxRequests, window);
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
