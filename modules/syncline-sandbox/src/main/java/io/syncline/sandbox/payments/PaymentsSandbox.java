package io.syncline.sandbox.payments;

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
import io.syncline.sandbox.core.Faults;
import io.syncline.sandbox.core.IdGenerator;
import io.syncline.sandbox.core.IdempotencyCache;
import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.core.RequestLog;
import io.syncline.sandbox.core.RollingWindowRateLimiter;
import io.syncline.sandbox.core.SandboxServer;
import io.syncline.sandbox.core.Seeds;
import io.syncline.sandbox.core.WebhookDispatcher;

/**
 * A Stripe-compatible payments API in memory: customers, charges, payment intents, invoices, refunds, events and
 * signed webhooks, with a seeded activity generator, a rate limit and fault knobs.
 *
 * <pre>{@code
 * try (PaymentsSandbox stripe = PaymentsSandbox.builder().seed(42).apiKey("sk_test_123").build().start()) {
 *     stripe.generator().runSteps(50);           // or .start() for background traffic
 *     String base = stripe.url();                // point a Stripe client at it
 *     stripe.faults().serverErrorRatio(0.1);     // change faults at runtime
 * }
 * }</pre>
 */
public final class PaymentsSandbox implements AutoCloseable {

    /** Default API key of a sandbox started without one. */
    public static final String DEFAULT_API_KEY = "sk_test_syncline_sandbox";

    /** The Stripe API version whose object shapes the sandbox follows. */
    public static final String API_VERSION = StripeDialect.API_VERSION;

    /** A registered webhook endpoint and its signing secret. */
    public record WebhookEndpoint(String id, String url, String secret) {
    }

    private final Builder config;
    private final PaymentsEngine engine;
    private final SandboxServer server;
    private final WebhookDispatcher webhooks;
    private final ActivityScheduler generator;
    private final IdGenerator adminIds;
    private final RollingWindowRateLimiter rateLimiter;

    private PaymentsSandbox(Builder b) {
        this.config = b;
        this.adminIds = new IdGenerator(Seeds.derive(b.seed, "payments-admin-ids"));
        String accountId = "acct_1" + new IdGenerator(Seeds.derive(b.seed, "payments-account")).next("", 15);
        boolean livemode = b.apiKey.startsWith("sk_live_") || b.apiKey.startsWith("rk_live_");
        PaymentsEngine[] engineRef = new PaymentsEngine[1];
        this.webhooks = new WebhookDispatcher("payments", b.webhookRetry, b.faults, new StripeSignature(), b.clock,
                Seeds.derive(b.seed, "payments-webhooks"), "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                (eventId, ok) -> {
                    if (ok) {
                        engineRef[0].webhookDelivered(eventId);
                    }
                });
        this.engine = new PaymentsEngine(b.clock, livemode, accountId, (event, targets) -> {
            if (!targets.isEmpty()) {
                byte[] body = Json.bytes(event);
                String id = event.get("id").asText();
                targets.forEach(t -> webhooks.deliver(t, id, body));
            }
        });
        engineRef[0] = engine;
        this.generator = new ActivityScheduler("payments", new PaymentsActivity(engine, b.seed), b.generatorRate);
        this.rateLimiter = b.rateLimitPerSecond > 0
                ? new RollingWindowRateLimiter(b.rateLimitPerSecond, Duration.ofSeconds(1)) : null;
        StripeApi api = new StripeApi(engine, new IdGenerator(Seeds.derive(b.seed, "payments-api-ids")),
                new IdempotencyCache(b.clock, Duration.ofHours(24)));
        this.server = SandboxServer.builder("payments")
                .host(b.host)
                .port(b.port)
                .dialect(new StripeDialect())
                .authenticator(new StripeAuthenticator(b.apiKey))
                .faults(b.faults)
                .faultSeed(Seeds.derive(b.seed, "payments-faults"))
                .rateLimiter(rateLimiter)
                .requestLog(new RequestLog(b.requestLogCapacity))
                .clock(b.clock)
                .requestIds(new IdGenerator(Seeds.derive(b.seed, "payments-request-ids")))
                .api(api::register)
                .admin(admin -> {
                    AdminEndpoints.generator(admin, generator);
                    AdminEndpoints.objects(admin, this::objectIds);
                    AdminEndpoints.webhooks(admin, webhooks);
                })
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the HTTP server (and the generator when {@link Builder#startGenerator(boolean)} was set). */
    public PaymentsSandbox start() {
        server.start();
        if (config.startGenerator) {
            generator.start();
        }
        return this;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:12111}; Stripe clients use it as their API base. */
    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    /** The secret key clients must send. */
    public String apiKey() {
        return config.apiKey;
    }

    /** The fault knobs, changeable while running. */
    public Faults faults() {
        return config.faults;
    }

    /** The activity generator: {@code start()}, {@code stop()}, {@code rate(…)}, {@code runSteps(n)}. */
    public ActivityScheduler generator() {
        return generator;
    }

    /** The genuine rate limiter (null when started without one); {@code configure(…)} changes it at runtime. */
    public RollingWindowRateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** Every API request answered so far (bounded), with status and injected fault. */
    public RequestLog requestLog() {
        return server.requestLog();
    }

    /**
     * Ids of every object ever created, by Stripe object type ({@code customer}, {@code charge},
     * {@code payment_intent}, {@code invoice}, {@code invoiceitem}, {@code refund}, {@code event},
     * {@code webhook_endpoint}), oldest first. Deleted customers stay listed.
     */
    public Map<String, List<String>> objectIds() {
        return engine.queries().idsByType();
    }

    public List<String> objectIds(String type) {
        return objectIds().getOrDefault(type, List.of());
    }

    /** The current state of one object by id (events included), or null. */
    public JsonNode object(String id) {
        ObjectNode o = engine.queries().snapshot(id);
        return o == null ? null : o.deepCopy();
    }

    /** All events, oldest first. */
    public List<JsonNode> events() {
        List<ObjectNode> all = engine.queries().all("event");
        List<JsonNode> out = new ArrayList<>(all.size());
        all.forEach(e -> out.add(e.deepCopy()));
        return out;
    }

    /**
     * Registers a webhook endpoint as {@code POST /v1/webhook_endpoints} would.
     *
     * @param enabledEvents event types, or {@code "*"} for all; none means all
     */
    public WebhookEndpoint registerWebhook(String url, String... enabledEvents) {
        StripeApi.validUrl(url, "url");
        List<String> events = enabledEvents.length == 0 ? List.of("*") : List.of(enabledEvents);
        ObjectNode we = engine.webhookEndpoints().create(PaymentsEngine.Origin.automatic(adminIds), url, events, null,
                null);
        return new WebhookEndpoint(we.get("id").asText(), url, we.get("secret").asText());
    }

    /**
     * Registers a webhook endpoint for every event type that signs with {@code secret} instead of one the sandbox
     * draws from its seed, so that a demo's secret differs per installation and survives a restart of the sandbox.
     */
    public WebhookEndpoint registerWebhookWithSecret(String url, String secret) {
        StripeApi.validUrl(url, "url");
        if (secret == null || secret.isBlank() || secret.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a webhook signing secret must be a non-empty string without spaces, "
                    + "e.g. whsec_...");
        }
        ObjectNode we = engine.webhookEndpoints().create(PaymentsEngine.Origin.automatic(adminIds), url, List.of("*"),
                null, null, secret);
        return new WebhookEndpoint(we.get("id").asText(), url, we.get("secret").asText());
    }

    /** Every webhook delivery attempt so far, in completion order. */
    public List<WebhookDispatcher.Attempt> webhookAttempts() {
        return webhooks.attempts();
    }

    @Override
    public void close() {
        generator.close();
        server.close();
        webhooks.close();
    }

    /** Configures a {@link PaymentsSandbox}; every setting has a default suitable for tests. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private long seed = 42;
        private String apiKey = DEFAULT_API_KEY;
        private Clock clock = Clock.systemUTC();
        private int rateLimitPerSecond = 100;
        private double generatorRate = 5.0;
        private boolean startGenerator;
        private WebhookDispatcher.RetryPolicy webhookRetry = WebhookDispatcher.RetryPolicy.defaults();
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

        /** The secret key clients must present; {@code sk_live_…} makes objects {@code livemode: true}. */
        public Builder apiKey(String apiKey) {
            if (apiKey == null || apiKey.isBlank() || apiKey.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("the payments sandbox API key must be a non-empty string without "
                        + "spaces, e.g. sk_test_123");
            }
            this.apiKey = apiKey;
            return this;
        }

        /** Clock for {@code created} timestamps and signatures; tests may pass a fixed or mutable clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Requests per second per API key before 429 (Stripe: 100 live, 25 test); 0 turns limiting off. */
        public Builder rateLimitPerSecond(int requests) {
            if (requests < 0) {
                throw new IllegalArgumentException("rate limit must be 0 (off) or positive, got " + requests);
            }
            this.rateLimitPerSecond = requests;
            return this;
        }

        /** Events per second the generator aims for when running. */
        public Builder generatorRate(double eventsPerSecond) {
            if (!(eventsPerSecond > 0)) {
                throw new IllegalArgumentException("generator rate must be positive, got " + eventsPerSecond);
            }
            this.generatorRate = eventsPerSecond;
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

        /** Initial fault knobs (the same object stays changeable through {@link PaymentsSandbox#faults()}). */
        public Builder faults(Faults faults) {
            this.faults = Objects.requireNonNull(faults, "faults");
            return this;
        }

        public Builder requestLogCapacity(int capacity) {
            this.requestLogCapacity = capacity;
            return this;
        }

        public PaymentsSandbox build() {
            return new PaymentsSandbox(this);
        }
    }
}
