package io.syncline.mapping;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.mapping.spi.MappingSource;

/**
 * What a mapping sees of one record: the object (the provider object in the normalizer, the record value as JSON in a
 * sink), the event envelope around it (if any), the record's headers, key and coordinates.
 *
 * <p>One instance is reused per processor or task (not thread-safe); {@link #reset} points it at the next record.
 */
public final class MappingContext implements MappingSource {

    /**
     * Where {@code $header/<name>} reads from: Kafka record headers in the normalizer, Connect headers in a sink. An
     * adapter kept by the caller and re-pointed per record, so that reading headers allocates nothing.
     */
    @FunctionalInterface
    public interface Headers {
        /** The last value of header {@code name} as text, or null. */
        String text(String name);
    }

    /**
     * What the record's envelope says about it ({@code $envelope/<field>}): the values an envelope declaration
     * (a Stripe event, a HubSpot webhook event, a bare object…) locates in the raw record, so that a mapping can read
     * them without knowing where the provider keeps them. Every method may return null.
     */
    public interface Envelope {
        /** The envelope's name as declared, e.g. {@code stripe-event}. */
        String name();

        /** The event type, e.g. {@code charge.succeeded}; null for a bare object. */
        String type();

        /** The provider's event id, e.g. {@code evt_…}. */
        String id();

        /** When the change happened (or, for a full object, the version it shows), epoch millis. */
        Long time();

        /** The provider's object type, e.g. {@code charge}. */
        String objectType();

        /** The provider object's id. */
        String objectId();
    }

    /** The names {@code $envelope/<field>} accepts, in the order of {@link Envelope}'s methods. */
    public static final java.util.List<String> ENVELOPE_FIELDS = java.util.List.of("name", "type", "id", "time",
            "object-type", "object-id");

    private static final Headers NO_HEADERS = name -> null;
    private static final Envelope NO_ENVELOPE = new Envelope() {
        @Override
        public String name() {
            return null;
        }

        @Override
        public String type() {
            return null;
        }

        @Override
        public String id() {
            return null;
        }

        @Override
        public Long time() {
            return null;
        }

        @Override
        public String objectType() {
            return null;
        }

        @Override
        public String objectId() {
            return null;
        }
    };

    private JsonNode object;
    private JsonNode event;
    private Headers headers = NO_HEADERS;
    private Envelope envelope = NO_ENVELOPE;
    private Object key;
    private String topic;
    private int partition;
    private long offset;
    private long timestamp;
    private JsonNode current;
    private long now;

    /**
     * Points this context at a record. {@code event} is null for a bare object.
     *
     * @param key the record key: UTF-8 bytes (Kafka), text, a JSON value, or null; read as text by {@code $record/key}
     */
    public MappingContext reset(JsonNode object, JsonNode event, Headers headers, Object key, String topic,
            int partition, long offset, long timestamp, long now) {
        this.object = object;
        this.event = event;
        this.headers = headers == null ? NO_HEADERS : headers;
        this.key = key;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.current = object;
        this.now = now;
        this.envelope = NO_ENVELOPE;
        return this;
    }

    /**
     * Points {@code $envelope/…} at what the record's envelope declares (call after {@link #reset}, which clears it).
     * The caller keeps the values and may change them in place between evaluations.
     */
    public MappingContext envelope(Envelope values) {
        this.envelope = values == null ? NO_ENVELOPE : values;
        return this;
    }

    /** What the record's envelope declares; never null (all values null when there is none). */
    public Envelope envelope() {
        return envelope;
    }

    /** Replaces the object (and the base of relative paths) of the current record, e.g. with a merged version. */
    public MappingContext object(JsonNode object) {
        this.object = object;
        this.current = object;
        return this;
    }

    /** The object: the bare value, or {@code data.object} of an event envelope. */
    @Override
    public JsonNode object() {
        return object;
    }

    /** The event envelope, or null when the record is a bare object (e.g. from a backfill). */
    @Override
    public JsonNode event() {
        return event;
    }

    /** The base of relative paths: the object, or the element being mapped inside {@code each}. */
    @Override
    public JsonNode current() {
        return current;
    }

    /** Sets the base of relative paths and returns the previous one (so callers can restore it). */
    JsonNode swapCurrent(JsonNode base) {
        JsonNode previous = current;
        current = base;
        return previous;
    }

    /** The last value of header {@code name} as text, or null. */
    @Override
    public String header(String name) {
        return headers.text(name);
    }

    /** The record key as text ({@code $record/key}), or null. */
    @Override
    public String key() {
        Object k = key;
        if (k == null || k instanceof String) {
            return (String) k;
        }
        if (k instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (k instanceof JsonNode n) {
            return n.isNull() || n.isMissingNode() ? null : n.isValueNode() ? n.asText() : n.toString();
        }
        return k.toString();
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public int partition() {
        return partition;
    }

    @Override
    public long offset() {
        return offset;
    }

    /** The record's Kafka timestamp (epoch millis). */
    @Override
    public long timestamp() {
        return timestamp;
    }

    /** Wall-clock time when the record is processed (epoch millis). */
    @Override
    public long now() {
        return now;
    }
}
