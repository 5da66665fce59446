package io.syncline.connect.payments;

import java.util.Map;

import io.syncline.raw.RawHeader;
import io.syncline.raw.RawHeaders;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Builds the records the payments connector writes to {@code raw.stripe.<object>}: key = the Stripe object id, value =
 * the JSON bytes exactly as received, and the headers every raw record carries ({@link RawHeader}, the same the webhook
 * gateway writes, so the normalizer reads both alike): source {@code stripe-api:<connector name>}, the event id (for a
 * backfill snapshot {@link RawHeaders#snapshotEventId}), received-at = when the page arrived, a new trace id.
 */
final class RawRecords {

    /** The writer part of {@link RawHeader#SOURCE}; the gateway's Stripe endpoints write {@code stripe-webhook}. */
    private static final String SOURCE_WRITER = "stripe-api";

    private final String source;
    private final PaymentsSourceConfig config;

    RawRecords(String connectorName, PaymentsSourceConfig config) {
        this.source = RawHeaders.source(SOURCE_WRITER, connectorName);
        this.config = config;
    }

    /** The snapshot of one object read by the backfill (a bare object, as in the list page). */
    SourceRecord snapshot(Map<String, ?> partition, Map<String, ?> offset, StripeObject type, ListPage.Item object,
                          long t0, long receivedAtMillis) {
        return record(partition, offset, config.topic(type.apiName()), object.id(),
                RawHeaders.snapshotEventId(object.id(), t0), object.json(), receivedAtMillis);
    }

    /** One event (the whole envelope, {@code data.object} inside), keyed and routed by its object. */
    SourceRecord event(Map<String, ?> partition, Map<String, ?> offset, ListPage.Item event, long receivedAtMillis) {
        return record(partition, offset, config.topic(event.objectType()), event.objectId(), event.id(), event.json(),
                receivedAtMillis);
    }

    private SourceRecord record(Map<String, ?> partition, Map<String, ?> offset, String topic, String key,
                                String eventId, byte[] json, long receivedAtMillis) {
        ConnectHeaders headers = new ConnectHeaders();
        RawHeaders.polled(source, eventId, receivedAtMillis, RawHeaders.newTraceId()).forEach(headers::addString);
        return new SourceRecord(partition, offset, topic, null, Schema.STRING_SCHEMA, key, Schema.BYTES_SCHEMA, json,
                receivedAtMillis, headers);
    }
}
