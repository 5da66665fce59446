package io.syncline.sandbox.crm;

import java.time.Duration;
import java.util.Map;

import io.syncline.sandbox.core.ApiRequest;
import io.syncline.sandbox.core.ApiResponse;
import io.syncline.sandbox.core.IdGenerator;
import io.syncline.sandbox.core.ProviderDialect;
import io.syncline.sandbox.core.SandboxServer;

/** HubSpot's correlation ids, rate-limit headers and error shapes for the shared HTTP pipeline. */
final class HubSpotDialect implements ProviderDialect {

    @Override
    public String newRequestId(IdGenerator ids) {
        return ids.uuid();
    }

    @Override
    public void decorate(ApiRequest request, Map<String, String> headers) {
        headers.put("Content-Type", "application/json;charset=utf-8");
        headers.put("X-HubSpot-Correlation-Id", request.requestId());
        Object max = request.attribute(SandboxServer.RATE_LIMIT_MAX);
        if (max != null && ((Integer) max) > 0) {
            headers.put("X-HubSpot-RateLimit-Interval-Milliseconds",
                    String.valueOf(request.<Long>attribute(SandboxServer.RATE_LIMIT_WINDOW_MS)));
            headers.put("X-HubSpot-RateLimit-Max", String.valueOf(max));
            headers.put("X-HubSpot-RateLimit-Remaining",
                    String.valueOf(request.<Integer>attribute(SandboxServer.RATE_LIMIT_REMAINING)));
        }
    }

    @Override
    public ApiResponse badRequest(ApiRequest request, String param, String message) {
        return ApiResponse.json(400, HubSpotErrors.body(request.requestId(), "VALIDATION_ERROR", message));
    }

    @Override
    public ApiResponse notFound(ApiRequest request) {
        return ApiResponse.json(404, HubSpotErrors.body(request.requestId(), "OBJECT_NOT_FOUND",
                "No route for " + request.method() + " " + request.path()));
    }

    @Override
    public ApiResponse serverError(ApiRequest request, int status) {
        return ApiResponse.json(status, HubSpotErrors.body(request.requestId(),
                status == 500 ? "INTERNAL_ERROR" : "SERVICE_UNAVAILABLE",
                status == 500 ? "internal error" : "The service is temporarily unavailable; try again later."));
    }

    @Override
    public ApiResponse rateLimited(ApiRequest request, Duration retryAfter) {
        return tenSecondly(request.requestId());
    }

    static ApiResponse tenSecondly(String correlationId) {
        var body = HubSpotErrors.body(correlationId, null, "You have reached your ten_secondly_rolling limit.");
        body.put("errorType", "RATE_LIMIT");
        body.put("policyName", "TEN_SECONDLY_ROLLING");
        return ApiResponse.json(429, body);
    }

    static ApiResponse secondly(String correlationId) {
        var body = HubSpotErrors.body(correlationId, null, "You have reached your secondly limit.");
        body.put("errorType", "RATE_LIMIT");
        body.put("policyName", "SECONDLY");
        return ApiResponse.json(429, body);
    }
}
