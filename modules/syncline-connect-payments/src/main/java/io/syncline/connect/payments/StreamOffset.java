package io.syncline.connect.payments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * Where one object type's stream stands, as kept in Connect's offsets (source partition {@code {"object":"charge"}}).
 *
 * <pre>
 * {"v":1,"phase":"backfill","t0":1717000000,"after":"ch_123"}      listing created &lt;= t0, next page after ch_123
 * {"v":1,"phase":"incremental","second":1717000042,"seen":"evt_1,evt_2"} events: see {@link EventCursor}
 * </pre>
 *
 * Connect offsets hold only primitive values, so the ids seen in the cursor's second are one comma-separated string
 * (Stripe ids never contain commas).
 *
 * A backfill offset also says where the events begin: at the start of second {@code t0}, so whatever changed while
 * the backfill ran comes through the events.
 */
sealed interface StreamOffset {

    /** At most this many ids of the cursor's second go into an offset; past it a restart may repeat (never skip). */
    int MAX_SEEN_IN_OFFSET = 5_000;

    String PARTITION_KEY = "object";

    /** Listing objects created up to {@code t0}, newest first; {@code after} is the last id delivered, or null. */
    record Backfill(long t0, String after) implements StreamOffset {
    }

    /** Following events from {@code cursor}. */
    record Incremental(EventCursor cursor) implements StreamOffset {
    }

    /** The source partition of {@code object}'s stream. */
    static Map<String, String> partition(StripeObject object) {
        return Map.of(PARTITION_KEY, object.apiName());
    }

    /** This offset as Connect stores it. */
    default Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1);
        if (this instanceof Backfill b) {
            m.put("phase", "backfill");
            m.put("t0", b.t0());
            m.put("after", b.after());
        } else if (this instanceof Incremental i) {
            m.put("phase", "incremental");
            m.put("second", i.cursor().second());
            List<String> seen = i.cursor().seen();
            m.put("seen", String.join(",", seen.size() > MAX_SEEN_IN_OFFSET ? seen.subList(0, MAX_SEEN_IN_OFFSET)
                    : seen));
        }
        return m;
    }

    /**
     * Reads an offset Connect gives back (numbers may come back as any integral type).
     *
     * @throws ConnectException naming the object and the offending field when the offset is not one of ours
     */
    static StreamOffset fromMap(StripeObject object, Map<String, Object> offset) {
        String phase = String.valueOf(offset.get("phase"));
        try {
            return switch (phase) {
                case "backfill" -> new Backfill(number(offset, "t0"), optionalString(offset, "after"));
                case "incremental" -> new Incremental(new EventCursor(number(offset, "second"), strings(offset)));
                default -> throw new IllegalArgumentException("unknown phase '" + phase + "'");
            };
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new ConnectException("the stored offset of " + object.apiName() + " is not one this connector "
                    + "wrote (" + e.getMessage() + "): " + offset + ". Reset the connector's offsets "
                    + "(DELETE /connectors/<name>/offsets while it is stopped) to sync it again from the start");
        }
    }

    private static long number(Map<String, Object> offset, String key) {
        Object v = offset.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(key + " is not a number");
        }
        return n.longValue();
    }

    private static String optionalString(Map<String, Object> offset, String key) {
        Object v = offset.get(key);
        if (v != null && !(v instanceof String)) {
            throw new IllegalArgumentException(key + " is not a string");
        }
        return (String) v;
    }

    private static List<String> strings(Map<String, Object> offset) {
        Object v = offset.get("seen");
        if (v == null || "".equals(v)) {
            return List.of();
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("seen is not a string");
        }
        List<String> out = new ArrayList<>();
        for (String id : s.split(",")) {
            if (id.isBlank()) {
                throw new IllegalArgumentException("seen holds an empty id");
            }
            out.add(id);
        }
        return List.copyOf(out);
    }
}
