package io.syncline.connect.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * Where one object type's export stands, as kept in Connect's offsets (source partition {@code {"object":"ticket"}}):
 * the request that reads the next page, and how much of that page is already delivered.
 *
 * <pre>
 * {"v":1,"cursor":"MTcxNzAwMDAwMC4wfHw0Mnw"}                         cursor export: the next page is ?cursor=...
 * {"v":1,"start_time":1717000000,"seen":"812,813"}                   time export (or a cursor export's first page):
 *                                                                     ?start_time=..., dropping the ids listed, which
 *                                                                     were delivered with that very second
 * {"v":1,"cursor":"…","done":250,"last":"4711"}                      250 items of that page delivered, the last 4711
 * </pre>
 *
 * Connect offsets hold only primitive values, so the ids are one comma-separated string (Zendesk ids never hold
 * commas; an item without an id is named by a {@code sha256:} digest). A page read again after a restart may have
 * shifted (an object changed since moves to the end of the export); {@code last} finds the place again, and when it
 * is gone the page is delivered again from its start: repeats, never gaps.
 */
record ExportOffset(Request request, int done, String last) {

    /** At most this many ids of one second go into an offset; past it a restart may repeat (never skip) the rest. */
    static final int MAX_SEEN_IN_OFFSET = 5_000;

    static final String PARTITION_KEY = "object";

    /** The request for the next page. */
    sealed interface Request {
    }

    /** A cursor-based export's {@code ?cursor=}. */
    record Cursor(String cursor) implements Request {
    }

    /** {@code ?start_time=}, without the ids in {@code seen}, which were delivered with that second already. */
    record Start(long startTime, List<String> seen) implements Request {
        Start {
            seen = List.copyOf(seen);
        }
    }

    /** The beginning of a page: nothing of it delivered yet. */
    static ExportOffset at(Request request) {
        return new ExportOffset(request, 0, null);
    }

    /** The source partition of {@code object}'s export. */
    static Map<String, String> partition(ZendeskObject object) {
        return Map.of(PARTITION_KEY, object.apiName());
    }

    /** This offset as Connect stores it. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1);
        if (request instanceof Cursor c) {
            m.put("cursor", c.cursor());
        } else if (request instanceof Start s) {
            m.put("start_time", s.startTime());
            List<String> seen = s.seen();
            m.put("seen", String.join(",", seen.size() > MAX_SEEN_IN_OFFSET
                    ? seen.subList(seen.size() - MAX_SEEN_IN_OFFSET, seen.size()) : seen));
        }
        if (done > 0) {
            m.put("done", done);
            m.put("last", last);
        }
        return m;
    }

    /**
     * Reads an offset Connect gives back (numbers may come back as any integral type).
     *
     * @throws ConnectException naming the object and the offending field when the offset is not one of ours
     */
    static ExportOffset fromMap(ZendeskObject object, Map<String, Object> offset) {
        try {
            Object version = offset.get("v");
            if (!(version instanceof Number n) || n.intValue() != 1) {
                throw new IllegalArgumentException("v is not 1");
            }
            Request request;
            if (offset.get("cursor") != null) {
                if (!(offset.get("cursor") instanceof String c) || c.isBlank()) {
                    throw new IllegalArgumentException("cursor is not a string");
                }
                if (!object.cursorBased()) {
                    throw new IllegalArgumentException("a cursor for " + object.exportName() + ", whose export is "
                            + "time-based");
                }
                request = new Cursor(c);
            } else {
                request = new Start(number(offset, "start_time"), strings(offset.get("seen")));
            }
            int done = offset.get("done") == null ? 0 : (int) number(offset, "done");
            String last = offset.get("last") == null ? null : String.valueOf(offset.get("last"));
            if (done < 0 || done > 0 && (last == null || last.isBlank())) {
                throw new IllegalArgumentException("done without last, or negative");
            }
            return new ExportOffset(request, done, last);
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
        if (n.longValue() < 0) {
            throw new IllegalArgumentException(key + " is negative");
        }
        return n.longValue();
    }

    private static List<String> strings(Object v) {
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
