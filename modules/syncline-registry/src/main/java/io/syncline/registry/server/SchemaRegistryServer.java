package io.syncline.registry.server;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import java.nio.file.Files;
import java.nio.file.Path;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.syncline.config.SecretRef;

/**
 * A Confluent-compatible schema registry (REST API v1; Avro, JSON Schema and Protobuf) whose state lives in a
 * compacted Kafka topic.
 *
 * <pre>{@code
 * SchemaRegistryServer server = SchemaRegistryServer.builder("localhost:9092").port(0).build().start();
 * server.url();   // "http://localhost:<port>"
 * server.close();
 * }</pre>
 *
 * <p>Any number of instances may serve one topic: they agree on every id and version because only one of them can
 * append at a time (Kafka transactional fencing, see {@link SchemaLog}) and each rebuilds its state from the topic.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);

    private final String bootstrapServers;
    private final String host;
    private final int requestedPort;
    private final String topic;
    private final Map<String, Object> kafkaSettings;
    private final Duration operationTimeout;
    private final Duration startTimeout;
    private final int incompatibleErrorCode;
    private final SecretRef basicAuthUsers;
    private final SecretRef bearerTokens;
    private final Tls tls;
    private final Map<String, String> environment;

    private SchemaLog schemaLog;
    private Javalin http;
    private int port = -1;
    private boolean closed;

    private SchemaRegistryServer(Builder builder) {
        this.bootstrapServers = builder.bootstrapServers;
        this.host = builder.host;
        this.requestedPort = builder.port;
        this.topic = builder.topic;
        this.kafkaSettings = Map.copyOf(builder.kafkaSettings);
        this.operationTimeout = builder.operationTimeout;
        this.startTimeout = builder.startTimeout;
        this.incompatibleErrorCode = builder.incompatibleErrorCode;
        this.basicAuthUsers = builder.basicAuthUsers;
        this.bearerTokens = builder.bearerTokens;
        this.tls = builder.tls;
        this.environment = builder.environment;
    }

    /**
     * TLS for the registry's HTTP listener: a key store with the server certificate and, for mutual TLS, a trust
     * store whose certificates clients must present. Passwords are secret references.
     */
    public record Tls(Path keyStore, String keyStoreType, SecretRef keyStorePassword, SecretRef keyPassword,
            Path trustStore, String trustStoreType, SecretRef trustStorePassword) {

        public Tls {
            Objects.requireNonNull(keyStore, "keyStore");
            Objects.requireNonNull(keyStorePassword, "keyStorePassword");
            keyStoreType = keyStoreType == null ? "PKCS12" : keyStoreType;
            trustStoreType = trustStoreType == null ? "PKCS12" : trustStoreType;
        }

        /** Server TLS with a key store (PKCS12 or JKS) and no client certificates. */
        public static Tls keyStore(Path keyStore, String type, SecretRef password) {
            return new Tls(keyStore, type, password, null, null, null, null);
        }

        /** The same, requiring client certificates signed by what {@code trustStore} holds (mutual TLS). */
        public Tls requireClientCertificates(Path trustStore, String type, SecretRef password) {
            return new Tls(keyStore, keyStoreType, keyStorePassword, keyPassword, trustStore, type, password);
        }
    }

    /** Settings for a registry storing its state in the Kafka cluster at {@code bootstrapServers}. */
    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /**
     * Prepares the topic, rebuilds the state from it and starts HTTP; returns once the server answers and its state
     * includes every record committed to the topic before the call.
     *
     * @throws IllegalStateException naming what failed (Kafka unreachable, a topic that is not single-partition and
     *     compacted, a busy port); everything started so far is stopped again
     */
    public synchronized SchemaRegistryServer start() {
        if (closed) {
            throw new IllegalStateException("this registry server was closed; build a new one");
        }
        if (http != null) {
            return this;
        }
        RegistryState state = new RegistryState();
        SchemaLog storage = new SchemaLog(bootstrapServers, topic, kafkaSettings, state, operationTimeout);
        try {
            storage.start(startTimeout);
        } catch (RuntimeException e) {
            storage.close();
            throw new IllegalStateException("starting the schema registry on topic " + topic + " at "
                    + bootstrapServers + ": " + e.getMessage(), e);
        }
        Javalin app;
        try {
            RegistryAuth auth = RegistryAuth.of(
                    basicAuthUsers == null ? null : basicAuthUsers.resolve(environment),
                    String.valueOf(basicAuthUsers),
                    bearerTokens == null ? null : bearerTokens.resolve(environment));
            RegistryMetrics metrics = new RegistryMetrics(state);
            app = new RegistryHttpApi(new RegistryService(state, storage), storage, state, incompatibleErrorCode,
                    auth).create(config -> {
                        listener(config);
                        metrics.install(config);
                    });
        } catch (RuntimeException e) {
            storage.close();
            throw new IllegalStateException("starting the schema registry: " + e.getMessage(), e);
        }
        try {
            if (tls == null) {
                app.start(host, requestedPort);
            } else {
                app.start();
            }
        } catch (RuntimeException e) {
            try {
                app.stop();
            } finally {
                storage.close();
            }
            throw new IllegalStateException("starting the schema registry HTTP server on " + host + ":"
                    + requestedPort + ": " + e.getMessage(), e);
        }
        schemaLog = storage;
        http = app;
        port = app.port();
        log.info("schema registry listening on {} (topic {}, state applied up to offset {})", url(), topic,
                state.nextOffset());
        return this;
    }

    /** With TLS: one HTTPS connector instead of Javalin's plain one (checked at start: stores must load). */
    private void listener(JavalinConfig config) {
        if (tls == null) {
            return;
        }
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(requireReadable(tls.keyStore(), "key store"));
        ssl.setKeyStoreType(tls.keyStoreType());
        ssl.setKeyStorePassword(tls.keyStorePassword().resolve(environment));
        if (tls.keyPassword() != null) {
            ssl.setKeyManagerPassword(tls.keyPassword().resolve(environment));
        }
        if (tls.trustStore() != null) {
            ssl.setTrustStorePath(requireReadable(tls.trustStore(), "trust store"));
            ssl.setTrustStoreType(tls.trustStoreType());
            if (tls.trustStorePassword() != null) {
                ssl.setTrustStorePassword(tls.trustStorePassword().resolve(environment));
            }
            ssl.setNeedClientAuth(true);
        }
        config.jetty.addConnector((server, httpConfig) -> {
            HttpConfiguration https = new HttpConfiguration(httpConfig);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Clients reach the registry by IP or any DNS name; the certificate is checked by the client, not here.
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(https));
            connector.setHost(host);
            connector.setPort(requestedPort);
            return connector;
        });
    }

    private static String requireReadable(Path path, String what) {
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("the TLS " + what + " " + path + " does not exist or is not readable");
        }
        return path.toString();
    }

    /** The base URL clients use, e.g. {@code http://localhost:8081} ({@code https://} with TLS); valid once started. */
    public String url() {
        return (tls == null ? "http://" : "https://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /** The port HTTP listens on (the actual one when 0 was asked for); valid once started. */
    public synchronized int port() {
        if (port < 0) {
            throw new IllegalStateException("the schema registry is not started");
        }
        return port;
    }

    /** Stops HTTP, the follower and the writer; safe to call more than once. */
    @Override
    public synchronized void close() {
        closed = true;
        if (http != null) {
            try {
                http.stop();
            } catch (RuntimeException e) {
                log.warn("stopping the registry HTTP server: {}", e.toString());
            }
            http = null;
        }
        if (schemaLog != null) {
            schemaLog.close();
            schemaLog = null;
        }
    }

    /** Settings for a {@link SchemaRegistryServer}. */
    public static final class Builder {
        private final String bootstrapServers;
        private String host = "localhost";
        private int port = 8081;
        private String topic = "_schemas";
        private final Map<String, Object> kafkaSettings = new HashMap<>();
        private Duration operationTimeout = Duration.ofSeconds(30);
        private Duration startTimeout = Duration.ofSeconds(60);
        private int incompatibleErrorCode = RegistryException.INCOMPATIBLE;
        private SecretRef basicAuthUsers;
        private SecretRef bearerTokens;
        private Tls tls;
        private Map<String, String> environment = System.getenv();

        private Builder(String bootstrapServers) {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("bootstrapServers is required, e.g. localhost:9092");
            }
            this.bootstrapServers = bootstrapServers;
        }

        /** The interface to listen on; default {@code localhost}. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The HTTP port; 0 picks a free one; default 8081. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** The Kafka topic holding the registry's log; default {@code _schemas}. */
        public Builder topic(String topic) {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("topic must not be blank");
            }
            this.topic = topic;
            return this;
        }

        /**
         * A Kafka client setting for the registry's admin, consumer and producer (TLS, SASL, timeouts), e.g.
         * {@code security.protocol}. Bootstrap servers, serialisers, isolation level and the transactional id are
         * the registry's own and cannot be overridden.
         */
        public Builder kafkaSetting(String key, Object value) {
            kafkaSettings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** How long a write (or a wait for the log) may take before answering 50002; default 30 s. */
        public Builder operationTimeout(Duration timeout) {
            this.operationTimeout = requirePositive(timeout, "operationTimeout");
            return this;
        }

        /** How long {@link SchemaRegistryServer#start()} may take to reach Kafka and replay the topic; default 60 s. */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = requirePositive(timeout, "startTimeout");
            return this;
        }

        /**
         * The {@code error_code} of an incompatible schema (HTTP 409 either way): 40901, as Confluent 8.2 and later
         * answer (default), or 409, as earlier releases did, for clients that compare the code.
         */
        public Builder incompatibleErrorCode(int code) {
            if (code != RegistryException.INCOMPATIBLE && code != RegistryException.INCOMPATIBLE_LEGACY) {
                throw new IllegalArgumentException("incompatibleErrorCode must be 40901 (Confluent 8.2 and later) or"
                        + " 409 (earlier releases), got " + code);
            }
            this.incompatibleErrorCode = code;
            return this;
        }

        /**
         * Requires HTTP basic authentication: {@code users} refers to {@code user:password} lines
         * ({@code env:NAME} or {@code file:PATH}). May be combined with {@link #bearerTokens}.
         */
        public Builder basicAuthUsers(SecretRef users) {
            this.basicAuthUsers = Objects.requireNonNull(users, "users");
            return this;
        }

        /** Accepts {@code Authorization: Bearer <token>} for the tokens {@code tokens} refers to, one per line. */
        public Builder bearerTokens(SecretRef tokens) {
            this.bearerTokens = Objects.requireNonNull(tokens, "tokens");
            return this;
        }

        /** Serves HTTPS instead of HTTP (see {@link Tls}). */
        public Builder tls(Tls tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /** Where {@code env:NAME} secrets are read (default: the process environment; tests pass their own). */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        public SchemaRegistryServer build() {
            return new SchemaRegistryServer(this);
        }

        private static Duration requirePositive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}
