package io.syncline.delivery;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * What every sink of canonical records reads the same way: when Syncline received a change (for end-to-end latency)
 * and a value as a version number (for the {@link VersionGate}). Here, in the library, so that no sink borrows them
 * from a sibling sink's task.
 */
public final class CanonicalFields {

    private CanonicalFields() {
    }

    /**
     * When Syncline received the change (metadata.ingested_at of a canonical record), or -1: what the delivery engine
     * measures end-to-end latency from. Every sink of canonical records passes it to {@link Change.Builder#originMillis}.
     */
    public static long origin(SinkRecord record) {
        // Read from the struct itself: this runs per record whatever the mappings read, so it skips the JSON view.
        if (!(record.value() instanceof Struct value)) {
            return -1;
        }
        Field metadata = value.schema().field("metadata");
        if (metadata == null || !(value.get(metadata) instanceof Struct m)) {
            return -1;
        }
        Field ingested = m.schema().field("ingested_at");
        Object v = ingested == null ? null : m.get(ingested);
        Long millis = version(v);
        return millis == null ? -1 : millis;
    }

    /**
     * A version as a number: timestamps as epoch milliseconds, numbers as they are, ISO instants parsed; from a
     * Connect value or from what an expression read of a record's JSON view. Null when there is none.
     */
    public static Long version(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof java.util.Date d) {
            return d.getTime();
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof JsonNode n) {
            if (n.isNumber()) {
                return n.longValue();
            }
            if (!n.isTextual()) {
                return null;
            }
            v = n.textValue();
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
