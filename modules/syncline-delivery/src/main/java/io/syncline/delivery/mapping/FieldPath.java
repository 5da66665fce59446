package io.syncline.delivery.mapping;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * A dotted path into a record, e.g. {@code metadata.event_id} or {@code amount.currency}: struct fields and map keys
 * of the record value, or one of the record's own attributes {@code $key}, {@code $topic}, {@code $partition},
 * {@code $offset}. Parsed once from configuration; resolving never throws for a missing field (it yields null).
 */
public final class FieldPath {

    /** Record attributes a path may name instead of a value field. */
    public static final List<String> RECORD_ATTRIBUTES = List.of("$key", "$topic", "$partition", "$offset");

    private final String text;
    private final String[] parts;

    private FieldPath(String text, String[] parts) {
        this.text = text;
        this.parts = parts;
    }

    /**
     * Parses {@code a.b.c} or a record attribute.
     *
     * @throws IllegalArgumentException naming the path when it is empty, has empty parts or names an unknown attribute
     */
    public static FieldPath parse(String text) {
        Objects.requireNonNull(text, "field path");
        String t = text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty field path (expected e.g. email or metadata.event_id)");
        }
        if (t.startsWith("$")) {
            if (!RECORD_ATTRIBUTES.contains(t)) {
                throw new IllegalArgumentException("'" + t + "' is not a record attribute (expected one of "
                        + String.join(", ", RECORD_ATTRIBUTES) + ")");
            }
            return new FieldPath(t, new String[] {t});
        }
        String[] parts = t.split("\\.", -1);
        if (Arrays.stream(parts).anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("'" + t + "' is not a field path (expected names joined by dots, e.g. "
                    + "metadata.event_id)");
        }
        return new FieldPath(t, parts);
    }

    /** The value at this path with its Connect schema (the schema is null for schemaless data or record attributes). */
    public Resolved resolve(SinkRecord record) {
        switch (parts[0]) {
            case "$key":
                return new Resolved(record.key(), record.keySchema());
            case "$topic":
                return new Resolved(record.topic(), Schema.STRING_SCHEMA);
            case "$partition":
                return new Resolved(record.kafkaPartition(), Schema.OPTIONAL_INT32_SCHEMA);
            case "$offset":
                return new Resolved(record.kafkaOffset(), Schema.INT64_SCHEMA);
            default:
                return resolveIn(record.value(), record.valueSchema());
        }
    }

    /** The value at this path inside {@code value} (a Struct, Map or null). */
    public Resolved resolveIn(Object value, Schema schema) {
        Object current = value;
        Schema currentSchema = schema;
        for (String part : parts) {
            if (current instanceof Struct struct) {
                Field field = struct.schema().field(part);
                if (field == null) {
                    return Resolved.MISSING;
                }
                current = struct.get(field);
                currentSchema = field.schema();
            } else if (current instanceof Map<?, ?> map) {
                current = map.get(part);
                currentSchema = currentSchema != null && currentSchema.type() == Schema.Type.MAP
                        ? currentSchema.valueSchema() : null;
            } else {
                return Resolved.MISSING;
            }
            if (current == null) {
                return new Resolved(null, currentSchema);
            }
        }
        return new Resolved(current, currentSchema);
    }

    /** The path as written. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldPath other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** A resolved value (null when absent) and its schema, if known. */
    public record Resolved(Object value, Schema schema) {
        static final Resolved MISSING = new Resolved(null, null);

        /** Whether there is a non-null value. */
        public boolean present() {
            return value != null;
        }
    }
}
