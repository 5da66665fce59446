package io.syncline.raw;

import java.util.Arrays;
import java.util.List;

/**
 * The Kafka headers Syncline writes on every raw record ({@code raw.<system>.<object>}), next to the provider's bytes:
 * the one declaration the gateway, every source connector, the normalizer and the tests share.
 *
 * <p>Each constant carries its header name and its meaning; docs/raw-records.md is generated from them (and checked for
 * freshness by {@code RawHeadersDocsTest} in syncline-test-support). Values are UTF-8 text.
 */
public enum RawHeader {

    /** Who wrote the record. */
    SOURCE("syncline.source", true,
            "Who wrote the record: `<writer>:<instance>`, e.g. `stripe-webhook:<endpoint>` from the gateway or"
                    + " `stripe-api:<connector name>` from the payments source connector."),
    /** The change's identity: the normalizer's dedupe key. */
    EVENT_ID("syncline.event-id", true,
            "The identity of the change, the key the normalizer dedupes on: the provider's event id; a writer that has"
                    + " none makes a deterministic one, so that the same change written twice still dedupes (the"
                    + " gateway `sha256:<hex of the body>`, a polling source's backfill snapshot"
                    + " `<object id>@backfill:<t0>`)."),
    /** When Syncline received the change: epoch milliseconds in decimal. */
    RECEIVED_AT("syncline.received-at", true,
            "When Syncline received the change: epoch milliseconds in decimal (the unit of the canonical schemas'"
                    + " `timestamp-millis`). It becomes the canonical `ingested_at`, and a snapshot's version time."
                    + " Readers also accept an ISO-8601 instant; a value that is neither is ignored and the record's"
                    + " Kafka timestamp is used instead."),
    /** The W3C trace id that follows the change to the canonical record and the dead-letter queues. */
    TRACE_ID("syncline.trace-id", true,
            "A W3C trace id (32 lower-case hex digits, not all zeros): the caller's, from a valid `traceparent`"
                    + " request header, else a new random one. Carried to the canonical record and to dead letters."),
    /** The caller's W3C trace context, carried to the canonical record and to the sinks' outbound requests. */
    TRACEPARENT("traceparent", false,
            "The W3C `traceparent` of the change (`00-<trace-id>-<parent-id>-<flags>`): the caller's header as the"
                    + " gateway received it when valid, else a new one for the `syncline.trace-id` it made up (flags"
                    + " `00`, not sampled). Gateway records only; the normalizer keeps it on the canonical record and a"
                    + " sink sends a child of it (same trace and flags, its own parent id) as the `traceparent` header of"
                    + " its request to the target, or one made from `syncline.trace-id` when the record has none."),
    /** The gateway endpoint that received the request; gateway records only. */
    ENDPOINT("syncline.endpoint", false,
            "The gateway endpoint that received the request, the `{endpoint}` of `/webhooks/{endpoint}`."),
    /** The request a record was split from; gateway records of a batch only. */
    BATCH_ID("syncline.batch-id", false,
            "Set when the gateway split a request that carried several events (a HubSpot webhook batch) into one"
                    + " record per event: `sha256:<hex of the whole body>`, the same on every record of the request"
                    + " (and on a redelivery of it)."),
    /** The record's place in its batch. */
    BATCH_INDEX("syncline.batch-index", false,
            "With `syncline.batch-id`: the event's position in the request's array, from 0."),
    /** How many events the batch had. */
    BATCH_SIZE("syncline.batch-size", false,
            "With `syncline.batch-id`: how many events the request's array held.");

    private static final List<RawHeader> ON_EVERY_RECORD =
            Arrays.stream(values()).filter(RawHeader::onEveryRecord).toList();

    private final String key;
    private final boolean onEveryRecord;
    private final String meaning;

    RawHeader(String key, boolean onEveryRecord, String meaning) {
        this.key = key;
        this.onEveryRecord = onEveryRecord;
        this.meaning = meaning;
    }

    /** The header name, e.g. {@code syncline.event-id}. */
    public String key() {
        return key;
    }

    /** True when every raw record carries this header; false for one only the gateway writes. */
    public boolean onEveryRecord() {
        return onEveryRecord;
    }

    /** What the header means and how its value is written, in Markdown (it is the docs' text). */
    public String meaning() {
        return meaning;
    }

    /** The headers every raw record carries, whoever wrote it, in declaration order. */
    public static List<RawHeader> onEveryRecordHeaders() {
        return ON_EVERY_RECORD;
    }
}
