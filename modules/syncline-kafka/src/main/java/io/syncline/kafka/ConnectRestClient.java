package io.syncline.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A small client for the Kafka Connect REST API (any Connect 4.x worker, embedded or not): the calls the CLI and tests
 * need, with errors that say which call failed and what the worker answered.
 */
public final class ConnectRestClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http;
    private final Duration timeout;

    public ConnectRestClient(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(30));
    }

    /** @param timeout per request; a connector create can take a rebalance, so keep it generous */
    public ConnectRestClient(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(Math.min(5, timeout.toSeconds()))).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The state of a connector and of each of its tasks, as {@code GET /connectors?expand=status} reports it. */
    public record ConnectorStatus(String name, String type, String state, String workerId, List<TaskStatus> tasks) {
    }

    /** The state of one task; {@code trace} is set when the task failed. */
    public record TaskStatus(int id, String state, String workerId, String trace) {
    }

    /** {@code GET /}: the worker's version, or an exception when it does not answer. */
    public String version() {
        return get("/").path("version").asText();
    }

    /** {@code GET /health}: true when the worker answers 200 (it has joined its group and read its topics). */
    public boolean healthy() {
        try {
            return send(HttpRequest.newBuilder(uri("/health")).GET(), "checking health").statusCode() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** Class names of the connector plugins the worker loaded ({@code GET /connector-plugins}), sorted. */
    public List<String> connectorPlugins() {
        List<String> classes = new ArrayList<>();
        get("/connector-plugins").forEach(n -> classes.add(n.path("class").asText()));
        classes.sort(null);
        return classes;
    }

    /** Names of all connectors, sorted. */
    public List<String> connectors() {
        List<String> names = new ArrayList<>();
        get("/connectors").forEach(n -> names.add(n.asText()));
        names.sort(null);
        return names;
    }

    /** Status of every connector and its tasks, sorted by name. */
    public List<ConnectorStatus> statuses() {
        JsonNode all = get("/connectors?expand=status");
        List<ConnectorStatus> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(toStatus(e.getKey(), e.getValue().path("status")));
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    /** Status of one connector. */
    public ConnectorStatus status(String connector) {
        return toStatus(connector, get("/connectors/" + encode(connector) + "/status"));
    }

    /** Creates the connector or replaces its config ({@code PUT /connectors/{name}/config}). */
    public void putConnectorConfig(String connector, Map<String, String> config) {
        try {
            String body = JSON.writeValueAsString(config);
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connectors/" + encode(connector) + "/config"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body)), "creating connector " + connector);
            check(response, "creating connector " + connector);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("connector config for " + connector + " cannot be written as JSON", e);
        }
    }

    /** The stored config of a connector; secret references such as {@code ${env:NAME}} are returned unresolved. */
    public Map<String, String> connectorConfig(String connector) {
        Map<String, String> config = new LinkedHashMap<>();
        get("/connectors/" + encode(connector) + "/config").fields()
                .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        return config;
    }

    /** {@code GET /connectors/{name}/offsets}: the committed offsets, as the worker returns them. */
    public JsonNode offsets(String connector) {
        return get("/connectors/" + encode(connector) + "/offsets");
    }

    /** {@code PUT /connectors/{name}/pause}: its tasks stop processing until {@link #resume}. */
    public void pause(String connector) {
        action(HttpRequest.newBuilder(uri("/connectors/" + encode(connector) + "/pause"))
                .PUT(HttpRequest.BodyPublishers.noBody()), "pausing connector " + connector);
    }

    /** {@code PUT /connectors/{name}/resume}. */
    public void resume(String connector) {
        action(HttpRequest.newBuilder(uri("/connectors/" + encode(connector) + "/resume"))
                .PUT(HttpRequest.BodyPublishers.noBody()), "resuming connector " + connector);
    }

    /**
     * {@code POST /connectors/{name}/restart?includeTasks=true&onlyFailed=...}: restarts the connector and its tasks
     * (only the failed ones when {@code onlyFailed}).
     */
    public void restart(String connector, boolean onlyFailed) {
        action(HttpRequest.newBuilder(uri("/connectors/" + encode(connector) + "/restart?includeTasks=true&onlyFailed="
                + onlyFailed)).POST(HttpRequest.BodyPublishers.noBody()), "restarting connector " + connector);
    }

    /**
     * The type of each config key a connector plugin declares ({@code GET /connector-plugins/{class}/config}), e.g.
     * {@code PASSWORD} for the keys whose values must never be shown.
     */
    public Map<String, String> pluginConfigTypes(String connectorClass) {
        Map<String, String> types = new LinkedHashMap<>();
        for (JsonNode key : get("/connector-plugins/" + encode(connectorClass) + "/config")) {
            types.put(key.path("name").asText(), key.path("type").asText());
        }
        return types;
    }

    private void action(HttpRequest.Builder request, String what) {
        check(send(request, what), what);
    }

    /** Deletes a connector; its offsets stay in the offsets topic. */
    public void deleteConnector(String connector) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connectors/" + encode(connector))).DELETE(),
                "deleting connector " + connector);
        check(response, "deleting connector " + connector);
    }

    private JsonNode get(String path) {
        String what = "GET " + path;
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).GET(), what);
        check(response, what);
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(what + " on Kafka Connect at " + baseUrl + " returned a body that is not JSON", e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String what) {
        try {
            return http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": Kafka Connect at " + baseUrl + " does not answer (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted", e);
        }
    }

    private void check(HttpResponse<String> response, String what) {
        if (response.statusCode() / 100 == 2) {
            return;
        }
        String message = response.body();
        try {
            JsonNode body = JSON.readTree(response.body());
            if (body.hasNonNull("message")) {
                message = body.get("message").asText();
            }
        } catch (JsonProcessingException e) {
            // Not a Connect error document: report the raw body.
        }
        throw new ConnectRestException(response.statusCode(), what + " on Kafka Connect at " + baseUrl + " failed with HTTP "
                + response.statusCode() + ": " + message);
    }

    private static ConnectorStatus toStatus(String name, JsonNode status) {
        List<TaskStatus> tasks = new ArrayList<>();
        for (JsonNode t : status.path("tasks")) {
            tasks.add(new TaskStatus(t.path("id").asInt(), t.path("state").asText(), t.path("worker_id").asText(),
                    t.hasNonNull("trace") ? t.get("trace").asText() : null));
        }
        JsonNode connector = status.path("connector");
        return new ConnectorStatus(name, status.path("type").asText(), connector.path("state").asText(),
                connector.path("worker_id").asText(), List.copyOf(tasks));
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The Connect REST API answered with an error status. */
    public static final class ConnectRestException extends IllegalStateException {
        private final int status;

        public ConnectRestException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
