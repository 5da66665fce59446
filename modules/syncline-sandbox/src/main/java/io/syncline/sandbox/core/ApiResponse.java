package io.syncline.sandbox.core;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** An answer of a simulated API: status, JSON body (or none) and extra headers. Immutable once built. */
public final class ApiResponse {

    private final int status;
    private final JsonNode body;
    private final Map<String, String> headers;

    private ApiResponse(int status, JsonNode body, Map<String, String> headers) {
        this.status = status;
        this.body = body;
        this.headers = Map.copyOf(headers);
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
        return new ApiResponse(status, body, h);
    }

    public int status() {
        return status;
    }

    /** The body; callers must not modify it (responses are replayed for idempotent requests). */
    public JsonNode body() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
