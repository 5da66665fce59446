package io.syncline.sandbox.payments;

import java.time.Duration;
import java.util.Map;

import io.syncline.sandbox.core.ApiRequest;
import io.syncline.sandbox.core.ApiResponse;
import io.syncline.sandbox.core.IdGenerator;
import io.syncline.sandbox.core.ProviderDialect;

/** Stripe's request ids, headers and error shapes for the shared HTTP pipeline. */
final class StripeDialect implements ProviderDialect {

    /** The API version the simulated objects follow (the last version with charges on invoices). */
    static final String API_VERSION = "2024-06-20";

    @Override
    public String newRequestId(IdGenerator ids) {
        return ids.next("req_", 14);
    }

    @Override
    public void decorate(ApiRequest request, Map<String, String> headers) {
        headers.put("Request-Id", request.requestId());
        headers.put("Stripe-Version", API_VERSION);
        headers.put("Cache-Control", "no-cache, no-store");
        String key = request.header("Idempotency-Key");
        if (key != null && "POST".equals(request.method())) {
            headers.put("Idempotency-Key", key);
        }
    }

    @Override
    public ApiResponse badRequest(ApiRequest request, String param, String message) {
        return StripeErrors.response(400, StripeErrors.INVALID_REQUEST, null, message, param);
    }

    @Override
    public ApiResponse notFound(ApiRequest request) {
        return StripeErrors.response(404, StripeErrors.INVALID_REQUEST, null,
                "Unrecognized request URL (" + request.method() + ": " + request.path()
                        + "). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
                null);
    }

    @Override
    public ApiResponse serverError(ApiRequest request, int status) {
        return StripeErrors.response(status, StripeErrors.API_ERROR, null,
                        "An unknown error occurred (request " + request.requestId() + ").", null)
                .withHeader("Stripe-Should-Retry", "true");
    }

    @Override
    public ApiResponse rateLimited(ApiRequest request, Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return StripeErrors.response(429, StripeErrors.INVALID_REQUEST, "rate_limit",
                        "Request rate limit exceeded. Learn more about rate limits here "
                                + "https://stripe.com/docs/rate-limits.", null)
                .withHeader("Stripe-Should-Retry", "true")
                .withHeader("Retry-After", Long.toString(seconds));
    }
}
