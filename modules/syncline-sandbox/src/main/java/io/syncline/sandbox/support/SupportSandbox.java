package io.syncline.sandbox.support;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
 * A Zendesk Support API v2 compatible desk in memory: users with identities, organizations, tickets with comments
 * and audits, search, offset and cursor pagination, time- and cursor-based incremental exports, API-token and OAuth
 * auth, Zendesk's per-minute rate limits, signed event webhooks, fault knobs, a seeded activity generator and a log
 * of every write clients applied.
 *
 * <pre>{@code
 * try (SupportSandbox zendesk = SupportSandbox.builder().seed(42).build().start()) {
 *     // Basic auth "agent@…/token:<token>", base URL zendesk.url() + "/api/v2"
 *     String user = zendesk.agentEmail() + "/token", token = zendesk.apiToken();
 *     zendesk.generator().runSteps(100);
 *     zendesk.registerWebhook("http://127.0.0.1:8080/webhooks/zendesk");
 * }
 * }</pre>
 */
public final class SupportSandbox implements AutoCloseable {

    public static final String DEFAULT_API_TOKEN = "SynclineSandboxZendeskApiToken0000000001";
    public static final String DEFAULT_AGENT_EMAIL = "admin@syncline-sandbox.example";
    public static final String DEFAULT_CLIENT_ID = "syncline_sandbox";
    public static final String DEFAULT_CLIENT_SECRET = "syncline-sandbox-zendesk-client-secret";

    /** A registered webhook and its signing secret. */
    public record WebhookEndpoint(String id, String url, String secret) {
    }

    /** Issues OAuth credentials for the account's OAuth client, acting as the admin. */
    public final class OAuth {
        private OAuth() {
        }

        /** An access token, as an admin creating one in Admin Center (or a client-credentials grant) gets. */
        public String issueAccessToken() {
            return tokens.issueAccess(oauthApi.tokenOwner()).accessToken();
        }

        public String issueRefreshToken() {
            return tokens.issueRefreshToken(oauthApi.tokenOwner());
        }

        public String issueAuthorizationCode() {
            return tokens.issueCode(oauthApi.tokenOwner());
        }

        /** Every access token issued so far answers 401 {@code invalid_token} from now on. */
        public void expireAccessTokens() {
            tokens.expireAllAccessTokens();
        }
    }

    private final Builder config;
    private final SupportStore store;
    private final OAuthTokens tokens;
    private final ZendeskOAuth oauthApi;
    private final OAuth oauth = new OAuth();
    private final WriteLog writes = new WriteLog();
    private final RollingWindowRateLimiter rateLimiter;
    private final RollingWindowRateLimiter exportLimiter;
    private final WebhookDispatcher dispatcher;
    private final SupportWebhooks webhooks;
    private final SupportExports exports;
    private final ActivityScheduler generator;
    private final SandboxServer server;
    private final long adminId;

    private SupportSandbox(Builder b) {
        this.config = b;
        ZendeskSignature signer = new ZendeskSignature();
        this.dispatcher = new WebhookDispatcher("support", b.webhookRetry, b.faults, signer, b.clock,
                Seeds.derive(b.seed, "support-webhooks"), "Zendesk Webhook", null);
        SupportWebhooks[] hooks = new SupportWebhooks[1];
        this.store = new SupportStore(b.clock, writes, (type, subject, detail, event, at) -> {
            if (hooks[0] != null) {
                hooks[0].publish(type, subject, detail, event, at);
            }
        }, Seeds.derive(b.seed, "support-ids"));
        this.webhooks = new SupportWebhooks(dispatcher, signer, new IdGenerator(Seeds.derive(b.seed,
                "support-webhook-ids")), b.clock, store.accountId);
        hooks[0] = webhooks;
        ObjectNode admin = Json.object();
        admin.put("name", "Sandbox Admin");
        admin.put("email", b.agentEmail);
        admin.put("role", "admin");
        admin.put("verified", true);
        this.adminId = store.locked(() -> store.users().create(SupportStore.Origin.generator(0, "web"), admin).id);
        this.tokens = new OAuthTokens(b.clock, new IdGenerator(Seeds.derive(b.seed, "support-tokens")),
                b.accessTokenTtl, false);
        this.oauthApi = new ZendeskOAuth(b.clientId, b.clientSecret, tokens, adminId);
        this.rateLimiter = b.rateLimitPerMinute > 0
                ? new RollingWindowRateLimiter(b.rateLimitPerMinute, Duration.ofMinutes(1)) : null;
        this.exportLimiter = b.exportRateLimitPerMinute > 0
                ? new RollingWindowRateLimiter(b.exportRateLimitPerMinute, Duration.ofMinutes(1)) : null;
        this.exports = new SupportExports(store, b.clock, exportLimiter, b.exportExclusion);
        this.generator = new ActivityScheduler("support", new SupportActivity(store, b.seed, adminId),
                b.generatorRate);
        SupportApi api = new SupportApi(store, new IdempotencyCache(b.clock, Duration.ofHours(2)), b.clock);
        this.server = SandboxServer.builder("support")
                .host(b.host)
                .port(b.port)
                .dialect(new ZendeskDialect())
                .authenticator(new ZendeskAuthenticator(b.apiTokens, tokens, store))
                .faults(b.faults)
                .faultSeed(Seeds.derive(b.seed, "support-faults"))
                .rateLimiter(rateLimiter)
                .requestLog(new RequestLog(b.requestLogCapacity))
                .clock(b.clock)
                .requestIds(new IdGenerator(Seeds.derive(b.seed, "support-request-ids")))
                .api(routes -> {
                    oauthApi.register(routes);
                    exports.register(routes);
                    webhooks.register(routes);
                    api.register(routes);
                })
                .admin(a -> {
                    AdminEndpoints.generator(a, generator);
                    AdminEndpoints.objects(a, this::objectIds);
                    AdminEndpoints.webhooks(a, dispatcher);
                    AdminEndpoints.writes(a, writes);
                    if (b.clock instanceof MutableClock mutable) {
                        AdminEndpoints.clock(a, mutable);
                    }
                    a.post(SandboxServer.ADMIN_PREFIX + "/oauth/tokens", req -> ApiResponse.ok(
                            Json.object().put("access_token", oauth.issueAccessToken())));
                    a.post(SandboxServer.ADMIN_PREFIX + "/oauth/expire-access-tokens", req -> {
                        oauth.expireAccessTokens();
                        return ApiResponse.ok(Json.object().put("expired", true));
                    });
                    a.post(SandboxServer.ADMIN_PREFIX + "/webhooks", req -> {
                        JsonNode body = SandboxServer.adminJson(req);
                        List<String> types = new ArrayList<>();
                        body.path("subscriptions").forEach(s -> types.add(s.asText()));
                        WebhookEndpoint we = registerWebhook(body.path("url").asText(null),
                                types.toArray(String[]::new));
                        return ApiResponse.ok(Json.object().put("id", we.id()).put("url", we.url())
                                .put("secret", we.secret()));
                    });
                })
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the HTTP server (and the generator when {@link Builder#startGenerator(boolean)} was set). */
    public SupportSandbox start() {
        server.start();
        if (config.startGenerator) {
            generator.start();
        }
        return this;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:12113}; it stands for {@code https://<subdomain>.zendesk.com}. */
    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    /** The first API token; basic auth is {@code <agentEmail>/token:<apiToken>}. */
    public String apiToken() {
        return config.apiTokens.get(0);
    }

    /** The e-mail of the admin user every API token and OAuth token acts as by default. */
    public String agentEmail() {
        return config.agentEmail;
    }

    /** The admin user's id ({@code GET /api/v2/users/me}). */
    public long adminUserId() {
        return adminId;
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

    /** The account-wide per-minute limit (null when off); {@code configure(…)} changes it at runtime. */
    public RollingWindowRateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** The lower per-minute limit of the incremental export endpoints (null when off). */
    public RollingWindowRateLimiter exportRateLimiter() {
        return exportLimiter;
    }

    /** How recent a change may be and still be left out of the incremental exports (Zendesk: one minute). */
    public void exportExclusion(Duration exclusion) {
        exports.exclusion(Objects.requireNonNull(exclusion, "exclusion"));
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

    /** Ids of every {@code users}, {@code organizations} and {@code tickets} record, deleted ones included. */
    public Map<String, List<String>> objectIds() {
        return store.idsByType();
    }

    public List<String> objectIds(String type) {
        return new ArrayList<>(objectIds().getOrDefault(type, List.of()));
    }

    /** A ticket as the API shows it (deleted tickets too, with status {@code deleted}), or null. */
    public JsonNode ticket(long id) {
        return store.locked(() -> {
            var t = store.anyTicket(id);
            return t == null ? null : ZendeskJson.ticket(url(), t);
        });
    }

    /**
     * Makes the next client {@code safe_update} find its ticket changed: the admin adds the internal note
     * {@code note} just before the write is checked, as when an agent saves between the client's read and its write,
     * so the client's {@code updated_stamp} is stale and it gets 409 (when the sandbox's clock has moved to another
     * second since the client read the ticket: Zendesk's times, and so the stamp, have one-second resolution).
     */
    public void changeTicketBeforeNextSafeUpdate(String note) {
        store.locked(() -> {
            store.tickets().interfere(adminId, note);
            return null;
        });
    }

    /** A ticket's comments, oldest first. */
    public List<JsonNode> comments(long ticketId) {
        return store.locked(() -> {
            var t = store.anyTicket(ticketId);
            List<JsonNode> out = new ArrayList<>();
            if (t != null) {
                t.comments.forEach(c -> out.add(ZendeskJson.comment(c)));
            }
            return out;
        });
    }

    public JsonNode user(long id) {
        return store.locked(() -> {
            var u = store.user(id);
            return u == null ? null : ZendeskJson.user(url(), u);
        });
    }

    public JsonNode organization(long id) {
        return store.locked(() -> {
            var o = store.org(id);
            return o == null ? null : ZendeskJson.org(url(), o);
        });
    }

    /**
     * Registers a webhook as {@code POST /api/v2/webhooks} would.
     *
     * @param subscriptions {@code zen:event-type:…} types; none means every type the sandbox emits
     */
    public WebhookEndpoint registerWebhook(String url, String... subscriptions) {
        SupportWebhooks.Webhook w = webhooks.create("sandbox webhook", url, List.of(subscriptions), "active");
        return new WebhookEndpoint(w.id(), w.endpoint(), w.secret());
    }

    /** Every {@code zen:event-type:…} this sandbox emits, sorted: what a webhook may subscribe to. */
    public static java.util.SortedSet<String> eventTypes() {
        return java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(SupportWebhooks.EVENT_TYPES));
    }

    /**
     * Registers a webhook signed with {@code secret} instead of one the sandbox draws: what a deployment does when the
     * receiver's secret is its own (syncline up --demo draws one per data directory).
     *
     * @param subscriptions {@code zen:event-type:…} types; none means every type the sandbox emits
     */
    public WebhookEndpoint registerWebhookWithSecret(String url, String secret, String... subscriptions) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("webhook signing secret must not be blank");
        }
        SupportWebhooks.Webhook w = webhooks.create("sandbox webhook", url, List.of(subscriptions), "active", secret);
        return new WebhookEndpoint(w.id(), w.endpoint(), w.secret());
    }

    /** Every webhook delivery attempt so far, in completion order. */
    public List<WebhookDispatcher.Attempt> webhookAttempts() {
        return dispatcher.attempts();
    }

    @Override
    public void close() {
        generator.close();
        server.close();
        dispatcher.close();
    }

    /** Configures a {@link SupportSandbox}; every setting has a default suitable for tests. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private long seed = 42;
        private Clock clock = MutableClock.system();
        private List<String> apiTokens = List.of(DEFAULT_API_TOKEN);
        private String agentEmail = DEFAULT_AGENT_EMAIL;
        private String clientId = DEFAULT_CLIENT_ID;
        private String clientSecret = DEFAULT_CLIENT_SECRET;
        private Duration accessTokenTtl = Duration.ofDays(2);
        private int rateLimitPerMinute = 700;
        private int exportRateLimitPerMinute = 10;
        private Duration exportExclusion = Duration.ofMinutes(1);
        private double generatorRate = 5.0;
        private boolean startGenerator;
        private WebhookDispatcher.RetryPolicy webhookRetry = new WebhookDispatcher.RetryPolicy(4,
                Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), Duration.ofSeconds(12));
        private Faults faults = new Faults();
        private int requestLogCapacity = 10_000;

        private Builder() {
        }

        /** Interface to bind; default loopback only. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Seed of every random choice (ids, generated activity, fault draws); same seed, same data. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Time source for timestamps, export windows and token expiry; a {@link MutableClock} adds the admin API. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The account's API tokens (at least one); any of them works with any agent's e-mail. */
        public Builder apiTokens(String... tokens) {
            if (tokens.length == 0) {
                throw new IllegalArgumentException("the support sandbox needs at least one API token");
            }
            for (String t : tokens) {
                requireText(t, "API token");
            }
            this.apiTokens = List.of(tokens);
            return this;
        }

        public Builder apiToken(String token) {
            return apiTokens(token);
        }

        /** E-mail of the admin user created at start, who API clients act as. */
        public Builder agentEmail(String email) {
            if (email == null || !email.matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")) {
                throw new IllegalArgumentException("the support sandbox agent e-mail must be an e-mail address, got "
                        + email);
            }
            this.agentEmail = email;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = requireText(clientId, "OAuth client id");
            return this;
        }

        public Builder clientSecret(String clientSecret) {
            this.clientSecret = requireText(clientSecret, "OAuth client secret");
            return this;
        }

        /** Lifetime of OAuth access tokens (Zendesk: up to 2 days when expiring tokens are used). */
        public Builder accessTokenTtl(Duration ttl) {
            if (ttl == null || ttl.isZero() || ttl.isNegative()) {
                throw new IllegalArgumentException("access token TTL must be positive, got " + ttl);
            }
            this.accessTokenTtl = ttl;
            return this;
        }

        /** Account-wide requests per minute before 429 (Zendesk: 200 Team … 700 Enterprise, 2500 with High Volume); 0 = off. */
        public Builder rateLimitPerMinute(int requests) {
            if (requests < 0) {
                throw new IllegalArgumentException("rate limit must be 0 (off) or positive, got " + requests);
            }
            this.rateLimitPerMinute = requests;
            return this;
        }

        /** Incremental export requests per minute before 429 (Zendesk: 10, 30 with High Volume); 0 = off. */
        public Builder exportRateLimitPerMinute(int requests) {
            if (requests < 0) {
                throw new IllegalArgumentException("export rate limit must be 0 (off) or positive, got " + requests);
            }
            this.exportRateLimitPerMinute = requests;
            return this;
        }

        /** Changes younger than this stay out of the incremental exports (Zendesk: one minute). */
        public Builder exportExclusion(Duration exclusion) {
            if (exclusion == null || exclusion.isNegative()) {
                throw new IllegalArgumentException("export exclusion must be zero or positive, got " + exclusion);
            }
            this.exportExclusion = exclusion;
            return this;
        }

        /** Changes per second the generator aims for when running. */
        public Builder generatorRate(double changesPerSecond) {
            if (!(changesPerSecond > 0)) {
                throw new IllegalArgumentException("generator rate must be positive, got " + changesPerSecond);
            }
            this.generatorRate = changesPerSecond;
            return this;
        }

        /** Whether {@link #start()} also starts the generator (default false: tests drive it). */
        public Builder startGenerator(boolean start) {
            this.startGenerator = start;
            return this;
        }

        public Builder webhookRetry(WebhookDispatcher.RetryPolicy policy) {
            this.webhookRetry = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Initial fault knobs (the same object stays changeable through {@link SupportSandbox#faults()}). */
        public Builder faults(Faults faults) {
            this.faults = Objects.requireNonNull(faults, "faults");
            return this;
        }

        public Builder requestLogCapacity(int capacity) {
            this.requestLogCapacity = capacity;
            return this;
        }

        public SupportSandbox build() {
            return new SupportSandbox(this);
        }

        private static String requireText(String value, String what) {
            if (value == null || value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("the support sandbox " + what + " must be non-empty without "
                        + "spaces");
            }
            return value;
        }
    }
}
