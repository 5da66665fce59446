package io.syncline.registry.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A bare HTTP client for the tests: raw requests, raw answers, no knowledge of the registry's code. */
final class RegistryClient {

    static final String V1 = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One HTTP answer. */
    record Answer(int status, String contentType, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        int errorCode() {
            return json().path("error_code").asInt();
        }

        String message() {
            return json().path("message").asText();
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;

    RegistryClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    Answer get(String path) {
        return send("GET", path, null, V1, V1);
    }

    Answer delete(String path) {
        return send("DELETE", path, null, V1, V1);
    }

    Answer post(String path, Object body) {
        return send("POST", path, toJson(body), V1, V1);
    }

    Answer put(String path, Object body) {
        return send("PUT", path, toJson(body), V1, V1);
    }

    /** Registers and returns the id, failing the test with the registry's answer otherwise. */
    int register(String subject, String schema) {
        Answer a = post("/subjects/" + subject + "/versions", Map.of("schema", schema));
        if (a.status() != 200) {
            throw new AssertionError("registering under " + subject + " failed: " + a);
        }
        return a.json().get("id").asInt();
    }

    Answer send(String method, String path, String body, String contentType, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (body != null) {
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            b.method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String toJson(Object body) {
        try {
            return body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A record schema with the given fields, each {@code "name:type"} or {@code "name:type=default"}. */
    static String record(String name, String... fields) {
        StringBuilder sb = new StringBuilder("{\"type\":\"record\",\"name\":\"" + name + "\",\"fields\":[");
        for (int i = 0; i < fields.length; i++) {
            String[] nameAndRest = fields[i].split(":", 2);
            String[] typeAndDefault = nameAndRest[1].split("=", 2);
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"name\":\"").append(nameAndRest[0]).append("\",\"type\":").append(typeJson(typeAndDefault[0]));
            if (typeAndDefault.length > 1) {
                sb.append(",\"default\":").append(typeAndDefault[1]);
            }
            sb.append('}');
        }
        return sb.append("]}").toString();
    }

    private static String typeJson(String type) {
        return type.startsWith("[") || type.startsWith("{") ? type : "\"" + type + "\"";
    }
}
