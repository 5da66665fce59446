package io.syncline.connect.common;

import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.syncline.http.Authenticator;
import io.syncline.http.OAuth2Settings;
import io.syncline.http.OutboundPolicy;
import io.syncline.http.RetryPolicy;
import io.syncline.http.SsrfRefusedException;
import io.syncline.http.SynclineHttpClient;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The outbound-HTTP vocabulary every Syncline connector speaks, source or sink: the allow-list, plain HTTP,
 * timeouts, retries and backoff, rate limits and authentication, declared once here (one doc string per key) and
 * added to each connector's {@link ConfigDef} with that connector's {@link Defaults}; with the cross-field rules and
 * the {@link SynclineHttpClient} the keys describe. docs/http.md documents them once, generated from
 * {@link #configDef(Defaults)}; a connector's page lists only its own keys and the defaults it changes.
 *
 * <p>A connector with several tasks splits its rate limits evenly among them: it passes each task's config through
 * {@link #withTaskShare}, and the client of each task gets its share.
 *
 * <p>Kept as one class over 600 lines on purpose: it is the one declaration of the vocabulary (keys, doc strings,
 * validators and the cross-field rules between them), which issue 10 asks to exist exactly once.
 */
public final class OutboundHttpConfig {

    public static final String GROUP_OUTBOUND = "Outbound safety";
    public static final String GROUP_RETRIES = "Retries and timeouts";
    public static final String GROUP_RATE_LIMIT = "Rate limit";
    public static final String GROUP_AUTH = "Authentication";

    public static final String ALLOW_LIST = "outbound.allow.list";
    public static final String ALLOW_PLAIN_HTTP = "outbound.allow.plain.http";

    public static final String REQUEST_TIMEOUT_MS = "http.request.timeout.ms";
    public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String RETRY_MAX_ATTEMPTS = "retry.max.attempts";
    public static final String RETRY_MAX_ELAPSED_MS = "retry.max.elapsed.ms";
    public static final String RETRY_BACKOFF_INITIAL_MS = "retry.backoff.initial.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";

    public static final String RATE_PER_SECOND = "rate.limit.per.second";
    public static final String RATE_BURST = "rate.limit.burst";
    public static final String RATE_WINDOW_REQUESTS = "rate.limit.window.requests";
    public static final String RATE_WINDOW_MS = "rate.limit.window.ms";

    public static final String AUTH_TYPE = "auth.type";
    public static final String AUTH_BEARER_TOKEN = "auth.bearer.token";
    public static final String AUTH_BASIC_USERNAME = "auth.basic.username";
    public static final String AUTH_BASIC_PASSWORD = "auth.basic.password";
    public static final String AUTH_HEADER_NAME = "auth.header.name";
    public static final String AUTH_HEADER_VALUE = "auth.header.value";
    public static final String OAUTH2_TOKEN_URL = "oauth2.token.url";
    public static final String OAUTH2_GRANT_TYPE = "oauth2.grant.type";
    public static final String OAUTH2_CLIENT_ID = "oauth2.client.id";
    public static final String OAUTH2_CLIENT_SECRET = "oauth2.client.secret";
    public static final String OAUTH2_REFRESH_TOKEN = "oauth2.refresh.token";
    public static final String OAUTH2_SCOPE = "oauth2.scope";
    public static final String OAUTH2_CLIENT_AUTH = "oauth2.client.auth";

    /**
     * Internal: the share of the connector's rate limits one task has (1/tasks), set by the connector in each task's
     * config through {@link #withTaskShare}.
     */
    public static final String TASK_SHARE = "outbound.task.share";

    /** How requests authenticate. */
    public enum AuthType implements EnumValues.Described {
        NONE("no credentials"),
        BEARER("a static bearer token in " + AUTH_BEARER_TOKEN),
        BASIC("HTTP basic with " + AUTH_BASIC_USERNAME + " and " + AUTH_BASIC_PASSWORD),
        HEADER("an API key in the header " + AUTH_HEADER_NAME + " with the value " + AUTH_HEADER_VALUE),
        OAUTH2("the oauth2.* keys; tokens are refreshed ahead of expiry and once after a 401");

        private final String description;

        AuthType(String description) {
            this.description = description;
        }

        @Override
        public String description() {
            return description;
        }
    }

    /** The OAuth2 grant. */
    public enum GrantType implements EnumValues.Described {
        REFRESH_TOKEN("a refresh token from a user's authorization in " + OAUTH2_REFRESH_TOKEN + "; a rotated one is "
                + "kept for the task's lifetime"),
        CLIENT_CREDENTIALS("the client id and secret alone");

        private final String description;

        GrantType(String description) {
            this.description = description;
        }

        @Override
        public String description() {
            return description;
        }
    }

    /** How the client authenticates to the token endpoint. */
    public enum ClientAuth implements EnumValues.Described {
        POST("client_id and client_secret in the form, as HubSpot expects"),
        BASIC("HTTP basic");

        private final String description;

        ClientAuth(String description) {
            this.description = description;
        }

        @Override
        public String description() {
            return description;
        }
    }

    /**
     * The defaults and the authentication a connector offers. Only the keys of the offered auth types are defined.
     *
     * @param authTypes the auth types the target API takes
     * @param authType the default auth type
     * @param bearerTokenValidator checks a bearer token's format (e.g. a Stripe key's prefix); null for none
     * @param retryMaxAttempts default attempts per request; 0 for no limit
     * @param retryMaxElapsedMs default time one request is retried for
     * @param ratePerSecond default token-bucket rate for the connector; 0 for none
     * @param rateBurst default token-bucket size for the connector
     * @param windowRequests default requests per rolling window for the connector; 0 for no window
     * @param windowMs default window length
     */
    public record Defaults(Set<AuthType> authTypes, AuthType authType, ConfigDef.Validator bearerTokenValidator,
                           int retryMaxAttempts, long retryMaxElapsedMs, double ratePerSecond, int rateBurst,
                           int windowRequests, long windowMs) {

        /** A sink writing to any HTTP API: every auth type (default none), retried for 5 minutes, no rate limit. */
        public static final Defaults SINK = new Defaults(EnumSet.allOf(AuthType.class), AuthType.NONE, null, 0,
                300_000L, 0, 10, 0, 10_000L);

        public Defaults {
            authTypes = java.util.Collections.unmodifiableSet(EnumSet.copyOf(authTypes)); // in declaration order
            Objects.requireNonNull(authType, "authType");
            if (!authTypes.contains(authType)) {
                throw new IllegalArgumentException("default auth type " + authType + " is not offered: " + authTypes);
            }
        }

        /** These defaults with another rate limit. */
        public Defaults withRateLimit(double perSecond, int burst, int windowRequests, long windowMs) {
            return new Defaults(authTypes, authType, bearerTokenValidator, retryMaxAttempts, retryMaxElapsedMs,
                    perSecond, burst, windowRequests, windowMs);
        }

        /** These defaults with other retry limits. */
        public Defaults withRetries(int maxAttempts, long maxElapsedMs) {
            return new Defaults(authTypes, authType, bearerTokenValidator, maxAttempts, maxElapsedMs, ratePerSecond,
                    rateBurst, windowRequests, windowMs);
        }

        /** These defaults offering only {@code types}, {@code defaultType} by default. */
        public Defaults withAuth(Set<AuthType> types, AuthType defaultType, ConfigDef.Validator tokenValidator) {
            return new Defaults(types, defaultType, tokenValidator, retryMaxAttempts, retryMaxElapsedMs,
                    ratePerSecond, rateBurst, windowRequests, windowMs);
        }
    }

    /**
     * The token bucket that paces a request window: at most a tenth of the window (and at most the configured burst)
     * at once, and the rest spread evenly, so that burst plus a window's worth of refills never exceeds the window
     * and a steady load never meets the window's hard stop. Without it a steady load spends the window in its first
     * second and then waits out the other nine, which is where a HubSpot sink's latency went.
     *
     * @param perSecond the bucket's rate
     * @param burst the bucket's size
     */
    record Pace(double perSecond, int burst) {
        static Pace of(int windowRequests, long windowMs, int maxBurst) {
            int burst = Math.max(1, Math.min(maxBurst, windowRequests / 10));
            int paced = Math.max(1, windowRequests - burst);
            return new Pace(paced * 1000.0 / windowMs, burst);
        }
    }

    private OutboundHttpConfig() {
    }

    /** Only the outbound keys with {@code d}'s defaults (the generated reference in docs/http.md). */
    public static ConfigDef configDef(Defaults d) {
        return define(new ConfigDef(), d);
    }

    /** Adds the outbound keys to {@code def} with {@code d}'s defaults. */
    public static ConfigDef define(ConfigDef def, Defaults d) {
        int order = 0;
        def.define(ALLOW_LIST, Type.LIST, "", new AllowListValidator(), Importance.MEDIUM,
                "Internal targets this connector may call although they resolve to loopback, private, link-local, "
                        + "unique-local or cloud-metadata addresses: host, host:port or address block (10.20.0.0/16). "
                        + "Everything else internal is refused before connecting; redirects are never followed.",
                GROUP_OUTBOUND, ++order, Width.LONG, "Allowed internal targets");
        def.define(ALLOW_PLAIN_HTTP, Type.LIST, "", new PlainHttpValidator(), Importance.MEDIUM,
                "Hosts (or host:port) that may be called over plain http; everything else must be https. Credentials "
                        + "travel unencrypted to these: only for a trusted local endpoint such as a sandbox.",
                GROUP_OUTBOUND, ++order, Width.LONG, "Plain-HTTP targets");

        order = 0;
        def.define(REQUEST_TIMEOUT_MS, Type.LONG, 30_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "Time for one attempt, response body included; a timeout is retried.",
                GROUP_RETRIES, ++order, Width.SHORT, "Request timeout (ms)");
        def.define(CONNECT_TIMEOUT_MS, Type.LONG, 10_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "Time to open a connection.", GROUP_RETRIES, ++order, Width.SHORT, "Connect timeout (ms)");
        def.define(RETRY_MAX_ATTEMPTS, Type.INT, d.retryMaxAttempts(), ConfigDef.Range.atLeast(0), Importance.LOW,
                "Attempts per request, the first included, on 408, 425, 429, 5xx, timeouts and connection resets "
                        + "(0: no limit but " + RETRY_MAX_ELAPSED_MS + "). When attempts or time run out, a source "
                        + "tries again at its next poll; a sink fails the task, and the change stays uncommitted "
                        + "and is delivered when the task runs again.",
                GROUP_RETRIES, ++order, Width.SHORT, "Max attempts");
        def.define(RETRY_MAX_ELAPSED_MS, Type.LONG, d.retryMaxElapsedMs(), ConfigDef.Range.atLeast(1),
                Importance.MEDIUM,
                "How long one request is retried at most (exponential backoff with full jitter, honouring "
                        + "Retry-After up to this long).",
                GROUP_RETRIES, ++order, Width.SHORT, "Max retry time (ms)");
        def.define(RETRY_BACKOFF_INITIAL_MS, Type.LONG, 500L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "Scale of the first retry's backoff; it doubles with every retry up to " + RETRY_BACKOFF_MAX_MS + ".",
                GROUP_RETRIES, ++order, Width.SHORT, "Initial backoff (ms)");
        def.define(RETRY_BACKOFF_MAX_MS, Type.LONG, 30_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "Cap on the computed backoff (a longer Retry-After from the server is still honoured).",
                GROUP_RETRIES, ++order, Width.SHORT, "Max backoff (ms)");

        order = 0;
        def.define(RATE_PER_SECOND, Type.DOUBLE, d.ratePerSecond(), ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                "Requests per second to each target host on average, for the whole connector (its tasks share it "
                        + "evenly), as a token bucket. 0: none, or with a request window (" + RATE_WINDOW_REQUESTS
                        + ") one paced from it, (window requests - burst) per window, so that a steady load is "
                        + "spread evenly over the window instead of spending it in one burst and then stalling. Each "
                        + "429 halves the rate for a while, and a 429's Retry-After pauses every request to its host.",
                GROUP_RATE_LIMIT, ++order, Width.SHORT, "Requests per second");
        def.define(RATE_BURST, Type.INT, d.rateBurst(), ConfigDef.Range.atLeast(1), Importance.LOW,
                "Requests the token bucket allows at once (shared by the tasks like the rate).",
                GROUP_RATE_LIMIT, ++order, Width.SHORT, "Burst");
        def.define(RATE_WINDOW_REQUESTS, Type.INT, d.windowRequests(), ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                "At most this many requests to each target host in any rolling " + RATE_WINDOW_MS + ", for the "
                        + "whole connector (0: no window), e.g. HubSpot's 100 per 10 s. The window is the account's: "
                        + "connectors of one plugin in one worker that call the same base URL with the same "
                        + "credential share one window (the smallest any of them sets) instead of each spending it.",
                GROUP_RATE_LIMIT, ++order, Width.SHORT, "Requests per window");
        def.define(RATE_WINDOW_MS, Type.LONG, d.windowMs(), ConfigDef.Range.atLeast(1), Importance.LOW,
                "The rolling window of " + RATE_WINDOW_REQUESTS + ".", GROUP_RATE_LIMIT, ++order, Width.SHORT,
                "Window (ms)");

        order = 0;
        Set<AuthType> auth = d.authTypes();
        def.define(AUTH_TYPE, Type.STRING, EnumValues.name(d.authType()), EnumValues.validator(auth),
                Importance.HIGH, "How requests authenticate: " + EnumValues.describe(AuthType.class)
                        + ". A connector offers the types its API takes (valid values).",
                GROUP_AUTH, ++order, Width.SHORT, "Authentication");
        SecretValidator secret = new SecretValidator(null);
        if (auth.contains(AuthType.BEARER)) {
            def.define(AUTH_BEARER_TOKEN, Type.PASSWORD, null, new SecretValidator(d.bearerTokenValidator()),
                    Importance.HIGH, "Static bearer token (an API key, a private-app token); reference it as "
                            + "${env:NAME} or ${file:path:key} so it is never stored in the connector config.",
                    GROUP_AUTH, ++order, Width.MEDIUM, "Bearer token");
        }
        if (auth.contains(AuthType.BASIC)) {
            def.define(AUTH_BASIC_USERNAME, Type.STRING, null, Importance.HIGH, "HTTP basic user name.",
                    GROUP_AUTH, ++order, Width.MEDIUM, "Basic user");
            def.define(AUTH_BASIC_PASSWORD, Type.PASSWORD, null, secret, Importance.HIGH,
                    "HTTP basic password (a reference).", GROUP_AUTH, ++order, Width.MEDIUM, "Basic password");
        }
        if (auth.contains(AuthType.HEADER)) {
            def.define(AUTH_HEADER_NAME, Type.STRING, null, Importance.HIGH,
                    "Header carrying an API key, e.g. X-Api-Key.", GROUP_AUTH, ++order, Width.MEDIUM,
                    "API key header");
            def.define(AUTH_HEADER_VALUE, Type.PASSWORD, null, secret, Importance.HIGH, "The API key (a reference).",
                    GROUP_AUTH, ++order, Width.MEDIUM, "API key");
        }
        if (auth.contains(AuthType.OAUTH2)) {
            def.define(OAUTH2_TOKEN_URL, Type.STRING, null, Importance.HIGH,
                    "OAuth2 token endpoint (form-encoded POST), e.g. https://api.hubapi.com/oauth/v1/token; checked "
                            + "by the outbound allow-list like the target.",
                    GROUP_AUTH, ++order, Width.LONG, "Token URL");
            def.define(OAUTH2_GRANT_TYPE, Type.STRING, EnumValues.name(GrantType.REFRESH_TOKEN),
                    EnumValues.validator(GrantType.class), Importance.HIGH,
                    "The OAuth2 grant: " + EnumValues.describe(GrantType.class) + ".",
                    GROUP_AUTH, ++order, Width.SHORT, "Grant");
            def.define(OAUTH2_CLIENT_ID, Type.STRING, null, Importance.HIGH, "OAuth2 client id.",
                    GROUP_AUTH, ++order, Width.MEDIUM, "Client id");
            def.define(OAUTH2_CLIENT_SECRET, Type.PASSWORD, null, secret, Importance.HIGH,
                    "OAuth2 client secret (a reference).", GROUP_AUTH, ++order, Width.MEDIUM, "Client secret");
            def.define(OAUTH2_REFRESH_TOKEN, Type.PASSWORD, null, secret, Importance.HIGH,
                    "OAuth2 refresh token for the refresh_token grant (a reference).",
                    GROUP_AUTH, ++order, Width.MEDIUM, "Refresh token");
            def.define(OAUTH2_SCOPE, Type.STRING, null, Importance.LOW,
                    "Scopes to request, space-separated (optional).", GROUP_AUTH, ++order, Width.MEDIUM, "Scope");
            def.define(OAUTH2_CLIENT_AUTH, Type.STRING, EnumValues.name(ClientAuth.POST),
                    EnumValues.validator(ClientAuth.class), Importance.LOW,
                    "How the client authenticates at the token endpoint: " + EnumValues.describe(ClientAuth.class)
                            + ".",
                    GROUP_AUTH, ++order, Width.SHORT, "Client authentication");
        }
        def.defineInternal(TASK_SHARE, Type.DOUBLE, 1.0, ConfigDef.Range.between(0, 1), Importance.LOW,
                "The share of the connector's rate limits this task has (1/tasks); set by the connector.");
        return def;
    }

    /** The auth type configured. */
    public static AuthType authType(AbstractConfig config) {
        return EnumValues.parse(AuthType.class, config.getString(AUTH_TYPE));
    }

    /**
     * The key holding the credential a target or token endpoint judges for the configured auth type: what a 401 or
     * 403 is reported on. Null without authentication.
     */
    public static String credentialKey(AbstractConfig config) {
        return switch (authType(config)) {
            case NONE -> null;
            case BEARER -> AUTH_BEARER_TOKEN;
            case BASIC -> AUTH_BASIC_PASSWORD;
            case HEADER -> AUTH_HEADER_VALUE;
            case OAUTH2 -> EnumValues.parse(GrantType.class, config.getString(OAUTH2_GRANT_TYPE))
                    == GrantType.REFRESH_TOKEN ? OAUTH2_REFRESH_TOKEN : OAUTH2_CLIENT_SECRET;
        };
    }

    /**
     * The key that fixes an SSRF refusal: {@value #ALLOW_PLAIN_HTTP} when the scheme was refused (plain http to a
     * target not listed there), {@value #ALLOW_LIST} when the address was.
     */
    public static String keyFor(SsrfRefusedException refusal) {
        return refusal.schemeRefused() ? ALLOW_PLAIN_HTTP : ALLOW_LIST;
    }

    /**
     * Cross-field problems of the outbound keys, by key: missing credentials for the chosen auth type, a backoff cap
     * below the initial backoff, a target or token URL the outbound policy refuses.
     *
     * @param targets the connector's fixed target URLs, each with the key it comes from
     */
    public static Map<String, List<String>> problems(AbstractConfig config, Map<String, URI> targets) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        AuthType auth = authType(config);
        switch (auth) {
            case BEARER -> requirePassword(config, AUTH_BEARER_TOKEN, AUTH_TYPE + "=bearer", problems);
            case BASIC -> {
                requireString(config, AUTH_BASIC_USERNAME, AUTH_TYPE + "=basic", problems);
                requirePassword(config, AUTH_BASIC_PASSWORD, AUTH_TYPE + "=basic", problems);
            }
            case HEADER -> {
                requireString(config, AUTH_HEADER_NAME, AUTH_TYPE + "=header", problems);
                requirePassword(config, AUTH_HEADER_VALUE, AUTH_TYPE + "=header", problems);
            }
            case OAUTH2 -> {
                requireString(config, OAUTH2_TOKEN_URL, AUTH_TYPE + "=oauth2", problems);
                requireString(config, OAUTH2_CLIENT_ID, AUTH_TYPE + "=oauth2", problems);
                if (EnumValues.parse(GrantType.class, config.getString(OAUTH2_GRANT_TYPE)) == GrantType.REFRESH_TOKEN) {
                    requirePassword(config, OAUTH2_REFRESH_TOKEN, OAUTH2_GRANT_TYPE + "=refresh_token", problems);
                } else {
                    requirePassword(config, OAUTH2_CLIENT_SECRET, OAUTH2_GRANT_TYPE + "=client_credentials",
                            problems);
                }
            }
            case NONE -> { }
            default -> throw new IllegalStateException(auth.name());
        }
        if (config.getLong(RETRY_BACKOFF_MAX_MS) < config.getLong(RETRY_BACKOFF_INITIAL_MS)) {
            ConnectorValidation.add(problems, RETRY_BACKOFF_MAX_MS, RETRY_BACKOFF_MAX_MS + " ("
                    + config.getLong(RETRY_BACKOFF_MAX_MS) + ") must not be below " + RETRY_BACKOFF_INITIAL_MS + " ("
                    + config.getLong(RETRY_BACKOFF_INITIAL_MS) + ")");
        }
        OutboundPolicy policy = outboundPolicy(config);
        Map<String, URI> all = new LinkedHashMap<>(targets);
        if (auth == AuthType.OAUTH2 && config.getString(OAUTH2_TOKEN_URL) != null) {
            try {
                all.put(OAUTH2_TOKEN_URL, URI.create(config.getString(OAUTH2_TOKEN_URL).trim()));
            } catch (IllegalArgumentException e) {
                ConnectorValidation.add(problems, OAUTH2_TOKEN_URL, "'" + config.getString(OAUTH2_TOKEN_URL)
                        + "' is not a URL");
            }
        }
        for (Map.Entry<String, URI> target : all.entrySet()) {
            checkTarget(policy, target.getKey(), target.getValue(), problems);
        }
        return problems;
    }

    /**
     * Checks a target against the outbound policy as a call would: scheme, then every address its host resolves to,
     * reporting a refusal on {@code key} (the message names the key to change). A name that does not resolve (yet) is
     * not a problem here; the first call reports it.
     */
    static void checkTarget(OutboundPolicy policy, String key, URI uri, Map<String, List<String>> problems) {
        if (uri.getHost() == null) {
            ConnectorValidation.add(problems, key, "'" + uri + "' has no host (expected e.g. https://api.example.com/...)");
            return;
        }
        try {
            policy.checkScheme(uri);
            int port = uri.getPort() >= 0 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
            policy.resolveAndCheck(uri.getHost(), port);
        } catch (SsrfRefusedException e) {
            ConnectorValidation.add(problems, key, e.messageFor(key + " " + uri));
        } catch (UnknownHostException e) {
            // Resolution may work from the worker later; the call will say so if it does not.
        }
    }

    /** The SSRF guard from the allow-list keys; its refusals name the key to change. */
    public static OutboundPolicy outboundPolicy(AbstractConfig config) {
        OutboundPolicy.Builder b = OutboundPolicy.builder()
                .allowListName("connector key '" + ALLOW_LIST + "' (allow-list in syncline.yaml)")
                .plainHttpListName("connector key '" + ALLOW_PLAIN_HTTP + "'");
        for (String entry : config.getList(ALLOW_LIST)) {
            if (!entry.isBlank()) {
                b.allow(entry.trim());
            }
        }
        for (String entry : config.getList(ALLOW_PLAIN_HTTP)) {
            if (!entry.isBlank()) {
                b.allowPlainHttp(entry.trim());
            }
        }
        return b.build();
    }

    /** The retry policy of the retry keys: full jitter, Retry-After honoured up to the retry time. */
    public static RetryPolicy retryPolicy(AbstractConfig config) {
        int attempts = config.getInt(RETRY_MAX_ATTEMPTS);
        Duration elapsed = Duration.ofMillis(config.getLong(RETRY_MAX_ELAPSED_MS));
        return RetryPolicy.builder()
                .maxAttempts(attempts == 0 ? Integer.MAX_VALUE : attempts)
                .maxElapsed(elapsed)
                .baseDelay(Duration.ofMillis(config.getLong(RETRY_BACKOFF_INITIAL_MS)))
                .maxDelay(Duration.ofMillis(config.getLong(RETRY_BACKOFF_MAX_MS)))
                .jitter(RetryPolicy.Jitter.FULL)
                .maxRetryAfter(elapsed)
                .build();
    }

    /**
     * A client builder set up as the keys say: outbound policy, timeouts, retry policy, this task's share of the rate
     * limits, authentication. The caller adds what is its own (user agent, metrics, connection count) and builds it.
     */
    public static SynclineHttpClient.Builder client(AbstractConfig config, String name) {
        return client(config, name, true);
    }

    /**
     * {@link #client(AbstractConfig, String)}, without authentication when {@code authenticate} is false (a live
     * check that must not use a credential, such as an OAuth2 refresh token a server may rotate on use).
     */
    public static SynclineHttpClient.Builder client(AbstractConfig config, String name, boolean authenticate) {
        SynclineHttpClient.Builder b = SynclineHttpClient.builder()
                .name(name)
                .outboundPolicy(outboundPolicy(config))
                .connectTimeout(Duration.ofMillis(config.getLong(CONNECT_TIMEOUT_MS)))
                .requestTimeout(Duration.ofMillis(config.getLong(REQUEST_TIMEOUT_MS)))
                .retryPolicy(retryPolicy(config));
        double share = config.getDouble(TASK_SHARE);
        double perSecond = config.getDouble(RATE_PER_SECOND) * share;
        int burst = Math.max(1, (int) Math.ceil(config.getInt(RATE_BURST) * share));
        int windowRequests = config.getInt(RATE_WINDOW_REQUESTS) == 0 ? 0
                : Math.max(1, (int) Math.floor(config.getInt(RATE_WINDOW_REQUESTS) * share));
        long windowMs = config.getLong(RATE_WINDOW_MS);
        if (perSecond == 0 && windowRequests > 0) {
            Pace pace = Pace.of(windowRequests, windowMs, burst);
            perSecond = pace.perSecond();
            burst = pace.burst();
        }
        if (perSecond > 0) {
            b.rateLimit(perSecond, burst);
        }
        if (windowRequests > 0) {
            b.requestBudget(windowRequests, Duration.ofMillis(windowMs));
            // The window is the account's: every connector of this plugin in this worker that calls the same target
            // with the same credential draws from one window of the connector's whole size (AccountBudgets), on top
            // of this task's share above, which keeps the connector within it when its tasks are spread over workers.
            b.accountBudget(credentialId(config, authenticate), config.getInt(RATE_WINDOW_REQUESTS),
                    Duration.ofMillis(windowMs));
        }
        switch (authenticate ? authType(config) : AuthType.NONE) {
            case BEARER -> b.authenticator(Authenticator.bearer(secret(config, AUTH_BEARER_TOKEN), AUTH_BEARER_TOKEN));
            case BASIC -> b.authenticator(Authenticator.basic(config.getString(AUTH_BASIC_USERNAME),
                    secret(config, AUTH_BASIC_PASSWORD), AUTH_BASIC_USERNAME + "' and '" + AUTH_BASIC_PASSWORD));
            case HEADER -> b.authenticator(Authenticator.apiKeyHeader(config.getString(AUTH_HEADER_NAME),
                    secret(config, AUTH_HEADER_VALUE), AUTH_HEADER_VALUE));
            case OAUTH2 -> b.oauth2(oauth2(config));
            case NONE -> { }
            default -> throw new IllegalStateException();
        }
        return b;
    }

    /**
     * A one-way fingerprint of the configured credential ({@link io.syncline.http.AccountBudgets#credentialId}), which
     * with the target names the provider account whose request budget connectors share. For OAuth2 the client and
     * the grant's secret (the refresh token as configured, or the client secret) identify the account's
     * installation; a rotated refresh token does not change it, since it is taken from the configuration.
     */
    public static String credentialId(AbstractConfig config, boolean authenticate) {
        AuthType type = authenticate ? authType(config) : AuthType.NONE;
        return switch (type) {
            case NONE -> io.syncline.http.AccountBudgets.credentialId("none");
            case BEARER -> io.syncline.http.AccountBudgets.credentialId("bearer", secret(config, AUTH_BEARER_TOKEN));
            case BASIC -> io.syncline.http.AccountBudgets.credentialId("basic", config.getString(AUTH_BASIC_USERNAME),
                    secret(config, AUTH_BASIC_PASSWORD));
            case HEADER -> io.syncline.http.AccountBudgets.credentialId("header", config.getString(AUTH_HEADER_NAME),
                    secret(config, AUTH_HEADER_VALUE));
            case OAUTH2 -> io.syncline.http.AccountBudgets.credentialId("oauth2", config.getString(OAUTH2_TOKEN_URL),
                    config.getString(OAUTH2_CLIENT_ID),
                    EnumValues.parse(GrantType.class, config.getString(OAUTH2_GRANT_TYPE)) == GrantType.REFRESH_TOKEN
                            ? secret(config, OAUTH2_REFRESH_TOKEN) : secret(config, OAUTH2_CLIENT_SECRET));
        };
    }

    /** Each task's config: {@code props} with the task's share (1/tasks) of the connector's rate limits. */
    public static Map<String, String> withTaskShare(Map<String, String> props, int tasks) {
        Map<String, String> task = new LinkedHashMap<>(props);
        task.put(TASK_SHARE, Double.toString(1.0 / Math.max(1, tasks)));
        return task;
    }

    private static OAuth2Settings oauth2(AbstractConfig config) {
        String url = config.getString(OAUTH2_TOKEN_URL).trim();
        String clientId = config.getString(OAUTH2_CLIENT_ID);
        String secret = secret(config, OAUTH2_CLIENT_SECRET);
        OAuth2Settings.Builder b = EnumValues.parse(GrantType.class, config.getString(OAUTH2_GRANT_TYPE))
                == GrantType.REFRESH_TOKEN
                ? OAuth2Settings.refreshToken(url, clientId, secret, secret(config, OAUTH2_REFRESH_TOKEN))
                : OAuth2Settings.clientCredentials(url, clientId, secret);
        b.clientAuth(EnumValues.parse(ClientAuth.class, config.getString(OAUTH2_CLIENT_AUTH)) == ClientAuth.BASIC
                ? OAuth2Settings.ClientAuth.CLIENT_SECRET_BASIC : OAuth2Settings.ClientAuth.CLIENT_SECRET_POST);
        String scope = config.getString(OAUTH2_SCOPE);
        if (scope != null && !scope.isBlank()) {
            b.scope(scope.trim());
        }
        b.configKeys(OAUTH2_CLIENT_ID, OAUTH2_CLIENT_SECRET, OAUTH2_REFRESH_TOKEN, OAUTH2_SCOPE);
        return b.build();
    }

    private static String secret(AbstractConfig config, String key) {
        Password p = config.getPassword(key);
        return p == null ? null : p.value();
    }

    private static void requirePassword(AbstractConfig config, String key, String because,
                                        Map<String, List<String>> problems) {
        Password p = config.getPassword(key);
        if (p == null || p.value() == null || p.value().isBlank()) {
            ConnectorValidation.add(problems, key, key + " is required when " + because + " (reference the secret as "
                    + "${env:NAME} or ${file:/path:key})");
        }
    }

    private static void requireString(AbstractConfig config, String key, String because,
                                      Map<String, List<String>> problems) {
        String s = config.getString(key);
        if (s == null || s.isBlank()) {
            ConnectorValidation.add(problems, key, key + " is required when " + because);
        }
    }

    /** Allow-list entries the SSRF guard accepts. */
    static final class AllowListValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            OutboundPolicy.Builder b = OutboundPolicy.builder();
            for (String e : entries(value)) {
                try {
                    b.allow(e);
                } catch (IllegalArgumentException bad) {
                    throw new ConfigException(name + ": " + bad.getMessage());
                }
            }
        }

        @Override
        public String toString() {
            return "host, host:port or address block, comma-separated";
        }
    }

    /** Hosts or host:port entries. */
    static final class PlainHttpValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            OutboundPolicy.Builder b = OutboundPolicy.builder();
            for (String e : entries(value)) {
                try {
                    b.allowPlainHttp(e);
                } catch (IllegalArgumentException bad) {
                    throw new ConfigException(name + ": " + bad.getMessage());
                }
            }
        }

        @Override
        public String toString() {
            return "host or host:port, comma-separated";
        }
    }

    private static List<String> entries(Object value) {
        @SuppressWarnings("unchecked")
        List<String> list = value == null ? List.of() : (List<String>) value;
        return list.stream().filter(s -> !s.isBlank()).map(String::trim).toList();
    }

    /**
     * A secret: a config-provider reference the worker could not resolve (it arrives as the literal
     * {@code ${env:NAME}}) is named, since a reference is not secret; the value itself never appears in a message.
     */
    static final class SecretValidator implements ConfigDef.Validator {
        private final ConfigDef.Validator format;

        SecretValidator(ConfigDef.Validator format) {
            this.format = format;
        }

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return; // required or not depends on the auth type: problems() says so
            }
            String v = value instanceof Password p ? p.value() : value.toString();
            if (v != null && v.startsWith("${") && v.endsWith("}")) {
                throw new ConfigException(name + ": the reference " + v + " did not resolve; check that the "
                        + "environment variable or file exists on every Connect worker and that the worker has "
                        + "the env and file config providers");
            }
            if (format != null) {
                format.ensureValid(name, value);
            }
        }

        @Override
        public String toString() {
            return format == null ? "" : format.toString();
        }
    }
}
