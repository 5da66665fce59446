package io.syncline.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.syncline.config.ConfigException;
import io.syncline.config.ConfigProblem;
import io.syncline.config.GatewayConfig;
import io.syncline.config.Problems;
import io.syncline.config.SecretRef;
import io.syncline.config.WebhookEndpointConfig;
import io.syncline.gateway.signature.Secret;
import io.syncline.gateway.signature.SignedRequest;
import io.syncline.gateway.signature.Verification;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook gateway: {@code POST /webhooks/{endpoint}} verifies the provider's signature over the raw body and
 * answers 200 only once the record is acknowledged by Kafka with {@code acks=all}; plus {@code /health} and
 * {@code /metrics}.
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
 */
public final class WebhookGateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookGateway.class);

    static final String PROBLEM_TYPE_PREFIX = "urn:syncline:problem:";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String JSON = "application/json";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int HEALTH_TIMEOUT_MS = 2000;
    /** Room for the key, headers and batch framing on top of the largest body, for the producer's size check. */
    private static final int RECORD_OVERHEAD_BYTES = 64 * 1024;

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

    private Map<String, WebhookEndpoint> endpoints = Map.of();
    private Producer<byte[], byte[]> producer;
    private Admin admin;
    private QueuedThreadPool threadPool;
    private Javalin app;
    private long ackTimeoutMs;

    private WebhookGateway(Builder b) {
        this.config = b.config;
        this.host = b.host != null ? b.host : b.config.host();
        this.requestedPort = b.port != null ? b.port : b.config.port();
        this.producerOverrides = Map.copyOf(b.producerProperties);
        this.environment = b.environment;
        this.clock = b.clock;
        this.registry = b.registry != null ? b.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
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
            endpoints = compileEndpoints();
            Map<String, Object> producerConfig = producerConfig();
            producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
            admin = Admin.create(adminConfig(producerConfig));
            ackTimeoutMs = config.produceTimeoutMs() + ((Number) producerConfig.get(ProducerConfig.MAX_BLOCK_MS_CONFIG))
                    .longValue();
            threadPool = new QueuedThreadPool(200, 8, 60_000);
            threadPool.setName("syncline-gateway");
            app = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.startup.showOldJavalinVersionWarning = false;
                cfg.jetty.threadPool = threadPool;
                // Bounded connections: past the limit Jetty stops accepting (new ones wait in the OS backlog) instead
                // of taking thousands whose buffers exhaust the heap when a burst meets a slow Kafka.
                cfg.jetty.modifyServer(server -> server.addBean(
                        new NetworkConnectionLimit(config.maxConnections(), server)));
                cfg.http.prefer405over404 = true;
                cfg.routes.post("/webhooks/{endpoint}", this::webhook);
                cfg.routes.get("/health", this::health);
                cfg.routes.get("/health/live", ctx -> ctx.contentType(JSON).result("{\"status\":\"UP\"}"));
                cfg.routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape()));
                cfg.routes.exception(HttpResponseException.class, this::routingProblem);
                cfg.routes.exception(Exception.class, this::unexpected);
            });
            app.start(host, requestedPort);
            log.debug("webhook gateway listening on {} with endpoints {}", url(), endpoints.keySet());
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The base URL, e.g. {@code http://localhost:8080} ({@code localhost} when listening on all interfaces). */
    public String url() {
        String h = host.equals("0.0.0.0") || host.equals("::") || host.isEmpty() ? "localhost" : host;
        if (h.indexOf(':') >= 0) {
            h = "[" + h + "]";
        }
        return "http://" + h + ":" + port();
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
        if (app != null) {
            app.stop();
            app = null;
        }
        if (producer != null) {
            producer.close(Duration.ofMillis(config.produceTimeoutMs()));
            producer = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
        threadPool = null;
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

    private Map<String, Object> producerConfig() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "syncline-gateway");
        int timeout = config.produceTimeoutMs();
        // Bounded waits: a request must turn into 200 or 503 within about produce-timeout-ms plus max.block.ms.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout / 2);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout / 2);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.maxBodyBytes() + RECORD_OVERHEAD_BYTES);
        // Provider JSON compresses several times over: cheaper disks and links, and a body near the 1 MiB limit
        // still fits Kafka's default message.max.bytes (about 1 MiB, checked on the compressed batch).
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.putAll(producerOverrides);
        // Not negotiable: a 200 promises the record survives a broker failure and is not duplicated by our retries.
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        if (p.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) == null) {
            throw new IllegalStateException("the gateway needs Kafka: set bootstrapServers(...) or bootstrap.servers "
                    + "in producerProperties(...)");
        }
        Object maxBlock = p.get(ProducerConfig.MAX_BLOCK_MS_CONFIG);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.parseLong(String.valueOf(maxBlock)));
        return p;
    }

    private static Map<String, Object> adminConfig(Map<String, Object> producerConfig) {
        Map<String, Object> a = new HashMap<>();
        for (Map.Entry<String, Object> e : producerConfig.entrySet()) {
            if (AdminClientConfig.configNames().contains(e.getKey())) {
                a.put(e.getKey(), e.getValue());
            }
        }
        a.put(AdminClientConfig.CLIENT_ID_CONFIG, "syncline-gateway-health");
        a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, HEALTH_TIMEOUT_MS);
        a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, HEALTH_TIMEOUT_MS);
        return a;
    }

    // ---------------------------------------------------------------- request handling

    private void webhook(Context ctx) {
        HttpServletRequest req = ctx.req();
        WebhookEndpoint endpoint = endpoints.get(ctx.pathParam("endpoint"));
        if (endpoint == null) {
            problem(ctx, metrics.endpoint(GatewayMetrics.NO_ENDPOINT), 404, "unknown-endpoint", "Unknown webhook endpoint",
                    "no webhook endpoint is configured at this path");
            return;
        }
        GatewayMetrics.EndpointMeters meters = metrics.endpoint(endpoint.name);
        if (!endpoint.accepts(req.getContentType())) {
            problem(ctx, meters, 415, "unsupported-media-type", "Unsupported content type",
                    "expected Content-Type " + endpoint.acceptedTypes());
            return;
        }
        long declared = req.getContentLengthLong();
        if (declared > config.maxBodyBytes()) {
            tooLarge(ctx, meters);
            return;
        }
        byte[] body;
        try {
            body = readBody(req.getInputStream(), declared, config.maxBodyBytes());
        } catch (IOException | UncheckedIOException e) {
            problem(ctx, meters, 400, "unreadable-body", "Request body could not be read",
                    "the request body ended early or was not valid HTTP framing");
            return;
        }
        if (body == null) {
            tooLarge(ctx, meters);
            return;
        }
        meters.bodyBytes(body.length);

        long now = clock.millis();
        HttpSignedRequest signed = new HttpSignedRequest(ctx, body);
        Verification verification = endpoint.verifier.verify(signed, now);
        if (!verification.valid()) {
            Verification.Outcome outcome = verification.outcome();
            meters.verificationFailure(outcome.reason());
            problem(ctx, meters, outcome.status(), outcome.reason(), outcome.status() == 400
                    ? "Malformed signature header" : "Signature verification failed", verification.detail());
            return;
        }

        String traceId = TraceIds.fromTraceparent(req.getHeader("traceparent"));
        ProducerRecord<byte[], byte[]> record = endpoint.record(signed, traceId, now);
        long sendStart = System.nanoTime();
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    acked.complete(metadata);
                } else {
                    acked.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            // Metadata or buffer space not available within max.block.ms, or the producer is closing.
            kafkaFailed(ctx, meters, e);
            return;
        }
        QueuedThreadPool executor = threadPool;
        // Answer on a Jetty thread, not on the producer's I/O thread that completes the future.
        ctx.future(() -> acked.orTimeout(ackTimeoutMs, TimeUnit.MILLISECONDS).handleAsync((metadata, error) -> {
            if (error == null) {
                meters.produced(System.nanoTime() - sendStart);
                meters.request(200);
                ctx.status(200).contentType(JSON).result("{\"status\":\"accepted\",\"traceId\":\"" + traceId + "\"}");
            } else {
                kafkaFailed(ctx, meters, error);
            }
            return null;
        }, executor));
    }

    private void tooLarge(Context ctx, GatewayMetrics.EndpointMeters meters) {
        // The rest of the body is not read: tell the client the connection will not be reused.
        ctx.header("Connection", "close");
        problem(ctx, meters, 413, "payload-too-large", "Request body too large",
                "the body exceeds the limit of " + config.maxBodyBytes() + " bytes");
    }

    private void kafkaFailed(Context ctx, GatewayMetrics.EndpointMeters meters, Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof RecordTooLargeException) {
            problem(ctx, meters, 413, "payload-too-large", "Request body too large for Kafka",
                    "the record is larger than Kafka accepts (max.request.size / message.max.bytes)");
            return;
        }
        log.debug("Kafka did not acknowledge a record in time: {}", cause.toString());
        ctx.header("Retry-After", Integer.toString(config.retryAfterSeconds()));
        problem(ctx, meters, 503, "kafka-unavailable", "Kafka unavailable",
                "the event was not stored: Kafka did not acknowledge it in time (" + cause.getClass().getSimpleName()
                        + "); retry later");
    }

    private void health(Context ctx) {
        Admin client = admin;
        QueuedThreadPool executor = threadPool;
        ctx.future(() -> client.describeCluster(new DescribeClusterOptions().timeoutMs(HEALTH_TIMEOUT_MS)).clusterId()
                .toCompletionStage().toCompletableFuture()
                .handleAsync((clusterId, error) -> {
                    Map<String, Object> kafka = new LinkedHashMap<>();
                    kafka.put("status", error == null ? "UP" : "DOWN");
                    if (error == null) {
                        kafka.put("clusterId", clusterId);
                    } else {
                        Throwable cause = error.getCause() != null ? error.getCause() : error;
                        kafka.put("error", cause.getClass().getSimpleName());
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("status", error == null ? "UP" : "DOWN");
                    body.put("kafka", kafka);
                    ctx.status(error == null ? 200 : 503).contentType(JSON).result(json(body));
                    return null;
                }, executor));
    }

    private void routingProblem(HttpResponseException e, Context ctx) {
        GatewayMetrics.EndpointMeters meters = metrics.endpoint(GatewayMetrics.NO_ENDPOINT);
        if (e.getStatus() == 405) {
            ctx.header("Allow", ctx.path().startsWith("/webhooks/") ? "POST" : "GET, HEAD");
            problem(ctx, meters, 405, "method-not-allowed", "Method not allowed",
                    "webhooks are delivered with POST; /health and /metrics answer GET");
        } else if (e.getStatus() == 404) {
            problem(ctx, meters, 404, "not-found", "Not found", "the gateway serves POST /webhooks/{endpoint}, "
                    + "GET /health and GET /metrics");
        } else {
            problem(ctx, meters, e.getStatus(), "http-" + e.getStatus(), e.getMessage(), e.getMessage());
        }
    }

    private void unexpected(Exception e, Context ctx) {
        log.error("unexpected error handling {} {}", ctx.method(), ctx.path(), e);
        problem(ctx, metrics.endpoint(GatewayMetrics.NO_ENDPOINT), 500, "internal-error", "Internal error",
                "the gateway failed unexpectedly; nothing was stored");
    }

    /** Writes an RFC 9457 problem; details never contain secrets, signatures or the body. */
    private static void problem(Context ctx, GatewayMetrics.EndpointMeters meters, int status, String type, String title,
            String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", PROBLEM_TYPE_PREFIX + type);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("instance", ctx.path());
        meters.request(status);
        ctx.status(status).contentType(PROBLEM_JSON).result(json(problem));
    }

    private static String json(Map<String, Object> value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serializing a response", e);
        }
    }

    /**
     * Reads at most {@code limit} bytes; null when the body is longer. A declared length is read into an exact
     * array; a chunked body grows a buffer up to the limit, never beyond.
     */
    static byte[] readBody(InputStream in, long declared, int limit) throws IOException {
        if (declared >= 0) {
            byte[] body = new byte[(int) declared];
            int n = in.readNBytes(body, 0, body.length);
            if (n < body.length) {
                throw new IOException("body ended after " + n + " of " + declared + " bytes");
            }
            return body;
        }
        byte[] buffer = new byte[Math.min(limit + 1, 16 * 1024)];
        int n = 0;
        while (true) {
            if (n == buffer.length) {
                if (buffer.length > limit) {
                    return null;
                }
                buffer = java.util.Arrays.copyOf(buffer, (int) Math.min((long) limit + 1, buffer.length * 2L));
            }
            int read = in.read(buffer, n, buffer.length - n);
            if (read < 0) {
                break;
            }
            n += read;
            if (n > limit) {
                return null;
            }
        }
        return n == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, n);
    }

    /** The request as the signature schemes see it; the public URL is built only if a scheme asks for it. */
    private final class HttpSignedRequest implements SignedRequest {
        private final Context ctx;
        private final byte[] body;

        HttpSignedRequest(Context ctx, byte[] body) {
            this.ctx = ctx;
            this.body = body;
        }

        @Override
        public String header(String name) {
            return ctx.req().getHeader(name);
        }

        @Override
        public String method() {
            return ctx.req().getMethod();
        }

        @Override
        public String url() {
            HttpServletRequest req = ctx.req();
            String base = !publicBaseUrl.isEmpty() ? publicBaseUrl : req.getScheme() + "://" + req.getHeader("Host");
            String query = req.getQueryString();
            return base + req.getRequestURI() + (query == null ? "" : "?" + query);
        }

        @Override
        public byte[] body() {
            return body;
        }
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
