package io.syncline.cli.up;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The few calls {@code up --demo} makes to sandboxes that run in other processes: JSON in, errors with context. */
final class SandboxClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** {@code GET uri}: the JSON answer, or null for a 404. */
    JsonNode get(URI uri, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = send(b.build(), "GET " + uri);
        if (r.statusCode() == 404) {
            return null;
        }
        return json(r, "GET " + uri);
    }

    /** {@code POST uri} with a form body: the JSON answer. */
    JsonNode postForm(URI uri, String bearer, String form) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return json(send(b.build(), "POST " + uri), "POST " + uri);
    }

    private HttpResponse<String> send(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(what + ": " + e.getMessage() + " (is the sandbox running? start it with "
                    + "syncline sandbox payments|crm)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted", e);
        }
    }

    private static JsonNode json(HttpResponse<String> r, String what) {
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(what + " answered " + r.statusCode() + ": " + r.body());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(what + " answered something that is not JSON: " + e.getMessage(), e);
        }
    }
}
