package io.syncline.sandbox.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every write clients applied to a sandbox, in application order, so tests can check "once" and "in order"; and how
 * many writes the sandbox recognised as already applied (a repeated {@code objectWriteTraceId}) and did not apply.
 */
public final class WriteLog {

    private final List<WriteRecord> records = new ArrayList<>();
    private long repeated;

    public synchronized void add(WriteRecord record) {
        records.add(record);
    }

    /** One write was not applied because its trace id was applied before. */
    public synchronized void repeated() {
        repeated++;
    }

    /** Writes not applied because their trace id had been applied before (since the last {@link #clear}). */
    public synchronized long repeatedCount() {
        return repeated;
    }

    public synchronized List<WriteRecord> records() {
        return new ArrayList<>(records);
    }

    public synchronized List<WriteRecord> records(Predicate<WriteRecord> filter) {
        return records.stream().filter(filter).toList();
    }

    public synchronized void clear() {
        records.clear();
        repeated = 0;
    }
}
