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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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

    /** A connector as {@code GET /connectors?expand=info&expand=status} reports it: its stored config and status. */
    public record ConnectorInfo(String name, String type, Map<String, String> config, ConnectorStatus status) {
    }

    /**
     * The worker's answer to {@code PUT /connector-plugins/{class}/config/validate}: what the connector's own
     * {@code validate()} and Connect's checks (converters, transformations, client overrides) found.
     *
     * @param errors the messages per key, for keys that have any, sorted by key
     * @param passwordKeys the keys the connector (or Connect) declares as {@code PASSWORD}: their values are secrets
     */
    public record ConfigValidation(int errorCount, Map<String, List<String>> errors, Set<String> passwordKeys) {
        public ConfigValidation {
            errors = java.util.Collections.unmodifiableMap(new TreeMap<>(errors));
            passwordKeys = java.util.Collections.unmodifiableSet(new TreeSet<>(passwordKeys));
        }
    }

    /** A connector's target state on the worker (Connect 3.5+, KIP-875): running, paused, or stopped (no tasks). */
    public enum TargetState {
        RUNNING, PAUSED, STOPPED
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

    /** Every connector with its stored config and status, sorted by name. */
    public List<ConnectorInfo> connectorInfos() {
        JsonNode all = get("/connectors?expand=info&expand=status");
        List<ConnectorInfo> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Map<String, String> config = new LinkedHashMap<>();
            e.getValue().path("info").path("config").fields()
                    .forEachRemaining(c -> config.put(c.getKey(), c.getValue().asText()));
            ConnectorStatus status = toStatus(e.getKey(), e.getValue().path("status"));
            String type = e.getValue().path("info").path("type").asText(status.type());
            out.add(new ConnectorInfo(e.getKey(), type, config, status));
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    /**
     * Runs the worker's validation of a connector config without creating anything
     * ({@code PUT /connector-plugins/{class}/config/validate}); the worker resolves config provider references
     * ({@code ${env:...}}, {@code ${file:...}}) in its own environment first, as it will when the connector starts.
     *
     * @throws ConnectRestException when the worker refuses the request, e.g. because no plugin has that class
     */
    public ConfigValidation validate(String connectorClass, Map<String, String> config) {
        Map<String, String> body = new LinkedHashMap<>(config);
        body.put("connector.class", connectorClass);
        String what = "validating a " + connectorClass + " config";
        JsonNode answer = send(HttpRequest.newBuilder(uri("/connector-plugins/" + encode(connectorClass)
                + "/config/validate")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(body, what))), what, true);
        Map<String, List<String>> errors = new LinkedHashMap<>();
        Set<String> passwords = new TreeSet<>();
        for (JsonNode c : answer.path("configs")) {
            String key = c.path("definition").path("name").asText(c.path("value").path("name").asText());
            if ("PASSWORD".equals(c.path("definition").path("type").asText())) {
                passwords.add(key);
            }
            List<String> messages = new ArrayList<>();
            c.path("value").path("errors").forEach(m -> messages.add(m.asText()));
            if (!messages.isEmpty()) {
                errors.put(key, List.copyOf(messages));
            }
        }
        return new ConfigValidation(answer.path("error_count").asInt(), errors, passwords);
    }

    /**
     * Creates a connector in the given target state ({@code POST /connectors} with {@code initial_state}), so that a
     * connector declared paused or stopped never runs a task in between.
     */
    public void createConnector(String connector, Map<String, String> config, TargetState state) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", connector);
        body.put("config", config);
        body.put("initial_state", state.name());
        String what = "creating connector " + connector;
        send(HttpRequest.newBuilder(uri("/connectors")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body, what))), what, false);
    }

    /** Moves a connector to {@code state}: {@code PUT /connectors/{name}/pause}, {@code /resume} or {@code /stop}. */
    public void targetState(String connector, TargetState state) {
        String verb = switch (state) {
            case RUNNING -> "resume";
            case PAUSED -> "pause";
            case STOPPED -> "stop";
        };
        String what = verb + " connector " + connector;
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connectors/" + encode(connector) + "/"
                + verb)).PUT(HttpRequest.BodyPublishers.noBody()), what);
        check(response, what);
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

    private JsonNode send(HttpRequest.Builder request, String what, boolean parse) {
        HttpResponse<String> response = send(request, what);
        check(response, what);
        if (!parse) {
            return null;
        }
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(what + " on Kafka Connect at " + baseUrl + " returned a body that is not JSON", e);
        }
    }

    private static String json(Object body, String what) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + ": the body cannot be written as JSON", e);
        }
    }

    private JsonNode get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), "GET " + path, true);
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
