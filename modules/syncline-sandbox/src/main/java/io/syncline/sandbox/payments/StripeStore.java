package io.syncline.sandbox.payments;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The in-memory object store of the payments sandbox. Not thread-safe by itself: {@link StripeLedger} holds its
 * lock around every call.
 *
 * <p>Stored objects are copy-on-write: an update replaces the node, so a node handed out (in a response, an event)
 * never changes afterwards. Lists run newest first by {@code created}, ties broken by insertion order (later first),
 * a total order that does not change when objects are added, so {@code starting_after} paging neither skips nor
 * repeats an object that existed when paging began.
 */
final class StripeStore {

    /** One stored object. */
    static final class Entry {
        final String id;
        final String type;
        final long created;
        final long seq;
        ObjectNode object;
        boolean deleted;

        Entry(String id, String type, long created, long seq, ObjectNode object) {
            this.id = id;
            this.type = type;
            this.created = created;
            this.seq = seq;
            this.object = object;
        }
    }

    /** Bounds on {@code created}, each null when absent. */
    record CreatedRange(Long gt, Long gte, Long lt, Long lte) {
        static final CreatedRange ALL = new CreatedRange(null, null, null, null);

        boolean contains(long created) {
            return (gt == null || created > gt) && (gte == null || created >= gte)
                    && (lt == null || created < lt) && (lte == null || created <= lte);
        }

        /** True when {@code created} and everything older is below the lower bound. */
        boolean belowLower(long created) {
            return (gt != null && created <= gt) || (gte != null && created < gte);
        }

        /** True when {@code created} and everything newer is above the upper bound. */
        boolean aboveUpper(long created) {
            return (lt != null && created >= lt) || (lte != null && created > lte);
        }
    }

    record Page(List<ObjectNode> data, boolean hasMore) {
    }

    static final Comparator<Entry> NEWEST_FIRST = Comparator.<Entry>comparingLong(e -> e.created).reversed()
            .thenComparing(Comparator.<Entry>comparingLong(e -> e.seq).reversed());

    private final Map<String, Entry> byId = new HashMap<>();
    private final Map<String, NavigableSet<Entry>> byType = new HashMap<>();
    private final Map<String, List<String>> creationOrder = new LinkedHashMap<>();
    private long seq;

    Entry insert(String type, ObjectNode object) {
        String id = object.get("id").asText();
        if (byId.containsKey(id)) {
            throw new IllegalStateException("duplicate id " + id);
        }
        // Invoice items carry their creation time as "date"; their list filter "created" applies to it.
        long created = (object.has("created") ? object.get("created") : object.get("date")).asLong();
        Entry e = new Entry(id, type, created, ++seq, object);
        byId.put(id, e);
        byType.computeIfAbsent(type, t -> new TreeSet<>(NEWEST_FIRST)).add(e);
        creationOrder.computeIfAbsent(type, t -> new ArrayList<>()).add(id);
        return e;
    }

    Entry find(String id) {
        return id == null ? null : byId.get(id);
    }

    /** The entry with {@code id} of {@code type}, or null (also for an id of another type). */
    Entry find(String type, String id) {
        Entry e = find(id);
        return e != null && e.type.equals(type) ? e : null;
    }

    /** Removes an object from lists while keeping it retrievable (deleted customers) and positionable as a cursor. */
    void markDeleted(Entry e) {
        e.deleted = true;
    }

    /** Removes an object entirely (deleted drafts, deleted webhook endpoints). */
    void remove(Entry e) {
        byId.remove(e.id);
        NavigableSet<Entry> set = byType.get(e.type);
        if (set != null) {
            set.remove(e);
        }
        List<String> ids = creationOrder.get(e.type);
        if (ids != null) {
            ids.remove(e.id);
        }
    }

    Map<String, List<String>> idsByType() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        creationOrder.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }

    List<ObjectNode> all(String type) {
        NavigableSet<Entry> set = byType.get(type);
        if (set == null) {
            return List.of();
        }
        List<ObjectNode> out = new ArrayList<>();
        for (Iterator<Entry> it = set.descendingIterator(); it.hasNext();) {
            out.add(it.next().object);
        }
        return out;
    }

    /**
     * One page of {@code type}, newest first.
     *
     * @param startingAfter cursor entry (already resolved) or null
     * @param endingBefore  cursor entry or null; at most one of the two is set
     */
    Page page(String type, int limit, Entry startingAfter, Entry endingBefore, CreatedRange created,
              Predicate<ObjectNode> filter) {
        NavigableSet<Entry> set = byType.get(type);
        if (set == null) {
            return new Page(List.of(), false);
        }
        List<ObjectNode> out = new ArrayList<>(Math.min(limit + 1, 101));
        if (endingBefore == null) {
            NavigableSet<Entry> tail = startingAfter == null ? set : set.tailSet(startingAfter, false);
            for (Entry e : tail) {
                if (created.belowLower(e.created)) {
                    break;
                }
                if (accept(e, created, filter)) {
                    if (out.size() == limit) {
                        return new Page(out, true);
                    }
                    out.add(e.object);
                }
            }
            return new Page(out, false);
        }
        // ending_before: the page nearest the cursor on its newer side, still presented newest first.
        for (Iterator<Entry> it = set.headSet(endingBefore, false).descendingIterator(); it.hasNext();) {
            Entry e = it.next();
            if (created.aboveUpper(e.created)) {
                break;
            }
            if (accept(e, created, filter)) {
                if (out.size() == limit) {
                    Collections.reverse(out);
                    return new Page(out, true);
                }
                out.add(e.object);
            }
        }
        Collections.reverse(out);
        return new Page(out, false);
    }

    private static boolean accept(Entry e, CreatedRange created, Predicate<ObjectNode> filter) {
        return !e.deleted && created.contains(e.created) && filter.test(e.object);
    }
}
