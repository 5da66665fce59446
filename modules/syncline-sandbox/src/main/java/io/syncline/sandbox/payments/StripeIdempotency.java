package io.syncline.sandbox.payments;

import io.syncline.sandbox.core.ApiException;
import io.syncline.sandbox.core.ApiHandler;
import io.syncline.sandbox.core.ApiRequest;
import io.syncline.sandbox.core.IdempotencyCache;

/**
 * Stripe's idempotency: the first response of a key (status and body) is saved once the endpoint has begun
 * executing and replayed for the same key and parameters; other parameters get {@code idempotency_error}, and a key
 * still in flight gets 409. A request that fails validation (before {@link #executing}) saves nothing.
 */
final class StripeIdempotency {

    private static final String EXECUTING = "stripe.executing";

    private final IdempotencyCache idempotency;

    StripeIdempotency(IdempotencyCache idempotency) {
        this.idempotency = idempotency;
    }

    /** Marks the point where validation ended and the change began: from here on an idempotent result is saved. */
    static void executing(ApiRequest req) {
        req.attribute(EXECUTING, Boolean.TRUE);
    }

    /** {@code handler} with Stripe's idempotency for requests that carry an {@code Idempotency-Key}. */
    ApiHandler wrap(ApiHandler handler) {
        return req -> {
            String key = req.header("Idempotency-Key");
            if (key == null) {
                return handler.handle(req);
            }
            if (key.isEmpty() || key.length() > 255) {
                throw StripeErrors.invalid(null, "Idempotency-Key must be between 1 and 255 characters long.",
                        "Idempotency-Key");
            }
            String fingerprint = req.method() + " " + req.path() + " " + StripeParams.canonical(req.form());
            IdempotencyCache.Outcome outcome = idempotency.begin(req.principal(), key, fingerprint);
            if (outcome instanceof IdempotencyCache.Replay replay) {
                return replay.response().withHeader("Idempotent-Replayed", "true");
            }
            if (outcome instanceof IdempotencyCache.Mismatch) {
                throw new ApiException(StripeErrors.response(400, StripeErrors.IDEMPOTENCY_ERROR, null,
                        "Keys for idempotent requests can only be used with the same parameters they were first "
                                + "used with. Try using a key other than '" + key + "' if you meant to execute a "
                                + "different request.", null));
            }
            if (outcome instanceof IdempotencyCache.InFlight) {
                throw new ApiException(StripeErrors.response(409, StripeErrors.IDEMPOTENCY_ERROR,
                        "idempotency_key_in_use", "There is currently another in-progress request using this "
                                + "Idempotent Key (that probably means you submitted twice, and the other request is "
                                + "still going through): " + key + ". Please try again later.", null));
            }
            // Stripe keeps the answer of every request that began executing, errors included.
            return idempotency.execute(req.principal(), key, req, handler,
                    resp -> Boolean.TRUE.equals(req.attribute(EXECUTING)),
                    resp -> resp.withHeader("Original-Request", req.requestId()));
        };
    }
}
