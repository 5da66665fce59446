package io.syncline.sandbox.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A small JDK-HttpClient wrapper for tests that talk to a sandbox over loopback. */
public final class HttpTestClient {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A response with its body parsed as JSON when it is JSON. */
    public record Response(int status, Map<String, String> headers, String raw) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(raw);
            } catch (IOException e) {
                throw new AssertionError("response body is not JSON: " + raw, e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final HttpClient client;
    private final String base;
    private final Map<String, String> defaultHeaders = new LinkedHashMap<>();

    public HttpTestClient(String base) {
        this.base = base;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    public HttpTestClient header(String name, String value) {
        defaultHeaders.put(name, value);
        return this;
    }

    public HttpTestClient bearer(String token) {
        return header("Authorization", "Bearer " + token);
    }

    public Response get(String path) throws IOException, InterruptedException {
        return send(builder(path).GET(), Duration.ofSeconds(30));
    }

    public Response delete(String path) throws IOException, InterruptedException {
        return send(builder(path).DELETE(), Duration.ofSeconds(30));
    }

    /** POSTs form-encoded pairs: {@code "email", "a@b.c", "metadata[plan]", "pro"}. */
    public Response postForm(String path, String... pairs) throws IOException, InterruptedException {
        return postForm(path, Map.of(), pairs);
    }

    public Response postForm(String path, Map<String, String> headers, String... pairs)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = builder(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(pairs)));
        headers.forEach(b::header);
        return send(b, Duration.ofSeconds(30));
    }

    public Response postJson(String path, String json) throws IOException, InterruptedException {
        return sendJson("POST", path, json, Map.of());
    }

    public Response sendJson(String method, String path, String json, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = builder(path).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(b::header);
        return send(b, Duration.ofSeconds(30));
    }

    /** GET with a client-side timeout, to test held requests. */
    public Response get(String path, Duration timeout) throws IOException, InterruptedException {
        return send(builder(path).GET(), timeout);
    }

    public static String form(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("form pairs must come in name/value pairs");
        }
        StringJoiner j = new StringJoiner("&");
        for (int i = 0; i < pairs.length; i += 2) {
            j.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return j.toString();
    }

    private HttpRequest.Builder builder(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        defaultHeaders.forEach(b::header);
        return b;
    }

    private Response send(HttpRequest.Builder b, Duration timeout) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(b.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, String> headers = new LinkedHashMap<>();
        r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
        return new Response(r.statusCode(), headers, r.body());
    }
}
