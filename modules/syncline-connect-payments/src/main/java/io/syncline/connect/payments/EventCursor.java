package io.syncline.connect.payments;

import java.util.Collections;
import java.util.List;

/**
 * A position in one object type's event stream: every event created before {@code second} (unix seconds) has been
 * delivered, and of the events created in {@code second}, exactly those in {@code seen}.
 *
 * <p>Stripe's {@code created} has one-second resolution and its lists have no stable order within a second, so a
 * reader resumes with {@code created[gte]=second} and skips the ids in {@code seen}: no event of that second is lost
 * however many share it, and none is delivered twice.
 */
record EventCursor(long second, List<String> seen) {

    /** {@code seen} must not change afterwards (cursors of one second share a prefix of one array). */
    EventCursor {
        seen = seen == null ? List.of() : Collections.unmodifiableList(seen);
    }

    /** A cursor at the start of {@code second}: nothing of that second delivered yet. */
    static EventCursor startOf(long second) {
        return new EventCursor(second, List.of());
    }
}
