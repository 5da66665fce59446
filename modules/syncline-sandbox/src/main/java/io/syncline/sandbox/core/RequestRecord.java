package io.syncline.sandbox.core;

import java.time.Instant;

/**
 * One API request as the sandbox saw and answered it.
 *
 * @param status the HTTP status sent, or 0 when the connection was reset without an answer
 * @param fault  the injected fault ({@code latency} is not counted), or null: {@code connection_reset},
 *               {@code timeout}, {@code server_error}, {@code rate_limit}, {@code malformed}; a genuine limit hit is
 *               {@code rate_limited}
 * @param traceparent the request's W3C {@code traceparent} header, or null: a witness that a client continued a trace
 */
public record RequestRecord(Instant at, String requestId, String method, String path, String query, int status,
                            String fault, String idempotencyKey, long durationMillis, String traceparent) {
}
