package io.syncline.sandbox.core;

import java.time.Duration;

/** How one provider shapes the answers the shared HTTP pipeline produces: errors, throttling, request ids. */
public interface ProviderDialect {

    /** A new request id, e.g. {@code req_…} for Stripe. */
    String newRequestId(IdGenerator ids);

    /** Headers every answer carries (request id, API version), added before the handler's own headers. */
    void decorate(ApiRequest request, java.util.Map<String, String> headers);

    /** A parameter or body the provider could not read. */
    ApiResponse badRequest(ApiRequest request, String param, String message);

    /** No such route. */
    ApiResponse notFound(ApiRequest request);

    /** An injected (or genuine) server-side failure with the given 5xx status. */
    ApiResponse serverError(ApiRequest request, int status);

    /** Over the rate limit, genuinely or by injection. */
    ApiResponse rateLimited(ApiRequest request, Duration retryAfter);

    /** The answer sent after a request was held past the client's timeout. */
    default ApiResponse gatewayTimeout(ApiRequest request) {
        return serverError(request, 504);
    }
}
