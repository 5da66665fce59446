package io.syncline.connect.payments;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns one reading of {@code GET /v1/events?created[gte]=<cursor second>} (pages newest first) into the events to
 * deliver, oldest first, each with the cursor that stands after it.
 *
 * <p>Memory is bounded: at most {@code cap} events are kept, the OLDEST ones (the newer ones are read again by the
 * next window). Every {@code cap}-th new event from the newest end leaves its second as a boundary, so the next
 * windows can be bounded above ({@code created[lte]}) and a backlog is read in about two passes instead of one pass
 * per window.
 *
 * <p>Events already delivered at the cursor's second (its {@code seen} ids) are dropped as they arrive, before they
 * can fill the buffer; so every reading that finds anything new moves the cursor forward and the reader cannot loop
 * on one second, however many events share it.
 */
final class EventCollector {

    /** One event to deliver and the cursor once it is delivered. */
    record Emitted(ListPage.Item event, EventCursor after) {
    }

    private final EventCursor from;
    private final Set<String> alreadySeen;
    private final int cap;
    private final ArrayDeque<ListPage.Item> oldest = new ArrayDeque<>();
    /** Ids of the events in {@link #oldest}: memory stays bounded by the cap, however long the reading. */
    private final Set<String> kept = new HashSet<>();
    private final List<Long> boundaries = new ArrayList<>();
    private long newEvents;
    private long repeated;
    private boolean truncated;

    EventCollector(EventCursor from, int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("cap must be positive, got " + cap);
        }
        this.from = from;
        this.alreadySeen = new HashSet<>(from.seen());
        this.cap = cap;
    }

    /** Takes the next listed event (pages in order, each newest first). */
    void offer(ListPage.Item event) {
        if (kept.contains(event.id())) {
            repeated++; // the same event on two pages: the list shifted under us, or the server repeated it
            return;
        }
        if (event.created() <= from.second() && alreadySeen.contains(event.id())) {
            return;
        }
        newEvents++;
        if (newEvents % cap == 0) {
            boundaries.add(event.created());
        }
        oldest.addLast(event);
        kept.add(event.id());
        if (oldest.size() > cap) {
            kept.remove(oldest.pollFirst().id());
            truncated = true;
        }
    }

    /** Whether newer events than the ones kept were dropped: the stream has more right now. */
    boolean truncated() {
        return truncated;
    }

    /** Events listed more than once in this reading while still kept (delivered once). */
    long repeated() {
        return repeated;
    }

    /** Seconds that split the new events into chunks of at most {@code cap}, ascending (only when truncated). */
    List<Long> boundaries() {
        List<Long> ascending = new ArrayList<>(boundaries);
        Collections.reverse(ascending);
        return ascending;
    }

    /**
     * The kept events oldest first, each with the cursor after it. The cursors of events sharing a second share one
     * array of ids, so a burst of n events in a second costs O(n), not O(n^2).
     */
    List<Emitted> emit() {
        List<ListPage.Item> ordered = new ArrayList<>(oldest);
        Collections.reverse(ordered);
        List<Emitted> out = new ArrayList<>(ordered.size());
        long second = from.second();
        String[] ids = from.seen().toArray(new String[0]);
        int count = ids.length;
        for (int i = 0; i < ordered.size(); i++) {
            ListPage.Item e = ordered.get(i);
            if (e.created() > second) {
                second = e.created();
                ids = new String[runLength(ordered, i)];
                count = 0;
            } else if (e.created() == second && count == ids.length) {
                ids = Arrays.copyOf(ids, count + runLength(ordered, i));
            }
            // An event older than the cursor's second (which created[gte] should never return) is delivered and
            // leaves the cursor where it is: nothing later can be skipped because of it.
            if (e.created() == second) {
                ids[count++] = e.id();
            }
            out.add(new Emitted(e, new EventCursor(second, Arrays.asList(ids).subList(0, count))));
        }
        return out;
    }

    /** How many events from {@code i} on share the second of event {@code i} (they are contiguous once ordered). */
    private static int runLength(List<ListPage.Item> ordered, int i) {
        long s = ordered.get(i).created();
        int n = 0;
        for (int j = i; j < ordered.size() && ordered.get(j).created() == s; j++) {
            n++;
        }
        return n;
    }
}
