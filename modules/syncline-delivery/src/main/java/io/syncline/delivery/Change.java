package io.syncline.delivery;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.syncline.raw.Traceparent;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * One change to deliver: the request it becomes (method, URL, JSON body or batch item), the key it is ordered by,
 * its idempotency key, and the records whose offsets it completes (usually one; a sink that waits for related data
 * may complete several records with one write).
 *
 * <p>Changes with the same {@link #orderingKey()} are delivered one at a time, in the order they were submitted.
 * Batchable changes for the same target (method and URL) may share one request.
 */
public final class Change {
    private final List<SinkRecord> records;
    private final String orderingKey;
    private final String idempotencyKey;
    private final String method;
    private final String url;
    private final byte[] body;
    private final boolean batchable;
    private final Set<String> correlationIds;
    private final String description;
    private final long originMillis;
    private final Traceparent trace;

    private Change(Builder b) {
        this.records = List.copyOf(b.records);
        this.orderingKey = Objects.requireNonNull(b.orderingKey, "ordering key");
        this.idempotencyKey = Objects.requireNonNull(b.idempotencyKey, "idempotency key");
        this.method = Objects.requireNonNull(b.method, "method");
        this.url = Objects.requireNonNull(b.url, "url");
        this.body = b.body;
        this.batchable = b.batchable;
        this.correlationIds = Set.copyOf(b.correlationIds);
        this.description = b.description == null ? "" : b.description;
        this.originMillis = b.originMillis;
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a change must complete at least one record");
        }
        this.trace = TraceContext.of(records);
    }

    /**
     * The W3C trace this change continues (from its records' {@code traceparent} or {@code syncline.trace-id}
     * header), or null; its request carries a child of it as {@code traceparent}.
     */
    public Traceparent trace() {
        return trace;
    }

    /** When Syncline received the change from its provider (epoch ms), or -1 when unknown. */
    public long originMillis() {
        return originMillis;
    }

    /** A change completing {@code records}. */
    public static Builder builder(List<SinkRecord> records) {
        return new Builder(records);
    }

    /** A change completing one record. */
    public static Builder builder(SinkRecord record) {
        return new Builder(List.of(record));
    }

    /** The records whose offsets this change completes once it is delivered or dead-lettered. */
    public List<SinkRecord> records() {
        return records;
    }

    /** What orders it: one change per ordering key is in flight at a time, in submission order. */
    public String orderingKey() {
        return orderingKey;
    }

    /** Sent as the idempotency header; the same change always carries the same key, across retries and restarts. */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    /** The HTTP method. */
    public String method() {
        return method;
    }

    /** The absolute URL (for a batchable change: the batch endpoint). */
    public String url() {
        return url;
    }

    /** The JSON request body, or for a batchable change the JSON of its batch item; null for none. */
    public byte[] body() {
        return body;
    }

    /** Body size in bytes (0 without a body). */
    public int size() {
        return body == null ? 0 : body.length;
    }

    /** Whether this change may share a request with others for the same target. */
    public boolean batchable() {
        return batchable;
    }

    /** Values that identify this change in a batch response's per-item results and errors. */
    public Set<String> correlationIds() {
        return correlationIds;
    }

    /** A short description for messages ("customer stripe:cus_1"); never the body. */
    public String description() {
        return description;
    }

    /** Method and URL, which decide whether two changes can share a batch request. */
    String target() {
        return method + " " + url;
    }

    @Override
    public String toString() {
        return "Change{" + method + " " + url + ", key=" + orderingKey + ", idempotencyKey=" + idempotencyKey + "}";
    }

    /** Builds a {@link Change}. */
    public static final class Builder {
        private final List<SinkRecord> records;
        private String orderingKey;
        private String idempotencyKey;
        private String method = "POST";
        private String url;
        private byte[] body;
        private boolean batchable;
        private Set<String> correlationIds = Set.of();
        private String description;
        private long originMillis = -1;

        private Builder(List<SinkRecord> records) {
            this.records = records;
        }

        public Builder orderingKey(String key) {
            this.orderingKey = key;
            return this;
        }

        public Builder idempotencyKey(String key) {
            this.idempotencyKey = key;
            return this;
        }

        public Builder request(String method, String url) {
            this.method = method;
            this.url = url;
            return this;
        }

        public Builder body(byte[] json) {
            this.body = json;
            return this;
        }

        public Builder body(String json) {
            this.body = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        public Builder batchable(boolean batchable) {
            this.batchable = batchable;
            return this;
        }

        public Builder correlationIds(Set<String> ids) {
            this.correlationIds = ids;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /**
         * When Syncline received the change from its provider (epoch ms, e.g. {@code metadata.ingested_at}); the
         * engine records the time from then to the target's acknowledgement as end-to-end latency.
         */
        public Builder originMillis(long millis) {
            this.originMillis = millis;
            return this;
        }

        public Change build() {
            return new Change(this);
        }
    }
}
