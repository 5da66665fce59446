package io.syncline.normalizer.mapping;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.raw.RawHeader;
import io.syncline.raw.RawHeaders;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * What a mapping sees of one raw record: the provider object, the event envelope around it (if any), the Kafka
 * headers and the record's coordinates.
 *
 * <p>One instance is reused per processor (not thread-safe); {@link #reset} points it at the next record.
 */
public final class MappingContext {

    private JsonNode object;
    private JsonNode event;
    private Headers headers;
    private String topic;
    private int partition;
    private long offset;
    private long timestamp;
    private JsonNode current;
    private long now;

    /** Points this context at a record. {@code event} is null for a bare object. */
    public MappingContext reset(JsonNode object, JsonNode event, Headers headers, String topic, int partition,
            long offset, long timestamp, long now) {
        this.object = object;
        this.event = event;
        this.headers = headers;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.current = object;
        this.now = now;
        return this;
    }

    /** The provider object: the bare value, or {@code data.object} of an event envelope. */
    public JsonNode object() {
        return object;
    }

    /** The event envelope, or null when the record is a bare object (e.g. from a backfill). */
    public JsonNode event() {
        return event;
    }

    /** The base of relative paths: the object, or the element being mapped inside {@code each}. */
    public JsonNode current() {
        return current;
    }

    /** Sets the base of relative paths and returns the previous one (so callers can restore it). */
    JsonNode swapCurrent(JsonNode base) {
        JsonNode previous = current;
        current = base;
        return previous;
    }

    /** The last value of header {@code name} as UTF-8 text, or null. */
    public String header(String name) {
        if (headers == null) {
            return null;
        }
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    public Headers headers() {
        return headers;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    /** The raw record's Kafka timestamp (epoch millis). */
    public long timestamp() {
        return timestamp;
    }

    /** Wall-clock time when the normalizer processes the record (epoch millis). */
    public long now() {
        return now;
    }

    /**
     * When Syncline received the change (epoch millis), the canonical ingested-at: the {@code syncline.received-at}
     * header the gateway and the source connectors write, else the raw record's Kafka timestamp (a producer that
     * sets no header still stamps the record when it writes it), else the processing time.
     */
    public long receivedAt() {
        return RawHeaders.receivedAtMillis(header(RawHeader.RECEIVED_AT.key()), timestamp > 0 ? timestamp : now);
    }
}
