package io.syncline.delivery;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.syncline.delivery.mapping.FieldPath;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * What every sink of canonical records reads the same way: when Syncline received a change (for end-to-end latency)
 * and a field's value as a version number (for the {@link VersionGate}). Here, in the library, so that no sink
 * borrows them from a sibling sink's task.
 */
public final class CanonicalFields {

    private static final FieldPath INGESTED_AT = FieldPath.parse("metadata.ingested_at");

    private CanonicalFields() {
    }

    /**
     * When Syncline received the change (metadata.ingested_at of a canonical record), or -1: what the delivery engine
     * measures end-to-end latency from. Every sink of canonical records passes it to {@link Change.Builder#originMillis}.
     */
    public static long origin(SinkRecord record) {
        if (!(record.value() instanceof Struct)) {
            return -1;
        }
        try {
            Long ingested = version(INGESTED_AT.resolve(record));
            return ingested == null ? -1 : ingested;
        } catch (RuntimeException notCanonical) {
            return -1;
        }
    }

    /** A version as a number: timestamps as epoch milliseconds, numbers as they are, ISO instants parsed. */
    public static Long version(FieldPath.Resolved resolved) {
        Object v = resolved.value();
        if (v == null) {
            return null;
        }
        if (v instanceof java.util.Date d) {
            return d.getTime();
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException e) {
                try {
                    return Long.parseLong(s.trim());
                } catch (NumberFormatException e2) {
                    return null;
                }
            }
        }
        return null;
    }
}
