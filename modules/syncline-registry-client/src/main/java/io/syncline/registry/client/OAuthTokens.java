package io.syncline.registry.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Bearer tokens from an OAuth 2 token endpoint with the client-credentials grant, as Confluent's client gets them
 * for {@code bearer.auth.credentials.source=OAUTHBEARER}: {@code POST} with the client id and secret as HTTP basic
 * credentials and {@code grant_type=client_credentials[&scope=…]}; the token is kept until {@code expires_in} minus
 * the renewal buffer. Neither the secret nor the token ever appears in a message.
 */
final class OAuthTokens {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String basic;
    private final String body;
    private final long bufferNanos;
    private final HttpClient http;
    private final Duration timeout;

    private String token;
    private long renewAtNanos;

    OAuthTokens(String endpoint, String clientId, String clientSecret, String scope, long bufferSeconds,
            HttpClient http, Duration timeout) {
        this.endpoint = URI.create(endpoint);
        this.basic = "Basic " + Base64.getEncoder().encodeToString(
                (clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        this.body = "grant_type=client_credentials" + (scope == null || scope.isBlank() ? ""
                : "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
        this.bufferNanos = Duration.ofSeconds(bufferSeconds).toNanos();
        this.http = http;
        this.timeout = timeout;
    }

    /** A valid token, fetched when there is none or the current one is about to expire. */
    synchronized String token() {
        long now = System.nanoTime();
        if (token != null && now - renewAtNanos < 0) {
            return token;
        }
        String action = "fetching an OAuth token for the schema registry";
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Authorization", basic)
                .header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cache-Control", "no-cache")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaRegistryException(action + " at " + endpoint, -1, -1, e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(action, -1, -1, "interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new SchemaRegistryException(action + " at " + endpoint, response.statusCode(), -1,
                    "the token endpoint refused the client credentials (check bearer.auth.client.id and"
                            + " bearer.auth.client.secret)");
        }
        JsonNode node;
        try {
            node = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new SchemaRegistryException(action + " at " + endpoint, response.statusCode(), -1,
                    "the token endpoint answered something that is not JSON", e);
        }
        String accessToken = node == null ? null : node.path("access_token").asText(null);
        if (accessToken == null || accessToken.isBlank()) {
            throw new SchemaRegistryException(action + " at " + endpoint, response.statusCode(), -1,
                    "the token endpoint's answer has no access_token");
        }
        long expiresIn = node.path("expires_in").asLong(3600);
        token = accessToken;
        renewAtNanos = now + Math.max(0, Duration.ofSeconds(expiresIn).toNanos() - bufferNanos);
        return token;
    }
}
