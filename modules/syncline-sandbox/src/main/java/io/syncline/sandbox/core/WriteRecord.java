package io.syncline.sandbox.core;

import java.time.Instant;
import java.util.Map;

/**
 * One change a client's API call applied to a sandbox's data, as sink tests need it.
 *
 * @param operation  {@code CREATE}, {@code UPDATE}, {@code ARCHIVE}; batch upserts record {@code CREATE} or
 *                   {@code UPDATE} for what they did
 * @param properties the values the write set (as the client sent them after validation)
 * @param idempotencyKey the {@code Idempotency-Key} header of the request, or null
 * @param objectWriteTraceId the batch input's {@code objectWriteTraceId} (HubSpot's per-input trace id), or null
 */
public record WriteRecord(Instant at, String requestId, String method, String path, String objectType,
                          String objectId, String operation, Map<String, String> properties, String idempotencyKey,
                          String objectWriteTraceId) {

    /** A write without an {@code objectWriteTraceId}. */
    public WriteRecord(Instant at, String requestId, String method, String path, String objectType, String objectId,
                       String operation, Map<String, String> properties, String idempotencyKey) {
        this(at, requestId, method, path, objectType, objectId, operation, properties, idempotencyKey, null);
    }
}
