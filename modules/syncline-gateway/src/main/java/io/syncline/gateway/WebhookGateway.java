package io.syncline.gateway;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.syncline.config.ConfigException;
import io.syncline.config.ConfigProblem;
import io.syncline.config.GatewayConfig;
import io.syncline.config.Problems;
import io.syncline.config.SecretRef;
import io.syncline.config.WebhookEndpointConfig;
import io.syncline.gateway.signature.Secret;
import io.syncline.metrics.Registries;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook gateway: {@code POST /webhooks/{endpoint}} verifies the provider's signature over the raw body and
 * answers 200 only once the record is acknowledged by Kafka with {@code acks=all}; plus {@code /health} and
 * {@code /metrics}, also on a management port of their own when {@code gateway.management-port} is set.
 *
 * <pre>{@code
 * try (WebhookGateway gateway = WebhookGateway.builder(config.gateway())
 *         .bootstrapServers("localhost:9092")
 *         .build()
 *         .start()) {
 *     String url = gateway.webhookUrl("stripe");   // http://localhost:8080/webhooks/stripe
 * }
 * }</pre>
 *
 * <p>Stateless: run as many behind a load balancer as needed. One producer (idempotent, {@code acks=all}) is shared
 * by all requests; a request's Jetty thread is released while Kafka acknowledges.
 *
 * <p>Hostile clients are held off on the webhook port ({@link ConnectionGuard}): a cap on the connections of one
 * client address, a deadline for a request's headers, and an idle timeout; the management server has its own
 * connector, connection limit and threads, so a liveness probe there is answered while the webhook port is under
 * attack.
 */
public final class WebhookGateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookGateway.class);

    private static final String JSON = "application/json";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String LIVE = "{\"status\":\"UP\"}";
    /** The management server's threads: probes and scrapes are few; Jetty needs some for its acceptor and selector. */
    private static final int MANAGEMENT_THREADS = 8;
    /** The management server's connections: a few probes and scrapers, never a crowd. */
    private static final int MANAGEMENT_CONNECTIONS = 32;

    private final GatewayConfig config;
    private final String host;
    private final int requestedPort;
    private final Map<String, Object> producerOverrides;
    private final Map<String, String> environment;
    private final Clock clock;
    private final PrometheusMeterRegistry registry;
    private final GatewayMetrics metrics;
    private final String publicBaseUrl;
    private final long replayWindowMillis;

    private Producer<byte[], byte[]> producer;
    private GatewayHealth health;
    private Javalin app;
    private Javalin management;
    private ConnectionGuard guard;

    private WebhookGateway(Builder b) {
        this.config = b.config;
        this.host = b.host != null ? b.host : b.config.host();
        this.requestedPort = b.port != null ? b.port : b.config.port();
        this.producerOverrides = Map.copyOf(b.producerProperties);
        this.environment = b.environment;
        this.clock = b.clock;
        this.registry = b.registry != null ? b.registry : Registries.prometheus();
        this.metrics = new GatewayMetrics(registry);
        String base = b.config.publicBaseUrl();
        this.publicBaseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.replayWindowMillis = TimeUnit.SECONDS.toMillis(b.config.replayWindowSeconds());
    }

    /** A gateway for the {@code gateway} section of {@code syncline.yaml}. */
    public static Builder builder(GatewayConfig config) {
        return new Builder(config);
    }

    /**
     * Checks what {@link #start()} checks before it connects or binds anything: the gateway section, every endpoint's
     * topic templates and every secret (resolved, then dropped), for {@code syncline gateway --check}.
     *
     * @throws IllegalStateException when a secret is missing or unusable (naming its reference and endpoint)
     */
    public void check() {
        compileEndpoints();
        ProducerSettings.producer(config, producerOverrides);
    }

    /**
     * Resolves the endpoints' secrets, creates the producer and starts the HTTP server.
     *
     * @throws IllegalStateException when a secret is missing or unusable (naming its reference and endpoint, never
     *     its value) or the port is taken
     */
    public synchronized WebhookGateway start() {
        if (app != null) {
            return this;
        }
        try {
            Map<String, WebhookEndpoint> endpoints = compileEndpoints();
            Map<String, Object> producerConfig = ProducerSettings.producer(config, producerOverrides);
            GatewayTopics.ensure(config, producerConfig, config.produceTimeoutMs());
            producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
            QueuedThreadPool threadPool = new QueuedThreadPool(200, 8, 60_000);
            threadPool.setName("syncline-gateway");
            health = new GatewayHealth(producerConfig, threadPool);
            WebhookHandler webhooks = new WebhookHandler(endpoints, config, metrics, clock, publicBaseUrl, producer,
                    ProducerSettings.ackTimeoutMs(config, producerConfig), threadPool);
            ProblemResponses problems = new ProblemResponses(metrics);
            app = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.startup.showOldJavalinVersionWarning = false;
                cfg.jetty.threadPool = threadPool;
                cfg.jetty.modifyServer(server -> {
                    guard = new ConnectionGuard(config.maxConnectionsPerClient(), config.headerTimeoutMs(),
                            server.getScheduler());
                    // Javalin puts its servlet handler inside this wrapper, so the guard sees every request.
                    server.setHandler(guard.events());
                });
                cfg.jetty.addConnector((server, http) -> {
                    ServerConnector webhookConnector = new ServerConnector(server, new HttpConnectionFactory(http));
                    webhookConnector.setHost(host);
                    webhookConnector.setPort(requestedPort);
                    // No bytes either way for this long closes a connection (a stalled body, a forgotten keep-alive).
                    webhookConnector.setIdleTimeout(config.idleTimeoutMs());
                    webhookConnector.addEventListener(guard);
                    // Bounded connections: past the limit Jetty stops accepting (new ones wait in the OS backlog)
                    // instead of taking thousands whose buffers exhaust the heap when a burst meets a slow Kafka.
                    // On this connector only: the management server's probes must not wait behind webhooks.
                    server.addBean(new NetworkConnectionLimit(config.maxConnections(), webhookConnector));
                    return webhookConnector;
                });
                cfg.http.prefer405over404 = true;
                cfg.routes.post("/webhooks/{endpoint}", webhooks::handle);
                cfg.routes.get("/health", health::handle);
                cfg.routes.get("/health/live", ctx -> ctx.contentType(JSON).result(LIVE));
                cfg.routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape()));
                cfg.routes.exception(HttpResponseException.class, problems::routing);
                cfg.routes.exception(Exception.class, problems::unexpected);
            });
            app.start();
            if (config.managementPort() != null) {
                management = startManagement(config.managementPort());
            }
            log.debug("webhook gateway listening on {} with endpoints {}", url(), endpoints.keySet());
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * The management server: {@code /health}, {@code /health/live} and {@code /metrics} on their own connector with
     * a few threads of their own and a small connection limit, so that neither a flood of webhooks nor a slowloris on
     * the webhook port delays a probe. It listens on the gateway's host: expose it to the probes, not to providers.
     */
    private Javalin startManagement(int port) {
        QueuedThreadPool threads = new QueuedThreadPool(MANAGEMENT_THREADS, 2, 60_000);
        threads.setName("syncline-gateway-management");
        Javalin server = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.threadPool = threads;
            cfg.jetty.addConnector((s, http) -> {
                // One acceptor and one selector, whatever the core count, so that the few threads suffice.
                ServerConnector connector = new ServerConnector(s, 1, 1, new HttpConnectionFactory(http));
                connector.setHost(host);
                connector.setPort(port);
                connector.setIdleTimeout(config.idleTimeoutMs());
                s.addBean(new NetworkConnectionLimit(MANAGEMENT_CONNECTIONS, connector));
                return connector;
            });
            cfg.routes.get("/health", ctx -> health.handle(ctx, threads));
            cfg.routes.get("/health/live", ctx -> ctx.contentType(JSON).result(LIVE));
            cfg.routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape()));
        });
        server.start();
        return server;
    }

    /** The base URL, e.g. {@code http://localhost:8080} ({@code localhost} when listening on all interfaces). */
    public String url() {
        return url(port());
    }

    /** The management server's base URL, e.g. {@code http://localhost:8081}; empty when it is not configured. */
    public synchronized java.util.Optional<String> managementUrl() {
        return management == null ? java.util.Optional.empty() : java.util.Optional.of(url(management.port()));
    }

    private String url(int port) {
        String h = host.equals("0.0.0.0") || host.equals("::") || host.isEmpty() ? "localhost" : host;
        if (h.indexOf(':') >= 0) {
            h = "[" + h + "]";
        }
        return "http://" + h + ":" + port;
    }

    /** The guard of the webhook port (for tests: what it closed). */
    ConnectionGuard guard() {
        return guard;
    }

    /** The URL a provider posts to for {@code endpoint}, e.g. {@code http://localhost:8080/webhooks/stripe}. */
    public String webhookUrl(String endpoint) {
        return url() + "/webhooks/" + endpoint;
    }

    /** The port listened on (the real one when 0 was asked for). */
    public synchronized int port() {
        if (app == null) {
            throw new IllegalStateException("the gateway is not started");
        }
        return app.port();
    }

    /** The registry behind {@code /metrics}. */
    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    /** Stops accepting requests, then flushes and closes the producer. */
    @Override
    public synchronized void close() {
        if (management != null) {
            management.stop();
            management = null;
        }
        if (app != null) {
            app.stop();
            app = null;
        }
        if (producer != null) {
            producer.close(Duration.ofMillis(config.produceTimeoutMs()));
            producer = null;
        }
        if (health != null) {
            health.close();
            health = null;
        }
    }

    private Map<String, WebhookEndpoint> compileEndpoints() {
        Problems problems = new Problems();
        config.validate(problems, "gateway");
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.all().stream()
                    .map(p -> new ConfigProblem("gateway config", 0, p.key(), p.message())).toList());
        }
        JsonFactory json = MAPPER.getFactory();
        Map<String, WebhookEndpoint> compiled = new HashMap<>();
        List<WebhookEndpointConfig> list = config.endpoints();
        for (int i = 0; i < list.size(); i++) {
            WebhookEndpointConfig endpoint = list.get(i);
            List<Secret> secrets = new ArrayList<>();
            for (int j = 0; j < endpoint.secrets().size(); j++) {
                SecretRef ref = endpoint.secrets().get(j);
                try {
                    secrets.add(new Secret(ref.toString(), ref.resolve(environment)));
                } catch (IllegalStateException e) {
                    throw new IllegalStateException("gateway endpoint \"" + endpoint.name() + "\" (gateway.endpoints["
                            + i + "].secrets[" + j + "]): " + e.getMessage(), e.getCause());
                }
            }
            try {
                compiled.put(endpoint.name(), new WebhookEndpoint(endpoint, secrets,
                        Duration.ofMillis(replayWindowMillis), json));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("gateway endpoint \"" + endpoint.name() + "\": " + e.getMessage());
            }
        }
        return Map.copyOf(compiled);
    }

    /** Settings for a {@link WebhookGateway}; Kafka comes from {@link #bootstrapServers} or {@link #producerProperties}. */
    public static final class Builder {
        private final GatewayConfig config;
        private String host;
        private Integer port;
        private final Map<String, Object> producerProperties = new HashMap<>();
        private Map<String, String> environment = System.getenv();
        private Clock clock = Clock.systemUTC();
        private PrometheusMeterRegistry registry;

        private Builder(GatewayConfig config) {
            this.config = config == null ? GatewayConfig.defaults() : config;
        }

        /** Kafka bootstrap servers, {@code host:port[,host:port…]}. */
        public Builder bootstrapServers(String bootstrapServers) {
            producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            return this;
        }

        /**
         * Producer settings (e.g. TLS/SASL, {@code bootstrap.servers}); they win over the gateway's defaults except
         * {@code acks=all} and {@code enable.idempotence=true}, which are always set.
         */
        public Builder producerProperties(Map<String, ?> properties) {
            producerProperties.putAll(properties);
            return this;
        }

        /** Overrides {@code gateway.port}; 0 picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Overrides {@code gateway.host}. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Where {@code env:NAME} secrets are read (default: the process environment). */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /** The clock signed timestamps are checked against and {@code syncline.received-at} is read from. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Registers the gateway's meters here (e.g. one registry for all roles of {@code syncline up}). */
        public Builder meterRegistry(PrometheusMeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        public WebhookGateway build() {
            return new WebhookGateway(this);
        }
    }
}
