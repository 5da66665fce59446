package io.syncline.testsupport.connect;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Connect REST calls contract tests need beyond {@code io.syncline.kafka.ConnectRestClient}: config validation
 * and restarts. Any Connect 4.x worker answers them.
 */
public final class ConnectAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ConnectAdmin(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /**
     * {@code PUT /connector-plugins/{class}/config/validate}: the error messages the worker reports per key (keys
     * without errors are left out). The worker runs the connector's own {@code validate()}, live checks included.
     */
    public Map<String, List<String>> validate(String connectorClass, Map<String, String> config) {
        Map<String, String> body = new LinkedHashMap<>(config);
        body.put("connector.class", connectorClass);
        // The worker validates the name too; a config without one is not what the test is about.
        body.putIfAbsent("name", "validation");
        JsonNode result = send("PUT", "/connector-plugins/" + encode(connectorClass) + "/config/validate", body,
                "validating a " + connectorClass + " config");
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (JsonNode config1 : result.path("configs")) {
            JsonNode value = config1.path("value");
            List<String> messages = new ArrayList<>();
            value.path("errors").forEach(e -> messages.add(e.asText()));
            if (!messages.isEmpty()) {
                errors.put(value.path("name").asText(), messages);
            }
        }
        return errors;
    }

    /** {@code POST /connectors/{name}/restart?includeTasks=..&onlyFailed=..}: restarts the connector and its tasks. */
    public void restart(String connector, boolean includeTasks, boolean onlyFailed) {
        send("POST", "/connectors/" + encode(connector) + "/restart?includeTasks=" + includeTasks + "&onlyFailed="
                + onlyFailed, null, "restarting " + connector);
    }

    private JsonNode send(String method, String path, Object body, String what) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(what + " on Kafka Connect at " + baseUrl + " failed with HTTP "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(what + ": Kafka Connect at " + baseUrl + " does not answer (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
