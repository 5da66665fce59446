package io.syncline.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The webhook gateway: where it listens, its limits, and its endpoints ({@code POST /webhooks/<name>}).
 *
 * @param host the interface to listen on
 * @param port the HTTP port (0 = any free port)
 * @param publicBaseUrl the URL providers call, as seen in front of any load balancer; used where a provider signs
 *     the URL (HubSpot v3). Empty: taken from the request's scheme and {@code Host} header
 * @param maxBodyBytes the largest request body accepted; larger gets 413
 * @param replayWindowSeconds how far a signed timestamp may be from now, in either direction
 * @param produceTimeoutMs how long a request waits for Kafka to acknowledge its record before it gets 503
 * @param retryAfterSeconds the {@code Retry-After} sent with a 503
 * @param maxConnections the most client connections open at once
 * @param maxConnectionsPerClient the most connections open at once from one client address
 * @param headerTimeoutMs how long a connection may take to send a request's headers, from when it opened or its
 *     previous response was sent; then it is closed
 * @param idleTimeoutMs how long a connection may send and receive nothing before it is closed
 * @param managementPort the port of the management server ({@code /health}, {@code /health/live}, {@code /metrics})
 *     with its own threads and connections; null: none (they are served on {@code port} only)
 * @param endpoints the webhook endpoints
 * @param topicPartitions partitions of the raw topics the gateway creates at start when they are missing and no
 *     {@code raw.*} topic exists yet (otherwise they take the most an existing raw topic has)
 */
@JsonClassDescription("The webhook gateway: POST /webhooks/{endpoint} verifies the provider's signature and answers "
        + "2xx only after the raw body is durably in Kafka.")
public record GatewayConfig(
        @JsonPropertyDescription("Interface to listen on (default 0.0.0.0).")
        String host,
        @JsonPropertyDescription("HTTP port (default 8080; 0 = any free port).")
        Integer port,
        @JsonPropertyDescription("Public base URL providers call, e.g. https://hooks.example.com, as seen in front of "
                + "the load balancer; HubSpot v3 signs the full URL. Empty: scheme and Host of the request.")
        String publicBaseUrl,
        @JsonPropertyDescription("Largest request body in bytes (default 1048576 = 1 MiB); larger gets 413.")
        Integer maxBodyBytes,
        @JsonPropertyDescription("Replay window in seconds: signed timestamps further from now, past or future, get 401 "
                + "(default 300).")
        Integer replayWindowSeconds,
        @JsonPropertyDescription("Milliseconds a request waits for Kafka's acknowledgement before it gets 503 "
                + "(default 10000).")
        Integer produceTimeoutMs,
        @JsonPropertyDescription("Retry-After seconds sent with 503 (default 5).")
        Integer retryAfterSeconds,
        @JsonPropertyDescription("Most client connections open at once (default 1000); past it the gateway stops "
                + "accepting until one closes, and new connections wait in the operating system's backlog.")
        Integer maxConnections,
        @JsonPropertyDescription("Most connections open at once from one client address (default 100), so that one "
                + "client cannot take every connection; more are closed as soon as they are accepted. Behind a load "
                + "balancer every request comes from its address: raise it to max-connections there.")
        Integer maxConnectionsPerClient,
        @JsonPropertyDescription("Milliseconds a connection may take to send a request's headers, counted from when it "
                + "opened or its previous response was sent (default 10000); then it is closed, so that clients "
                + "trickling bytes (slowloris) cannot hold connections.")
        Integer headerTimeoutMs,
        @JsonPropertyDescription("Milliseconds a connection may send and receive nothing before it is closed (default "
                + "30000).")
        Integer idleTimeoutMs,
        @JsonPropertyDescription("Port of the management server serving /health, /health/live and /metrics with its "
                + "own threads and connections, so that an attack on the webhook port cannot fail a liveness probe "
                + "(default: none; 0 = any free port).")
        Integer managementPort,
        @JsonPropertyDescription("Webhook endpoints, each served at POST /webhooks/{name}.")
        List<WebhookEndpointConfig> endpoints,
        @JsonPropertyDescription("Partitions of the raw topics the gateway creates at start when missing (every topic "
                + "an endpoint may write), so that no write relies on the broker auto-creating topics (default 12, "
                + "as the normalizer and the source connectors create theirs). Used only while no raw.* topic exists: "
                + "otherwise new raw topics take the most partitions an existing one has, because a raw topic with "
                + "more partitions than the normalizer's state changelogs stops every normalizer instance.")
        Integer topicPartitions) implements Validatable {

    public static final int DEFAULT_TOPIC_PARTITIONS = 12;

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final int DEFAULT_REPLAY_WINDOW_SECONDS = 300;
    public static final int DEFAULT_PRODUCE_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_RETRY_AFTER_SECONDS = 5;
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 100;
    public static final int DEFAULT_HEADER_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_IDLE_TIMEOUT_MS = 30_000;

    public GatewayConfig {
        host = host == null || host.isBlank() ? DEFAULT_HOST : host.trim();
        port = port == null ? DEFAULT_PORT : port;
        publicBaseUrl = publicBaseUrl == null ? "" : publicBaseUrl.trim();
        maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
        replayWindowSeconds = replayWindowSeconds == null ? DEFAULT_REPLAY_WINDOW_SECONDS : replayWindowSeconds;
        produceTimeoutMs = produceTimeoutMs == null ? DEFAULT_PRODUCE_TIMEOUT_MS : produceTimeoutMs;
        retryAfterSeconds = retryAfterSeconds == null ? DEFAULT_RETRY_AFTER_SECONDS : retryAfterSeconds;
        maxConnections = maxConnections == null ? DEFAULT_MAX_CONNECTIONS : maxConnections;
        maxConnectionsPerClient = maxConnectionsPerClient == null ? DEFAULT_MAX_CONNECTIONS_PER_CLIENT
                : maxConnectionsPerClient;
        headerTimeoutMs = headerTimeoutMs == null ? DEFAULT_HEADER_TIMEOUT_MS : headerTimeoutMs;
        idleTimeoutMs = idleTimeoutMs == null ? DEFAULT_IDLE_TIMEOUT_MS : idleTimeoutMs;
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        topicPartitions = topicPartitions == null ? DEFAULT_TOPIC_PARTITIONS : topicPartitions;
    }

    public static GatewayConfig defaults() {
        return new GatewayConfig(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    /** The settings before the connection limits, deadlines, management port and topic partitions were added. */
    public GatewayConfig(String host, Integer port, String publicBaseUrl, Integer maxBodyBytes,
                         Integer replayWindowSeconds, Integer produceTimeoutMs, Integer retryAfterSeconds,
                         Integer maxConnections, List<WebhookEndpointConfig> endpoints) {
        this(host, port, publicBaseUrl, maxBodyBytes, replayWindowSeconds, produceTimeoutMs, retryAfterSeconds,
                maxConnections, null, null, null, null, endpoints, null);
    }

    /** A copy listening on {@code port} (the CLI's {@code --gateway-port}, tests' 0). */
    public GatewayConfig withPort(int port) {
        return new GatewayConfig(host, port, publicBaseUrl, maxBodyBytes, replayWindowSeconds, produceTimeoutMs,
                retryAfterSeconds, maxConnections, maxConnectionsPerClient, headerTimeoutMs, idleTimeoutMs,
                managementPort, endpoints, topicPartitions);
    }

    /** A copy listening on {@code host}. */
    public GatewayConfig withHost(String host) {
        return new GatewayConfig(host, port, publicBaseUrl, maxBodyBytes, replayWindowSeconds, produceTimeoutMs,
                retryAfterSeconds, maxConnections, maxConnectionsPerClient, headerTimeoutMs, idleTimeoutMs,
                managementPort, endpoints, topicPartitions);
    }

    /** A copy with these endpoints (the demo adds its own). */
    public GatewayConfig withEndpoints(List<WebhookEndpointConfig> endpoints) {
        return new GatewayConfig(host, port, publicBaseUrl, maxBodyBytes, replayWindowSeconds, produceTimeoutMs,
                retryAfterSeconds, maxConnections, maxConnectionsPerClient, headerTimeoutMs, idleTimeoutMs,
                managementPort, endpoints, topicPartitions);
    }

    @Override
    public void validate(Problems problems, String path) {
        EmbeddedConfig.port(problems, Problems.child(path, "port"), port);
        ClusterConfig.requireHttpUrl(problems, Problems.child(path, "public-base-url"), publicBaseUrl);
        if (!publicBaseUrl.isEmpty()) {
            problems.require(!publicBaseUrl.contains("?") && !publicBaseUrl.contains("#"),
                    Problems.child(path, "public-base-url"),
                    "expected a base URL without query or fragment, got \"" + publicBaseUrl + "\"");
        }
        problems.require(maxBodyBytes >= 1, Problems.child(path, "max-body-bytes"),
                "expected a positive number of bytes, got " + maxBodyBytes);
        problems.require(replayWindowSeconds >= 1, Problems.child(path, "replay-window-seconds"),
                "expected a positive number of seconds, got " + replayWindowSeconds);
        problems.require(produceTimeoutMs >= 1000, Problems.child(path, "produce-timeout-ms"),
                "expected at least 1000 ms (Kafka needs time to acknowledge), got " + produceTimeoutMs);
        problems.require(retryAfterSeconds >= 1, Problems.child(path, "retry-after-seconds"),
                "expected a positive number of seconds, got " + retryAfterSeconds);
        problems.require(maxConnections >= 1, Problems.child(path, "max-connections"),
                "expected a positive number of connections, got " + maxConnections);
        problems.require(topicPartitions >= 1 && topicPartitions <= 10_000, Problems.child(path, "topic-partitions"),
                "expected between 1 and 10000, got " + topicPartitions);
        problems.require(maxConnectionsPerClient >= 1, Problems.child(path, "max-connections-per-client"),
                "expected a positive number of connections, got " + maxConnectionsPerClient);
        problems.require(headerTimeoutMs >= 100, Problems.child(path, "header-timeout-ms"),
                "expected at least 100 ms, got " + headerTimeoutMs);
        problems.require(idleTimeoutMs >= 100, Problems.child(path, "idle-timeout-ms"),
                "expected at least 100 ms, got " + idleTimeoutMs);
        if (managementPort != null) {
            EmbeddedConfig.port(problems, Problems.child(path, "management-port"), managementPort);
            problems.require(managementPort == 0 || !managementPort.equals(port),
                    Problems.child(path, "management-port"), "expected a port other than gateway.port (" + port
                            + "), so that health and metrics have their own connections and threads");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < endpoints.size(); i++) {
            String at = Problems.index(Problems.child(path, "endpoints"), i);
            WebhookEndpointConfig endpoint = endpoints.get(i);
            if (endpoint == null) {
                problems.add(at, "expected an endpoint with name, scheme, secrets and topic");
                continue;
            }
            endpoint.validate(problems, at);
            Integer first = seen.putIfAbsent(endpoint.name(), i);
            if (first != null && !endpoint.name().isEmpty()) {
                problems.add(Problems.child(at, "name"), "duplicate endpoint name \"" + endpoint.name()
                        + "\", already used by " + Problems.index(Problems.child(path, "endpoints"), first)
                        + "; each endpoint needs its own name (it is the {endpoint} in /webhooks/{endpoint})");
            }
        }
    }
}
