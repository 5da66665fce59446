package io.syncline.cli.cluster;

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
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The read-only calls of the Confluent Schema Registry REST API that listings need (subjects, latest versions). */
public final class RegistryRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public RegistryRest(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** The latest version of a subject. */
    public record SubjectVersion(String subject, int version, int id, String schemaType) {
    }

    /** All subjects, sorted. */
    public List<String> subjects() {
        List<String> out = new ArrayList<>();
        get("/subjects").forEach(s -> out.add(s.asText()));
        out.sort(null);
        return out;
    }

    /** The latest version of {@code subject}; the schema type is AVRO when the registry leaves it out. */
    public SubjectVersion latest(String subject) {
        JsonNode v = get("/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions/latest");
        return new SubjectVersion(subject, v.path("version").asInt(), v.path("id").asInt(),
                v.path("schemaType").asText("AVRO"));
    }

    private JsonNode get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/vnd.schemaregistry.v1+json, application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("schema registry at " + baseUrl + " does not answer (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the schema registry", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " on the schema registry at " + baseUrl + " failed with HTTP "
                    + response.statusCode() + ": " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("GET " + path + " on the schema registry at " + baseUrl
                    + " returned a body that is not JSON", e);
        }
    }
}
