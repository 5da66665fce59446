package io.syncline.raw;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * The {@link RawHeader} values of one raw record, and the helpers that make and read them, so every writer formats
 * them alike and every reader parses them alike.
 *
 * <p>A writer builds one per record and hands it to its own header type:
 * {@code values.forEach(connectHeaders::addString)} in a source task,
 * {@code values.forEach((k, v) -> kafkaHeaders.add(k, v.getBytes(UTF_8)))} in a producer.
 *
 * @param source {@link RawHeader#SOURCE}, see {@link #source(String, String)}
 * @param eventId {@link RawHeader#EVENT_ID}
 * @param receivedAt {@link RawHeader#RECEIVED_AT}, epoch milliseconds
 * @param traceId {@link RawHeader#TRACE_ID}, see {@link #newTraceId()}
 * @param endpoint {@link RawHeader#ENDPOINT}, or null for a record that did not come through a gateway endpoint
 */
public record RawHeaders(String source, String eventId, long receivedAt, String traceId, String endpoint) {

    private static final HexFormat HEX = HexFormat.of();

    public RawHeaders {
        Objects.requireNonNull(source, RawHeader.SOURCE.key());
        Objects.requireNonNull(eventId, RawHeader.EVENT_ID.key());
        Objects.requireNonNull(traceId, RawHeader.TRACE_ID.key());
    }

    /** The headers of a record a polling source wrote: no gateway endpoint. */
    public static RawHeaders polled(String source, String eventId, long receivedAt, String traceId) {
        return new RawHeaders(source, eventId, receivedAt, traceId, null);
    }

    /** Hands every header to {@code out} as (name, text) in {@link RawHeader} order; a null endpoint is left out. */
    public void forEach(BiConsumer<String, String> out) {
        out.accept(RawHeader.SOURCE.key(), source);
        out.accept(RawHeader.EVENT_ID.key(), eventId);
        out.accept(RawHeader.RECEIVED_AT.key(), formatReceivedAt(receivedAt));
        out.accept(RawHeader.TRACE_ID.key(), traceId);
        if (endpoint != null) {
            out.accept(RawHeader.ENDPOINT.key(), endpoint);
        }
    }

    /** The {@link RawHeader#SOURCE} value {@code <writer>:<instance>}, e.g. {@code stripe-api:stripe-main}. */
    public static String source(String writer, String instance) {
        return writer + ":" + instance;
    }

    /**
     * The {@link RawHeader#EVENT_ID} of a backfill snapshot, which has no provider event:
     * {@code <object id>@backfill:<t0>}. Deterministic for one backfill, so a snapshot read again after a restart
     * dedupes.
     */
    public static String snapshotEventId(String objectId, long t0) {
        return objectId + "@backfill:" + t0;
    }

    /** The {@link RawHeader#RECEIVED_AT} text of {@code epochMillis}: decimal, like Avro's {@code timestamp-millis}. */
    public static String formatReceivedAt(long epochMillis) {
        return Long.toString(epochMillis);
    }

    /**
     * Reads a {@link RawHeader#RECEIVED_AT} value: epoch milliseconds in decimal (what Syncline writes) or an ISO-8601
     * instant (what a hand-written record may carry), surrounding blanks ignored. Anything else, or null, is a value
     * Syncline did not write: {@code fallback} is returned instead.
     */
    public static long receivedAtMillis(String value, long fallback) {
        if (value == null) {
            return fallback;
        }
        String v = value.trim();
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException notMillis) {
            try {
                return Instant.parse(v).toEpochMilli();
            } catch (DateTimeParseException notInstant) {
                return fallback;
            }
        }
    }

    /** A new random W3C trace id: 32 lower-case hex digits, never all zeros (not a secret: a fast generator does). */
    public static String newTraceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long hi = random.nextLong();
        long lo = random.nextLong();
        if (hi == 0 && lo == 0) {
            lo = 1; // all zeros is an invalid trace id
        }
        return HEX.toHexDigits(hi) + HEX.toHexDigits(lo);
    }
}
