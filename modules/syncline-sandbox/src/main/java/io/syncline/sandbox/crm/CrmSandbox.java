package io.syncline.sandbox.crm;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import io.syncline.sandbox.core.ActivityScheduler;
import io.syncline.sandbox.core.AdminEndpoints;
import io.syncline.sandbox.core.ApiResponse;
import io.syncline.sandbox.core.Faults;
import io.syncline.sandbox.core.IdGenerator;
import io.syncline.sandbox.core.IdempotencyCache;
import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.core.OAuthTokens;
import io.syncline.sandbox.core.RequestLog;
import io.syncline.sandbox.core.RollingWindowRateLimiter;
import io.syncline.sandbox.core.SandboxServer;
import io.syncline.sandbox.core.Seeds;
import io.syncline.sandbox.core.WebhookDispatcher;
import io.syncline.sandbox.core.WriteLog;
import io.syncline.sandbox.core.WriteRecord;

/**
 * A HubSpot CRM v3 compatible API in memory: contacts, companies and deals with list, read, create, update, archive,
 * search, merge and batch endpoints, associations (v3 {@code ?associations=}, v4 batch read and default
 * associations), OAuth 2.0 and private-app tokens, HubSpot's ten-secondly and search rate limits, signed webhook
 * batches, fault knobs, a seeded activity generator (which also associates, merges and archives), and a log of every
 * write clients applied.
 *
 * <pre>{@code
 * try (CrmSandbox hubspot = CrmSandbox.builder().seed(42).accessTokenTtl(Duration.ofSeconds(5)).build().start()) {
 *     String token = hubspot.privateAppToken();          // or OAuth: POST /oauth/v1/token
 *     hubspot.generator().runSteps(100);
 *     hubspot.writes();                                  // what a sink under test applied
 * }
 * }</pre>
 */
public final class CrmSandbox implements AutoCloseable {

    public static final String DEFAULT_CLIENT_ID = "syncline-sandbox-client";
    public static final String DEFAULT_CLIENT_SECRET = "syncline-sandbox-secret";
    public static final String DEFAULT_PRIVATE_APP_TOKEN = "pat-na1-00000000-0000-4000-8000-000000000000";

    /** Issues and revokes OAuth credentials as if an account had installed the app. */
    public final class OAuth {
        private OAuth() {
        }

        /** A refresh token for the configured client, usable with {@code grant_type=refresh_token}. */
        public String issueRefreshToken() {
            return tokens.issueRefreshToken(config.clientId);
        }

        /**
         * Accepts {@code token} as a refresh token of the configured client, as if issued earlier (for credentials
         * generated and kept outside the sandbox, such as {@code up --demo}'s).
         */
        public void acceptRefreshToken(String token) {
            tokens.acceptRefreshToken(config.clientId, token);
        }

        /** A one-time authorization code, usable with {@code grant_type=authorization_code}. */
        public String issueAuthorizationCode() {
            return tokens.issueCode(config.clientId);
        }

        public boolean revokeRefreshToken(String refreshToken) {
            return tokens.revokeRefreshToken(refreshToken);
        }

        /** Every access token issued so far answers 401 {@code EXPIRED_AUTHENTICATION} from now on. */
        public void expireAccessTokens() {
            tokens.expireAllAccessTokens();
        }

        public void accessTokenTtl(Duration ttl) {
            tokens.accessTtl(ttl);
        }

        public void rotateRefreshTokens(boolean rotate) {
            tokens.rotateRefreshTokens(rotate);
        }
    }

    private final Builder config;
    private final CrmEngine engine;
    private final OAuthTokens tokens;
    private final OAuth oauth = new OAuth();
    private final WriteLog writes = new WriteLog();
    private final RollingWindowRateLimiter rateLimiter;
    private final RollingWindowRateLimiter searchLimiter;
    private final ActivityScheduler generator;
    private final WebhookDispatcher dispatcher;
    private final CrmWebhooks webhooks;
    private final SandboxServer server;

    private CrmSandbox(Builder b) {
        this.config = b;
        this.engine = new CrmEngine(b.clock, writes, Seeds.derive(b.seed, "crm-ids"));
        this.dispatcher = new WebhookDispatcher("crm", b.webhookRetry, b.faults, new HubSpotSignature(), b.clock,
                Seeds.derive(b.seed, "crm-webhooks"), "HubSpot Connect 2.0 (http://dev.hubspot.com/)", null);
        this.webhooks = new CrmWebhooks(dispatcher, b.clientSecret, b.portalId, b.appId, b.webhookBatchWindow);
        engine.onChange(webhooks::publish);
        engine.searchResultCap(b.searchResultCap);
        this.tokens = new OAuthTokens(b.clock, new IdGenerator(Seeds.derive(b.seed, "crm-tokens")), b.accessTokenTtl,
                b.rotateRefreshTokens);
        this.rateLimiter = b.tenSecondlyLimit > 0
                ? new RollingWindowRateLimiter(b.tenSecondlyLimit, Duration.ofSeconds(10)) : null;
        this.searchLimiter = b.searchPerSecond > 0
                ? new RollingWindowRateLimiter(b.searchPerSecond, Duration.ofSeconds(1)) : null;
        this.generator = new ActivityScheduler("crm", new CrmActivity(engine, b.clock, b.seed), b.generatorRate);
        CrmApi api = new CrmApi(engine, new IdempotencyCache(b.clock, Duration.ofHours(24)), searchLimiter, b.clock);
        HubSpotOAuth oauthApi = new HubSpotOAuth(b.clientId, b.clientSecret, tokens);
        List<String> privateTokens = b.privateAppToken == null ? List.of() : List.of(b.privateAppToken);
        this.server = SandboxServer.builder("crm")
                .host(b.host)
                .port(b.port)
                .dialect(new HubSpotDialect())
                .authenticator(new HubSpotAuthenticator(privateTokens, tokens, b.clock))
                .faults(b.faults)
                .faultSeed(Seeds.derive(b.seed, "crm-faults"))
                .rateLimiter(rateLimiter)
                .requestLog(new RequestLog(b.requestLogCapacity))
                .clock(b.clock)
                .requestIds(new IdGenerator(Seeds.derive(b.seed, "crm-request-ids")))
                .api(routes -> {
                    oauthApi.register(routes);
                    api.register(routes);
                })
                .admin(admin -> {
                    AdminEndpoints.generator(admin, generator);
                    AdminEndpoints.objects(admin, this::objectIds);
                    AdminEndpoints.writes(admin, writes);
                    AdminEndpoints.webhooks(admin, dispatcher);
                    admin.post(SandboxServer.ADMIN_PREFIX + "/webhooks", req -> {
                        var body = SandboxServer.adminJson(req);
                        List<String> types = new ArrayList<>();
                        body.path("subscriptions").forEach(t -> types.add(t.asText()));
                        CrmWebhooks.Subscription sub = webhooks.subscribe(body.path("url").asText(null), types);
                        var out = Json.object();
                        out.put("id", Long.toString(sub.id()));
                        out.put("url", sub.url().toString());
                        var list = out.putArray("subscriptions");
                        sub.types().stream().sorted().forEach(list::add);
                        return ApiResponse.ok(out);
                    });
                    if (b.clock instanceof MutableClock mutable) {
                        AdminEndpoints.clock(admin, mutable);
                    }
                    admin.post(SandboxServer.ADMIN_PREFIX + "/oauth/refresh-tokens", req -> ApiResponse.ok(
                            Json.object().put("refresh_token", oauth.issueRefreshToken())));
                    admin.post(SandboxServer.ADMIN_PREFIX + "/oauth/codes", req -> ApiResponse.ok(
                            Json.object().put("code", oauth.issueAuthorizationCode())));
                    admin.post(SandboxServer.ADMIN_PREFIX + "/oauth/expire-access-tokens", req -> {
                        oauth.expireAccessTokens();
                        return ApiResponse.ok(Json.object().put("expired", true));
                    });
                })
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public CrmSandbox start() {
        server.start();
        if (config.startGenerator) {
            generator.start();
        }
        return this;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:12112}; HubSpot clients use it in place of https://api.hubapi.com. */
    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    /** The static private-app token, or null when none was configured. */
    public String privateAppToken() {
        return config.privateAppToken;
    }

    public String clientId() {
        return config.clientId;
    }

    public String clientSecret() {
        return config.clientSecret;
    }

    public OAuth oauth() {
        return oauth;
    }

    public Faults faults() {
        return config.faults;
    }

    public ActivityScheduler generator() {
        return generator;
    }

    /** HubSpot's ten-secondly rolling limit (null when off). */
    public RollingWindowRateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** The separate per-second search limit (null when off). */
    public RollingWindowRateLimiter searchRateLimiter() {
        return searchLimiter;
    }

    public RequestLog requestLog() {
        return server.requestLog();
    }

    /** Every write API clients applied, in application order (generator activity is not included). */
    public List<WriteRecord> writes() {
        return writes.records();
    }

    public WriteLog writeLog() {
        return writes;
    }

    /** Ids of every object by type ({@code contacts}, {@code companies}, {@code deals}), archived ones included. */
    public Map<String, List<String>> objectIds() {
        return engine.idsByType();
    }

    public List<String> objectIds(String type) {
        return new ArrayList<>(objectIds().getOrDefault(type, List.of()));
    }

    /** One object with all its properties (archived too), or null. */
    public JsonNode object(String type, String id) {
        return engine.snapshot(type, id);
    }

    /** The ids of {@code type} merged away, each with the id of the object it became (lists show neither old id). */
    public Map<String, String> mergedIds(String type) {
        return engine.mergedInto(type);
    }

    /**
     * Subscribes {@code url} to webhook events as a HubSpot app would (signed with the client secret, v3), every
     * type but {@code associationChange} when {@code subscriptionTypes} is empty.
     *
     * @return the subscription id
     */
    public String registerWebhook(String url, String... subscriptionTypes) {
        return Long.toString(webhooks.subscribe(url, List.of(subscriptionTypes)).id());
    }

    /** Every webhook delivery attempt so far. */
    public List<WebhookDispatcher.Attempt> webhookAttempts() {
        return dispatcher.attempts();
    }

    @Override
    public void close() {
        generator.close();
        webhooks.flush();
        webhooks.close();
        dispatcher.close();
        server.close();
    }

    /** Configures a {@link CrmSandbox}; every setting has a default suitable for tests. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private long seed = 42;
        private Clock clock = MutableClock.system();
        private String clientId = DEFAULT_CLIENT_ID;
        private String clientSecret = DEFAULT_CLIENT_SECRET;
        private String privateAppToken = DEFAULT_PRIVATE_APP_TOKEN;
        private Duration accessTokenTtl = Duration.ofSeconds(1800);
        private boolean rotateRefreshTokens;
        private int tenSecondlyLimit = 100;
        private int searchPerSecond = 5;
        private double generatorRate = 5.0;
        private boolean startGenerator;
        private Faults faults = new Faults();
        private int requestLogCapacity = 10_000;
        private long portalId = 62515;
        private int searchResultCap = CrmEngine.SEARCH_RESULT_CAP;
        private long appId = 1_160_452;
        private Duration webhookBatchWindow = Duration.ofMillis(200);
        private WebhookDispatcher.RetryPolicy webhookRetry = new WebhookDispatcher.RetryPolicy(5,
                Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), Duration.ofSeconds(10));

        private Builder() {
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Time source for timestamps and token expiry; a {@link MutableClock} also enables the admin clock API. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = requireText(clientId, "client id");
            return this;
        }

        public Builder clientSecret(String clientSecret) {
            this.clientSecret = requireText(clientSecret, "client secret");
            return this;
        }

        /** The static private-app token; null disables private-app auth (OAuth only). */
        public Builder privateAppToken(String token) {
            this.privateAppToken = token == null ? null : requireText(token, "private app token");
            return this;
        }

        /** Lifetime of OAuth access tokens (HubSpot: 30 minutes). */
        public Builder accessTokenTtl(Duration ttl) {
            if (ttl == null || ttl.isZero() || ttl.isNegative()) {
                throw new IllegalArgumentException("access token TTL must be positive, got " + ttl);
            }
            this.accessTokenTtl = ttl;
            return this;
        }

        /** Whether each refresh replaces the refresh token (the old one then fails); HubSpot's default is no. */
        public Builder rotateRefreshTokens(boolean rotate) {
            this.rotateRefreshTokens = rotate;
            return this;
        }

        /** Requests per rolling 10 s before {@code TEN_SECONDLY_ROLLING} 429s (HubSpot: 100 or 190); 0 = off. */
        public Builder tenSecondlyLimit(int requests) {
            if (requests < 0) {
                throw new IllegalArgumentException("rate limit must be 0 (off) or positive, got " + requests);
            }
            this.tenSecondlyLimit = requests;
            return this;
        }

        /** Search requests per second before {@code SECONDLY} 429s (HubSpot: about 5); 0 = off. */
        public Builder searchRequestsPerSecond(int requests) {
            if (requests < 0) {
                throw new IllegalArgumentException("search rate limit must be 0 (off) or positive, got " + requests);
            }
            this.searchPerSecond = requests;
            return this;
        }

        public Builder generatorRate(double changesPerSecond) {
            if (!(changesPerSecond > 0)) {
                throw new IllegalArgumentException("generator rate must be positive, got " + changesPerSecond);
            }
            this.generatorRate = changesPerSecond;
            return this;
        }

        public Builder startGenerator(boolean start) {
            this.startGenerator = start;
            return this;
        }

        public Builder faults(Faults faults) {
            this.faults = Objects.requireNonNull(faults, "faults");
            return this;
        }

        public Builder requestLogCapacity(int capacity) {
            this.requestLogCapacity = capacity;
            return this;
        }

        /**
         * The most results one search query can page to: HubSpot's 10,000 by default; a test lowers it so that a
         * backlog larger than the cap stays small.
         */
        public Builder searchResultCap(int cap) {
            if (cap < 1) {
                throw new IllegalArgumentException("search result cap must be positive, got " + cap);
            }
            this.searchResultCap = cap;
            return this;
        }

        /** The portal (account) id webhook events carry. */
        public Builder portalId(long portalId) {
            this.portalId = portalId;
            return this;
        }

        /** How long events gather before they are posted as one batch (HubSpot batches up to 100). */
        public Builder webhookBatchWindow(Duration window) {
            if (window == null || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("webhook batch window must be positive, got " + window);
            }
            this.webhookBatchWindow = window;
            return this;
        }

        /** How webhook deliveries are retried (HubSpot retries up to 10 times over 24 hours). */
        public Builder webhookRetry(WebhookDispatcher.RetryPolicy policy) {
            this.webhookRetry = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public CrmSandbox build() {
            return new CrmSandbox(this);
        }

        private static String requireText(String value, String what) {
            if (value == null || value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("the CRM sandbox " + what + " must be non-empty without spaces");
            }
            return value;
        }
    }
}
