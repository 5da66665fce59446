package io.syncline.sandbox.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Every write clients applied to a sandbox, in application order, so tests can check "once" and "in order". */
public final class WriteLog {

    private final List<WriteRecord> records = new ArrayList<>();

    public synchronized void add(WriteRecord record) {
        records.add(record);
    }

    public synchronized List<WriteRecord> records() {
        return new ArrayList<>(records);
    }

    public synchronized List<WriteRecord> records(Predicate<WriteRecord> filter) {
        return records.stream().filter(filter).toList();
    }

    public synchronized void clear() {
        records.clear();
    }
}
