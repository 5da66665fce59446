package io.syncline.connect.payments;

import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Builds the records the payments connector writes to {@code raw.stripe.<object>}: key = the Stripe object id, value =
 * the JSON bytes exactly as received, and the four {@code syncline.*} headers every raw record carries (the same the
 * webhook gateway writes, so the normalizer reads both alike).
 *
 * <ul>
 *   <li>{@code syncline.source}: {@code stripe-api:<connector name>}</li>
 *   <li>{@code syncline.event-id}: the event id ({@code evt_...}); for a backfill snapshot, which has no event,
 *       {@code <object id>@backfill:<t0>}: deterministic, so a snapshot re-read after a restart dedupes</li>
 *   <li>{@code syncline.received-at}: epoch milliseconds (decimal) when the page arrived</li>
 *   <li>{@code syncline.trace-id}: a new W3C trace id (32 lower-case hex digits)</li>
 * </ul>
 */
final class RawRecords {

    static final String SOURCE = "syncline.source";
    static final String EVENT_ID = "syncline.event-id";
    static final String RECEIVED_AT = "syncline.received-at";
    static final String TRACE_ID = "syncline.trace-id";

    private static final HexFormat HEX = HexFormat.of();

    private final String source;
    private final PaymentsSourceConfig config;

    RawRecords(String connectorName, PaymentsSourceConfig config) {
        this.source = "stripe-api:" + connectorName;
        this.config = config;
    }

    /** The snapshot of one object read by the backfill (a bare object, as in the list page). */
    SourceRecord snapshot(Map<String, ?> partition, Map<String, ?> offset, StripeObject type, ListPage.Item object,
                          long t0, long receivedAtMillis) {
        return record(partition, offset, config.topic(type.apiName()), object.id(), snapshotEventId(object.id(), t0),
                object.json(), receivedAtMillis);
    }

    /** The {@code syncline.event-id} of a backfill snapshot. */
    static String snapshotEventId(String objectId, long t0) {
        return objectId + "@backfill:" + t0;
    }

    /** One event (the whole envelope, {@code data.object} inside), keyed and routed by its object. */
    SourceRecord event(Map<String, ?> partition, Map<String, ?> offset, ListPage.Item event, long receivedAtMillis) {
        return record(partition, offset, config.topic(event.objectType()), event.objectId(), event.id(), event.json(),
                receivedAtMillis);
    }

    private SourceRecord record(Map<String, ?> partition, Map<String, ?> offset, String topic, String key,
                                String eventId, byte[] json, long receivedAtMillis) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(SOURCE, source);
        headers.addString(EVENT_ID, eventId);
        headers.addString(RECEIVED_AT, Long.toString(receivedAtMillis));
        headers.addString(TRACE_ID, traceId());
        return new SourceRecord(partition, offset, topic, null, Schema.STRING_SCHEMA, key, Schema.BYTES_SCHEMA, json,
                receivedAtMillis, headers);
    }

    /** A random W3C trace id; not a secret, so a fast generator is enough. */
    static String traceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long hi = random.nextLong();
        long lo = random.nextLong();
        if (hi == 0 && lo == 0) {
            lo = 1; // all zeros is an invalid trace id
        }
        return HEX.toHexDigits(hi) + HEX.toHexDigits(lo);
    }
}
