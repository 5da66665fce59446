package io.syncline.delivery;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.syncline.http.Authenticator;
import io.syncline.http.FailureRule;
import io.syncline.http.HttpMetricsListener;
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
import org.apache.kafka.common.config.types.Password;

/**
 * The configuration keys every Syncline HTTP sink shares (delivery lanes, dead letters, retries, rate limit,
 * authentication, outbound allow-list), declared once here and added to each sink's {@link ConfigDef}, with the
 * cross-field rules and the factory for the {@link SynclineHttpClient} they describe.
 */
public final class DeliveryConfig {

    public static final String GROUP_DELIVERY = "Delivery";
    public static final String GROUP_RETRIES = "Retries and timeouts";
    public static final String GROUP_RATE_LIMIT = "Rate limit";
    public static final String GROUP_AUTH = "Authentication";
    public static final String GROUP_OUTBOUND = "Outbound safety";

    public static final String LANES = "delivery.lanes";
    public static final String MAX_BUFFERED = "delivery.max.buffered.records";
    public static final String IDEMPOTENCY_HEADER = "delivery.idempotency.header";
    public static final String VERSION_CACHE_SIZE = "delivery.version.cache.size";
    public static final String PERMANENT_FAILURE = "delivery.permanent.failure";
    public static final String DRAIN_TIMEOUT_MS = "delivery.drain.timeout.ms";

    public static final String RETRY_MAX_ELAPSED_MS = "retry.max.elapsed.ms";
    public static final String RETRY_BACKOFF_INITIAL_MS = "retry.backoff.initial.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    public static final String REQUEST_TIMEOUT_MS = "http.request.timeout.ms";
    public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";

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

    public static final String OUTBOUND_ALLOW_LIST = "outbound.allow.list";
    public static final String OUTBOUND_ALLOW_PLAIN_HTTP = "outbound.allow.plain.http";

    /** Connect's own keys the dead-letter policy depends on. */
    public static final String ERRORS_TOLERANCE = "errors.tolerance";
    public static final String ERRORS_DLQ_TOPIC = "errors.deadletterqueue.topic.name";

    /** What happens to a change the target rejects for good. */
    public enum PermanentFailure {
        /** To the connector's dead-letter topic through the errant record reporter; delivery goes on. */
        DLQ,
        /** The task fails with the target's answer; the record stays uncommitted. */
        FAIL
    }

    /** How requests authenticate. */
    public enum AuthType {
        NONE, BEARER, BASIC, HEADER, OAUTH2
    }

    /** The OAuth2 grant. */
    public enum GrantType {
        CLIENT_CREDENTIALS, REFRESH_TOKEN
    }

    /** How the client authenticates to the token endpoint. */
    public enum ClientAuth {
        BASIC, POST
    }

    /** Defaults that differ between sinks. */
    public record Defaults(int lanes, double ratePerSecond, int rateBurst, int windowRequests, long windowMs) {
        /** A generic target: 8 lanes, no rate limit. */
        public static final Defaults GENERIC = new Defaults(8, 0, 10, 0, 10_000);
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

    private DeliveryConfig() {
    }

    /** Adds the shared keys to {@code def}. */
    public static ConfigDef define(ConfigDef def, Defaults d) {
        int order = 0;
        def.define(LANES, Type.INT, d.lanes(), ConfigDef.Range.between(1, 256), Importance.MEDIUM,
                "Requests in flight at once per task. This many lanes take changes from one queue, each sending one "
                        + "request at a time; a change is taken only while no lane holds a change of its ordering key, "
                        + "so changes of one key go out one at a time and in order, a key that is retrying holds up "
                        + "only itself, and the count may exceed the partition count.",
                GROUP_DELIVERY, ++order, Width.SHORT, "Lanes");
        def.define(MAX_BUFFERED, Type.INT, 10_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                "Changes a task holds (queued or in flight) before it pauses consumption until half of them are done.",
                GROUP_DELIVERY, ++order, Width.SHORT, "Max buffered records");
        def.define(IDEMPOTENCY_HEADER, Type.STRING, "Idempotency-Key", Importance.MEDIUM,
                "Header carrying each change's idempotency key (its event id), so a retried or replayed write is not "
                        + "applied twice. Empty sends none; then an ambiguous failure (a reset after sending) is not "
                        + "retried but fails the task.",
                GROUP_DELIVERY, ++order, Width.MEDIUM, "Idempotency header");
        def.define(VERSION_CACHE_SIZE, Type.INT, 100_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                "Keys whose newest version (source updated-at) a task remembers to skip older versions arriving later "
                        + "(least recently used keys are forgotten first).",
                GROUP_DELIVERY, ++order, Width.SHORT, "Version cache size");
        def.define(PERMANENT_FAILURE, Type.STRING, "dlq", enumValidator(PermanentFailure.class), Importance.HIGH,
                "What happens to a change the target rejects for good (a 4xx other than 408/409/425/429, or a "
                        + "record that cannot become a request): 'dlq' writes it to the connector's dead-letter topic "
                        + "with the reason in syncline.error.* headers and goes on (needs " + ERRORS_TOLERANCE
                        + "=all and " + ERRORS_DLQ_TOPIC + "); 'fail' fails the task and leaves it uncommitted.",
                GROUP_DELIVERY, ++order, Width.SHORT, "On permanent failure");
        def.define(DRAIN_TIMEOUT_MS, Type.LONG, 5_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                "When partitions are revoked, their requests in flight are aborted and their queued changes dropped, "
                        + "so the next owner (resuming from the committed offsets, same idempotency keys) is not "
                        + "overtaken; this bounds how long the task waits for its lanes to let go.",
                GROUP_DELIVERY, ++order, Width.SHORT, "Drain timeout (ms)");

        order = 0;
        def.define(RETRY_MAX_ELAPSED_MS, Type.LONG, 300_000L, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                "How long one change is retried (408, 425, 429, 5xx, timeouts, connection resets; exponential "
                        + "backoff with full jitter, honouring Retry-After) before the task fails; the change stays "
                        + "uncommitted and is delivered when the task runs again.",
                GROUP_RETRIES, ++order, Width.SHORT, "Max retry time (ms)");
        def.define(RETRY_BACKOFF_INITIAL_MS, Type.LONG, 500L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "Scale of the first retry's backoff; it doubles with every retry.",
                GROUP_RETRIES, ++order, Width.SHORT, "Initial backoff (ms)");
        def.define(RETRY_BACKOFF_MAX_MS, Type.LONG, 30_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "Cap on the computed backoff.", GROUP_RETRIES, ++order, Width.SHORT, "Max backoff (ms)");
        def.define(REQUEST_TIMEOUT_MS, Type.LONG, 30_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "Time for one attempt, response body included; a timeout is retried.",
                GROUP_RETRIES, ++order, Width.SHORT, "Request timeout (ms)");
        def.define(CONNECT_TIMEOUT_MS, Type.LONG, 10_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "Time to open a connection.", GROUP_RETRIES, ++order, Width.SHORT, "Connect timeout (ms)");

        order = 0;
        def.define(RATE_PER_SECOND, Type.DOUBLE, d.ratePerSecond(), ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                "Token bucket per target host: requests per second on average. 0: none, or with a request window ("
                        + RATE_WINDOW_REQUESTS + ") one paced from it, (window requests - burst) per window, so that a "
                        + "steady load is spread evenly over the window instead of spending it in one burst and then "
                        + "stalling. Each 429 halves the rate for a while, and a 429's Retry-After pauses every lane.",
                GROUP_RATE_LIMIT, ++order, Width.SHORT, "Requests per second");
        def.define(RATE_BURST, Type.INT, d.rateBurst(), ConfigDef.Range.atLeast(1), Importance.LOW,
                "Requests the token bucket allows at once.", GROUP_RATE_LIMIT, ++order, Width.SHORT, "Burst");
        def.define(RATE_WINDOW_REQUESTS, Type.INT, d.windowRequests(), ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                "At most this many requests per target host in any rolling " + RATE_WINDOW_MS + " (0: no window), "
                        + "e.g. HubSpot's 100 per 10 s.",
                GROUP_RATE_LIMIT, ++order, Width.SHORT, "Requests per window");
        def.define(RATE_WINDOW_MS, Type.LONG, d.windowMs(), ConfigDef.Range.atLeast(1), Importance.LOW,
                "The rolling window of " + RATE_WINDOW_REQUESTS + ".", GROUP_RATE_LIMIT, ++order, Width.SHORT,
                "Window (ms)");

        order = 0;
        def.define(AUTH_TYPE, Type.STRING, "none", enumValidator(AuthType.class), Importance.HIGH,
                "How requests authenticate: 'none', 'bearer' (" + AUTH_BEARER_TOKEN + "), 'basic' ("
                        + AUTH_BASIC_USERNAME + ", " + AUTH_BASIC_PASSWORD + "), 'header' (" + AUTH_HEADER_NAME + ", "
                        + AUTH_HEADER_VALUE + "), or 'oauth2' (the oauth2.* keys; tokens refreshed ahead of expiry "
                        + "and once after a 401).",
                GROUP_AUTH, ++order, Width.SHORT, "Authentication");
        def.define(AUTH_BEARER_TOKEN, Type.PASSWORD, null, Importance.HIGH,
                "Static bearer token (e.g. a private-app token); reference it as ${env:NAME} or ${file:path:key}.",
                GROUP_AUTH, ++order, Width.MEDIUM, "Bearer token");
        def.define(AUTH_BASIC_USERNAME, Type.STRING, null, Importance.HIGH, "HTTP basic user name.",
                GROUP_AUTH, ++order, Width.MEDIUM, "Basic user");
        def.define(AUTH_BASIC_PASSWORD, Type.PASSWORD, null, Importance.HIGH, "HTTP basic password (a reference).",
                GROUP_AUTH, ++order, Width.MEDIUM, "Basic password");
        def.define(AUTH_HEADER_NAME, Type.STRING, null, Importance.HIGH, "Header carrying an API key, e.g. X-Api-Key.",
                GROUP_AUTH, ++order, Width.MEDIUM, "API key header");
        def.define(AUTH_HEADER_VALUE, Type.PASSWORD, null, Importance.HIGH, "The API key (a reference).",
                GROUP_AUTH, ++order, Width.MEDIUM, "API key");
        def.define(OAUTH2_TOKEN_URL, Type.STRING, null, Importance.HIGH,
                "OAuth2 token endpoint (form-encoded POST), e.g. https://api.hubapi.com/oauth/v1/token; checked by the "
                        + "outbound allow-list like the target.",
                GROUP_AUTH, ++order, Width.LONG, "Token URL");
        def.define(OAUTH2_GRANT_TYPE, Type.STRING, "refresh_token", enumValidator(GrantType.class), Importance.HIGH,
                "'refresh_token' (a refresh token from a user's authorization; a rotated one is kept for the task's "
                        + "lifetime) or 'client_credentials'.",
                GROUP_AUTH, ++order, Width.SHORT, "Grant");
        def.define(OAUTH2_CLIENT_ID, Type.STRING, null, Importance.HIGH, "OAuth2 client id.",
                GROUP_AUTH, ++order, Width.MEDIUM, "Client id");
        def.define(OAUTH2_CLIENT_SECRET, Type.PASSWORD, null, Importance.HIGH, "OAuth2 client secret (a reference).",
                GROUP_AUTH, ++order, Width.MEDIUM, "Client secret");
        def.define(OAUTH2_REFRESH_TOKEN, Type.PASSWORD, null, Importance.HIGH,
                "OAuth2 refresh token for the refresh_token grant (a reference).",
                GROUP_AUTH, ++order, Width.MEDIUM, "Refresh token");
        def.define(OAUTH2_SCOPE, Type.STRING, null, Importance.LOW, "Scopes to request, space-separated (optional).",
                GROUP_AUTH, ++order, Width.MEDIUM, "Scope");
        def.define(OAUTH2_CLIENT_AUTH, Type.STRING, "post", enumValidator(ClientAuth.class), Importance.LOW,
                "How the client authenticates at the token endpoint: 'post' (client_id and client_secret in the form, "
                        + "as HubSpot expects) or 'basic' (HTTP basic).",
                GROUP_AUTH, ++order, Width.SHORT, "Client authentication");

        order = 0;
        def.define(OUTBOUND_ALLOW_LIST, Type.LIST, "", Importance.MEDIUM,
                "Internal targets this sink may call although they resolve to loopback, private, link-local, "
                        + "unique-local or cloud-metadata addresses: host, host:port or address block (10.20.0.0/16). "
                        + "Everything else internal is refused before connecting; redirects are never followed.",
                GROUP_OUTBOUND, ++order, Width.LONG, "Allowed internal targets");
        def.define(OUTBOUND_ALLOW_PLAIN_HTTP, Type.LIST, "", Importance.MEDIUM,
                "Hosts (or host:port) that may be called over plain http; everything else must be https.",
                GROUP_OUTBOUND, ++order, Width.LONG, "Plain-HTTP targets");
        return def;
    }

    /**
     * Cross-field problems of the shared keys, by key: missing credentials for the chosen auth type, a dead-letter
     * policy without a dead-letter topic, a target or token URL the outbound policy refuses.
     *
     * @param raw the connector config as given (Connect's own errors.* keys included)
     * @param targets the sink's fixed target URLs, each with the key it comes from
     */
    public static Map<String, List<String>> problems(AbstractConfig config, Map<String, String> raw,
                                                     Map<String, URI> targets) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        AuthType auth = enumValue(AuthType.class, config.getString(AUTH_TYPE));
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
                GrantType grant = enumValue(GrantType.class, config.getString(OAUTH2_GRANT_TYPE));
                if (grant == GrantType.REFRESH_TOKEN) {
                    requirePassword(config, OAUTH2_REFRESH_TOKEN, OAUTH2_GRANT_TYPE + "=refresh_token", problems);
                } else {
                    requirePassword(config, OAUTH2_CLIENT_SECRET, OAUTH2_GRANT_TYPE + "=client_credentials", problems);
                }
            }
            case NONE -> { }
            default -> throw new IllegalStateException(auth.name());
        }
        if (enumValue(PermanentFailure.class, config.getString(PERMANENT_FAILURE)) == PermanentFailure.DLQ) {
            String topic = raw.get(ERRORS_DLQ_TOPIC);
            if (topic == null || topic.isBlank()) {
                add(problems, ERRORS_DLQ_TOPIC, ERRORS_DLQ_TOPIC + " is required when " + PERMANENT_FAILURE
                        + "=dlq: rejected changes go to the dead-letter topic (e.g. dlq.sink.<connector>); set it, "
                        + "or set " + PERMANENT_FAILURE + "=fail to fail the task instead");
            }
            String tolerance = raw.getOrDefault(ERRORS_TOLERANCE, "none");
            if (!"all".equalsIgnoreCase(tolerance.trim())) {
                add(problems, ERRORS_TOLERANCE, ERRORS_TOLERANCE + " is '" + tolerance + "' but must be 'all' when "
                        + PERMANENT_FAILURE + "=dlq, or Connect fails the task instead of writing the dead letter");
            }
        }
        if (config.getLong(RETRY_BACKOFF_MAX_MS) < config.getLong(RETRY_BACKOFF_INITIAL_MS)) {
            add(problems, RETRY_BACKOFF_MAX_MS, RETRY_BACKOFF_MAX_MS + " (" + config.getLong(RETRY_BACKOFF_MAX_MS)
                    + ") must not be below " + RETRY_BACKOFF_INITIAL_MS + " (" + config.getLong(RETRY_BACKOFF_INITIAL_MS)
                    + ")");
        }
        OutboundPolicy policy;
        try {
            policy = outboundPolicy(config);
        } catch (IllegalArgumentException e) {
            add(problems, OUTBOUND_ALLOW_LIST, "invalid entry in " + OUTBOUND_ALLOW_LIST + " or "
                    + OUTBOUND_ALLOW_PLAIN_HTTP + ": " + e.getMessage());
            return problems;
        }
        Map<String, URI> all = new LinkedHashMap<>(targets);
        if (auth == AuthType.OAUTH2 && config.getString(OAUTH2_TOKEN_URL) != null) {
            try {
                all.put(OAUTH2_TOKEN_URL, URI.create(config.getString(OAUTH2_TOKEN_URL).trim()));
            } catch (IllegalArgumentException e) {
                add(problems, OAUTH2_TOKEN_URL, "'" + config.getString(OAUTH2_TOKEN_URL) + "' is not a URL");
            }
        }
        for (Map.Entry<String, URI> target : all.entrySet()) {
            checkTarget(policy, target.getKey(), target.getValue(), problems);
        }
        return problems;
    }

    /**
     * Checks a target against the outbound policy as a call would: scheme, then every address its host resolves to.
     * A name that does not resolve (yet) is not a problem here; the first call reports it.
     */
    static void checkTarget(OutboundPolicy policy, String key, URI uri, Map<String, List<String>> problems) {
        if (uri.getHost() == null) {
            add(problems, key, "'" + uri + "' has no host (expected e.g. https://api.example.com/...)");
            return;
        }
        try {
            policy.checkScheme(uri);
            int port = uri.getPort() >= 0 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
            policy.resolveAndCheck(uri.getHost(), port);
        } catch (SsrfRefusedException e) {
            add(problems, key, e.messageFor(key + " " + uri));
        } catch (java.net.UnknownHostException e) {
            // Resolution may work from the worker later; the call will say so if it does not.
        }
    }

    /** The SSRF guard from the allow-list keys. */
    public static OutboundPolicy outboundPolicy(AbstractConfig config) {
        OutboundPolicy.Builder b = OutboundPolicy.builder()
                .allowListName("connector key '" + OUTBOUND_ALLOW_LIST + "' (allow-list in syncline.yaml)");
        for (String entry : config.getList(OUTBOUND_ALLOW_LIST)) {
            if (!entry.isBlank()) {
                b.allow(entry.trim());
            }
        }
        for (String entry : config.getList(OUTBOUND_ALLOW_PLAIN_HTTP)) {
            if (!entry.isBlank()) {
                b.allowPlainHttp(entry.trim());
            }
        }
        return b.build();
    }

    /** The HTTP client these keys describe; one per task. */
    public static SynclineHttpClient httpClient(AbstractConfig config, String name, DeliveryStats stats) {
        SynclineHttpClient.Builder b = SynclineHttpClient.builder()
                .name(name)
                .outboundPolicy(outboundPolicy(config))
                .connectTimeout(Duration.ofMillis(config.getLong(CONNECT_TIMEOUT_MS)))
                .requestTimeout(Duration.ofMillis(config.getLong(REQUEST_TIMEOUT_MS)))
                .maxConnectionsPerTarget(config.getInt(LANES) + 1)
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(Integer.MAX_VALUE)
                        .maxElapsed(Duration.ofMillis(config.getLong(RETRY_MAX_ELAPSED_MS)))
                        .baseDelay(Duration.ofMillis(config.getLong(RETRY_BACKOFF_INITIAL_MS)))
                        .maxDelay(Duration.ofMillis(config.getLong(RETRY_BACKOFF_MAX_MS)))
                        .maxRetryAfter(Duration.ofMillis(config.getLong(RETRY_MAX_ELAPSED_MS)))
                        .build())
                // A lane waits for its permit as long as it would wait for a retry: the limit is not a failure.
                .rateLimitWait(Duration.ofMillis(config.getLong(RETRY_MAX_ELAPSED_MS)))
                .metricsListener(new HttpMetricsListener() {
                    @Override
                    public void retry(String target, FailureRule reason, Duration delay) {
                        stats.retry();
                    }
                });
        double perSecond = config.getDouble(RATE_PER_SECOND);
        int burst = config.getInt(RATE_BURST);
        int windowRequests = config.getInt(RATE_WINDOW_REQUESTS);
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
        }
        switch (enumValue(AuthType.class, config.getString(AUTH_TYPE))) {
            case BEARER -> b.authenticator(Authenticator.bearer(secret(config, AUTH_BEARER_TOKEN), AUTH_BEARER_TOKEN));
            case BASIC -> b.authenticator(Authenticator.basic(config.getString(AUTH_BASIC_USERNAME),
                    secret(config, AUTH_BASIC_PASSWORD), AUTH_BASIC_USERNAME + "' and '" + AUTH_BASIC_PASSWORD));
            case HEADER -> b.authenticator(Authenticator.apiKeyHeader(config.getString(AUTH_HEADER_NAME),
                    secret(config, AUTH_HEADER_VALUE), AUTH_HEADER_VALUE));
            case OAUTH2 -> b.oauth2(oauth2(config));
            case NONE -> { }
            default -> throw new IllegalStateException();
        }
        return b.build();
    }

    private static OAuth2Settings oauth2(AbstractConfig config) {
        String url = config.getString(OAUTH2_TOKEN_URL).trim();
        String clientId = config.getString(OAUTH2_CLIENT_ID);
        String secret = secret(config, OAUTH2_CLIENT_SECRET);
        OAuth2Settings.Builder b = enumValue(GrantType.class, config.getString(OAUTH2_GRANT_TYPE))
                == GrantType.REFRESH_TOKEN
                ? OAuth2Settings.refreshToken(url, clientId, secret, secret(config, OAUTH2_REFRESH_TOKEN))
                : OAuth2Settings.clientCredentials(url, clientId, secret);
        b.clientAuth(enumValue(ClientAuth.class, config.getString(OAUTH2_CLIENT_AUTH)) == ClientAuth.BASIC
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
            add(problems, key, key + " is required when " + because + " (reference the secret as ${env:NAME} or "
                    + "${file:/path:key})");
        }
    }

    private static void requireString(AbstractConfig config, String key, String because,
                                      Map<String, List<String>> problems) {
        String s = config.getString(key);
        if (s == null || s.isBlank()) {
            add(problems, key, key + " is required when " + because);
        }
    }

    /** One exception listing every problem (messages name their keys; values are left out: they may be secrets). */
    public static org.apache.kafka.common.config.ConfigException invalid(Map<String, List<String>> problems) {
        List<String> all = new ArrayList<>();
        problems.forEach((key, messages) -> messages.forEach(m -> all.add(m.contains(key) ? m : key + ": " + m)));
        return new org.apache.kafka.common.config.ConfigException("invalid configuration: " + String.join("; ", all));
    }

    /** Adds a problem for {@code key}. */
    public static void add(Map<String, List<String>> problems, String key, String message) {
        problems.computeIfAbsent(key, k -> new ArrayList<>()).add(message);
    }

    /** The lower-case names of an enum's constants, for validators and docs. */
    public static String[] names(Class<? extends Enum<?>> type) {
        Enum<?>[] constants = type.getEnumConstants();
        String[] names = new String[constants.length];
        for (int i = 0; i < constants.length; i++) {
            names[i] = constants[i].name().toLowerCase(Locale.ROOT);
        }
        return names;
    }

    /** A validator accepting the enum's constants in lower case (any case is accepted). */
    public static ConfigDef.Validator enumValidator(Class<? extends Enum<?>> type) {
        return ConfigDef.CaseInsensitiveValidString.in(names(type));
    }

    /** The constant named {@code value} in any case. */
    public static <E extends Enum<E>> E enumValue(Class<E> type, String value) {
        return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    }
}
