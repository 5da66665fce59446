package io.syncline.gateway;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every refusal the gateway answers, as an RFC 9457 problem ({@code application/problem+json}), counted in the
 * request metrics. Details name headers and limits; they never contain secrets, signatures or the body.
 */
final class ProblemResponses {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    static final String TYPE_PREFIX = "urn:syncline:problem:";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final GatewayMetrics metrics;

    ProblemResponses(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    /** Answers {@code status} with a problem of kind {@code type} ({@code urn:syncline:problem:<type>}). */
    static void send(Context ctx, GatewayMetrics.EndpointMeters meters, int status, String type, String title,
            String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", TYPE_PREFIX + type);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("instance", ctx.path());
        meters.request(status);
        ctx.status(status).contentType(PROBLEM_JSON).result(json(problem));
    }

    /** Javalin's own refusals (no route, wrong method), in the same form as the gateway's. */
    void routing(HttpResponseException e, Context ctx) {
        GatewayMetrics.EndpointMeters meters = metrics.endpoint(GatewayMetrics.NO_ENDPOINT);
        if (e.getStatus() == 405) {
            ctx.header("Allow", ctx.path().startsWith("/webhooks/") ? "POST" : "GET, HEAD");
            send(ctx, meters, 405, "method-not-allowed", "Method not allowed",
                    "webhooks are delivered with POST; /health and /metrics answer GET");
        } else if (e.getStatus() == 404) {
            send(ctx, meters, 404, "not-found", "Not found", "the gateway serves POST /webhooks/{endpoint}, "
                    + "GET /health and GET /metrics");
        } else {
            send(ctx, meters, e.getStatus(), "http-" + e.getStatus(), e.getMessage(), e.getMessage());
        }
    }

    /** A bug: logged with its stack, answered 500 without any detail of it. */
    void unexpected(Exception e, Context ctx) {
        log.error("unexpected error handling {} {}", ctx.method(), ctx.path(), e);
        send(ctx, metrics.endpoint(GatewayMetrics.NO_ENDPOINT), 500, "internal-error", "Internal error",
                "the gateway failed unexpectedly; nothing was stored");
    }

    /** A JSON response body. */
    static String json(Map<String, Object> value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serializing a response", e);
        }
    }
}
