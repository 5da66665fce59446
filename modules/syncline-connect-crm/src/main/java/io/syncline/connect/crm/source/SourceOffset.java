package io.syncline.connect.crm.source;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * Where one object type's reading stands, as kept in Connect's offsets (source partition {@code {"object":"contact"}}):
 *
 * <pre>
 * {"v":1,"phase":"backfill","t0":1717000000000,"after":"4711"}     listing live objects; next page at cursor 4711
 * {"v":1,"phase":"incremental","ts":1717000042000,"id":4711,        changes done through (ts, id), see {@link Cursor}
 *  "archivedSince":1716999990000,"archivedSeen":"4702@1717000001000", archived objects written up to archivedSince,
 *  "sweepStarted":null,"sweepAfter":null}                              and those after it already written
 * </pre>
 *
 * All times are epoch milliseconds of the server's clock. A backfill's t0 also says where the incremental reading
 * begins (changes modified after t0), and where the first pass over archived objects begins (archived after t0).
 */
sealed interface SourceOffset {

    String PARTITION_KEY = "object";

    /** Listing live objects with their state at the time of listing; {@code after} is the next page's cursor or null. */
    record Backfill(long t0, String after) implements SourceOffset {
    }

    /** At most this many archived objects go into {@code archivedSeen}; past it a restart may repeat (never skip). */
    int MAX_SEEN_IN_OFFSET = 1_000;

    /**
     * Following changes from {@code cursor}; archived objects are written up to {@code archivedSince}, and those
     * archived after it already written are in {@code archivedSeen} ({@code <id>@<archivedAt>}: passes overlap); a
     * pass over the archived list may be under way ({@code sweep}, else null).
     */
    record Incremental(Cursor cursor, long archivedSince, java.util.Set<String> archivedSeen, Sweep sweep)
            implements SourceOffset {
        public Incremental {
            archivedSeen = java.util.Set.copyOf(archivedSeen);
        }

        /** The same position with another cursor. */
        Incremental at(Cursor next) {
            return new Incremental(next, archivedSince, archivedSeen, sweep);
        }
    }

    /**
     * Every object whose (last-modified, id) is at or before {@code (ts, id)} has been written, ordered by time and
     * then id; {@code id = -1} means none at {@code ts} yet. Objects sharing a time are read by id, so however many
     * share one millisecond none is lost or read twice.
     */
    record Cursor(long ts, long id) {
        static Cursor before(long ts) {
            return new Cursor(ts, -1);
        }
    }

    /** A pass over the archived list that began at server time {@code startedAt} and continues at {@code after}. */
    record Sweep(long startedAt, String after) {
    }

    /** The source partition of {@code type}'s reading. */
    static Map<String, String> partition(CrmObjectType type) {
        return Map.of(PARTITION_KEY, type.singular());
    }

    /** This offset as Connect stores it (primitive values only). */
    default Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1);
        if (this instanceof Backfill b) {
            m.put("phase", "backfill");
            m.put("t0", b.t0());
            m.put("after", b.after());
        } else if (this instanceof Incremental i) {
            m.put("phase", "incremental");
            m.put("ts", i.cursor().ts());
            m.put("id", i.cursor().id());
            m.put("archivedSince", i.archivedSince());
            m.put("archivedSeen", String.join(",", i.archivedSeen().stream().sorted().limit(MAX_SEEN_IN_OFFSET)
                    .toList()));
            m.put("sweepStarted", i.sweep() == null ? null : i.sweep().startedAt());
            m.put("sweepAfter", i.sweep() == null ? null : i.sweep().after());
        }
        return m;
    }

    /**
     * Reads an offset Connect gives back (numbers may come back as any integral type).
     *
     * @throws ConnectException naming the type and the offending field when the offset is not one of ours
     */
    static SourceOffset fromMap(CrmObjectType type, Map<String, ?> offset) {
        String phase = String.valueOf(offset.get("phase"));
        try {
            return switch (phase) {
                case "backfill" -> new Backfill(number(offset, "t0"), optionalString(offset, "after"));
                case "incremental" -> {
                    Object started = offset.get("sweepStarted");
                    Sweep sweep = started == null ? null : new Sweep(number(offset, "sweepStarted"),
                            optionalString(offset, "sweepAfter"));
                    long ts = number(offset, "ts");
                    long id = number(offset, "id");
                    if (id < -1) {
                        throw new IllegalArgumentException("id " + id + " is below -1");
                    }
                    yield new Incremental(new Cursor(ts, id), number(offset, "archivedSince"), seen(offset), sweep);
                }
                default -> throw new IllegalArgumentException("unknown phase '" + phase + "'");
            };
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new ConnectException("the stored offset of " + type.singular() + " is not one this connector "
                    + "wrote (" + e.getMessage() + "): " + offset + ". Reset the connector's offsets "
                    + "(DELETE /connectors/<name>/offsets while it is stopped) to read it again from the start");
        }
    }

    private static java.util.Set<String> seen(Map<String, ?> offset) {
        Object v = offset.get("archivedSeen");
        if (v == null || "".equals(v)) {
            return java.util.Set.of();
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("archivedSeen is not a string");
        }
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String entry : s.split(",")) {
            if (!entry.matches("[^@,]+@\\d+")) {
                throw new IllegalArgumentException("archivedSeen holds '" + entry + "', not <id>@<archivedAt>");
            }
            out.add(entry);
        }
        return out;
    }

    private static long number(Map<String, ?> offset, String key) {
        Object v = offset.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(key + " is not a number");
        }
        return n.longValue();
    }

    private static String optionalString(Map<String, ?> offset, String key) {
        Object v = offset.get(key);
        if (v != null && !(v instanceof String)) {
            throw new IllegalArgumentException(key + " is not a string");
        }
        return (String) v;
    }
}
