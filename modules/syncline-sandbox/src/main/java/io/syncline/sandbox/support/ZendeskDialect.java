package io.syncline.sandbox.support;

import java.time.Duration;
import java.util.Map;

import io.syncline.sandbox.core.ApiRequest;
import io.syncline.sandbox.core.ApiResponse;
import io.syncline.sandbox.core.IdGenerator;
import io.syncline.sandbox.core.ProviderDialect;
import io.syncline.sandbox.core.SandboxServer;

/** Zendesk's request ids, {@code X-Rate-Limit} headers, 429 with {@code Retry-After} and error shapes. */
final class ZendeskDialect implements ProviderDialect {

    @Override
    public String newRequestId(IdGenerator ids) {
        return ids.hex(16) + "-SBX";
    }

    @Override
    public void decorate(ApiRequest request, Map<String, String> headers) {
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("X-Request-Id", request.requestId());
        headers.put("X-Zendesk-API-Version", "v2");
        Object max = request.attribute(SandboxServer.RATE_LIMIT_MAX);
        if (max != null && ((Integer) max) > 0) {
            String remaining = String.valueOf(request.<Integer>attribute(SandboxServer.RATE_LIMIT_REMAINING));
            headers.put("X-Rate-Limit", String.valueOf(max));
            headers.put("X-Rate-Limit-Remaining", remaining);
            headers.put("ratelimit-limit", String.valueOf(max));
            headers.put("ratelimit-remaining", remaining);
        }
    }

    @Override
    public ApiResponse badRequest(ApiRequest request, String param, String message) {
        return ApiResponse.json(400, ZendeskErrors.body("InvalidValue", param == null ? message
                : param + ": " + message));
    }

    @Override
    public ApiResponse notFound(ApiRequest request) {
        return ApiResponse.json(404, ZendeskErrors.body("InvalidEndpoint", "Not found"));
    }

    @Override
    public ApiResponse serverError(ApiRequest request, int status) {
        ApiResponse r = ApiResponse.json(status, status == 500
                ? ZendeskErrors.body("InternalError", "Something went wrong; please try again.")
                : ZendeskErrors.body("ServiceUnavailable", "The service is temporarily unavailable; try again later."));
        // Zendesk sends Retry-After on 503s during maintenance and overload.
        return status == 503 ? r.withHeader("Retry-After", "1") : r;
    }

    @Override
    public ApiResponse rateLimited(ApiRequest request, Duration retryAfter) {
        return tooManyRequests(retryAfter, request.<Integer>attribute(SandboxServer.RATE_LIMIT_MAX));
    }

    /** Zendesk's 429: a plain-text body, {@code Retry-After} in whole seconds (at least 1) and no remaining budget. */
    static ApiResponse tooManyRequests(Duration retryAfter, Integer limit) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        ApiResponse r = ApiResponse.text(429, ZendeskErrors.RATE_LIMITED).withHeader("Retry-After",
                Long.toString(seconds));
        if (limit != null && limit > 0) {
            r = r.withHeader("X-Rate-Limit", limit.toString()).withHeader("X-Rate-Limit-Remaining", "0");
        }
        return r;
    }
}
