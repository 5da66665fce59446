package io.syncline.sandbox.core;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.http.Context;

/** One incoming API call as the simulators see it: parsed parameters, headers, credentials, request id. */
public final class ApiRequest {

    private final Context ctx;
    private final ProviderDialect dialect;
    private final String requestId;
    private final String route;
    private final Instant receivedAt;
    private String principal;
    private Map<String, Object> query;
    private Map<String, Object> form;
    private JsonNode json;
    private final Map<String, Object> attributes = new java.util.HashMap<>();

    ApiRequest(Context ctx, ProviderDialect dialect, String requestId, String route, Instant receivedAt) {
        this.ctx = ctx;
        this.dialect = dialect;
        this.requestId = requestId;
        this.route = route;
        this.receivedAt = receivedAt;
    }

    public String requestId() {
        return requestId;
    }

    /** The HTTP method in upper case. */
    public String method() {
        return ctx.req().getMethod();
    }

    /** The request path without query string, e.g. {@code /v1/customers/cus_123}. */
    public String path() {
        return ctx.path();
    }

    /** The route template that matched, e.g. {@code /v1/customers/{id}}. */
    public String route() {
        return route;
    }

    /** The raw query string, or null. */
    public String queryString() {
        return ctx.queryString();
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    public String pathParam(String name) {
        return ctx.pathParam(name);
    }

    /** A header value (case-insensitive name), or null. */
    public String header(String name) {
        return ctx.header(name);
    }

    public String remoteAddress() {
        return ctx.ip();
    }

    public String body() {
        return ctx.body();
    }

    /** Every value of a repeated plain query parameter ({@code properties=a&properties=b}), in order. */
    public java.util.List<String> queryValues(String name) {
        return ctx.queryParams(name);
    }

    /** Scheme, host and port the client used, e.g. {@code http://127.0.0.1:12112}. */
    public String baseUrl() {
        return ctx.scheme() + "://" + ctx.host();
    }

    /** Query parameters with bracket nesting ({@code created[gte]}), see {@link FormParams}. */
    public Map<String, Object> query() {
        if (query == null) {
            query = parseForm(ctx.queryString());
        }
        return query;
    }

    /** A form-encoded body with bracket nesting. */
    public Map<String, Object> form() {
        if (form == null) {
            form = parseForm(ctx.body());
        }
        return form;
    }

    /** The body as JSON; a body that is not JSON ends the call with the provider's 400. */
    public JsonNode json() {
        if (json == null) {
            String body = ctx.body();
            if (body == null || body.isBlank()) {
                throw new ApiException(dialect.badRequest(this, null, "The request body is empty; expected JSON."));
            }
            try {
                json = Json.MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                throw new ApiException(dialect.badRequest(this, null,
                        "Invalid input JSON on line " + e.getLocation().getLineNr() + ", column "
                                + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage()));
            }
        }
        return json;
    }

    private Map<String, Object> parseForm(String text) {
        try {
            return FormParams.parse(text);
        } catch (FormParams.FormException e) {
            throw new ApiException(dialect.badRequest(this, e.param(), e.getMessage()));
        }
    }

    /** The authenticated principal, or null on public routes. */
    public String principal() {
        return principal;
    }

    void principal(String principal) {
        this.principal = principal;
    }

    public ProviderDialect dialect() {
        return dialect;
    }

    /** A value a handler or wrapper attached to this request. */
    @SuppressWarnings("unchecked")
    public <T> T attribute(String name) {
        return (T) attributes.get(name);
    }

    public void attribute(String name, Object value) {
        attributes.put(name, value);
    }
}
