package io.syncline.sandbox.core;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** An answer of a simulated API: status, JSON body (or a plain-text one, or none) and extra headers. Immutable. */
public final class ApiResponse {

    private final int status;
    private final JsonNode body;
    private final String text;
    private final Map<String, String> headers;

    private ApiResponse(int status, JsonNode body, String text, Map<String, String> headers) {
        this.status = status;
        this.body = body;
        this.text = text;
        this.headers = Map.copyOf(headers);
    }

    private ApiResponse(int status, JsonNode body, Map<String, String> headers) {
        this(status, body, null, headers);
    }

    /**
     * A plain-text answer ({@code Content-Type: text/plain; charset=utf-8}), for the few provider answers that are
     * not JSON (e.g. Zendesk's 429 body).
     */
    public static ApiResponse text(int status, String text) {
        return new ApiResponse(status, null, java.util.Objects.requireNonNull(text, "text"),
                Map.of("Content-Type", "text/plain; charset=utf-8"));
    }

    public static ApiResponse json(int status, JsonNode body) {
        return new ApiResponse(status, body, Map.of());
    }

    public static ApiResponse ok(JsonNode body) {
        return json(200, body);
    }

    public static ApiResponse empty(int status) {
        return new ApiResponse(status, null, Map.of());
    }

    /** A copy with one more header (replacing one of the same name). */
    public ApiResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, body, text, h);
    }

    public int status() {
        return status;
    }

    /** The body; callers must not modify it (responses are replayed for idempotent requests). */
    public JsonNode body() {
        return body;
    }

    /** The plain-text body of a {@link #text(int, String)} answer, else null. */
    public String text() {
        return text;
    }

    /** The bytes sent: the JSON body serialized, the text as UTF-8, or null when there is no body. */
    public byte[] bytes() {
        if (text != null) {
            return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return body == null ? null : Json.bytes(body);
    }

    public Map<String, String> headers() {
        return headers;
    }
}
