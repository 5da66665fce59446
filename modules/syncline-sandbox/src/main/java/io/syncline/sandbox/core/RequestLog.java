package io.syncline.sandbox.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A bounded, thread-safe log of the latest API requests a sandbox answered, for tests and the admin API. */
public final class RequestLog {

    private final int capacity;
    private final ArrayDeque<RequestRecord> records = new ArrayDeque<>();
    private long total;

    public RequestLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("request log capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    public synchronized void add(RequestRecord record) {
        if (records.size() == capacity) {
            records.removeFirst();
        }
        records.addLast(record);
        total++;
    }

    /** The kept records, oldest first. */
    public synchronized List<RequestRecord> records() {
        return new ArrayList<>(records);
    }

    public synchronized List<RequestRecord> records(Predicate<RequestRecord> filter) {
        return records.stream().filter(filter).toList();
    }

    /** How many requests were answered since the start or the last {@link #clear()}, including dropped ones. */
    public synchronized long total() {
        return total;
    }

    public synchronized void clear() {
        records.clear();
        total = 0;
    }
}
