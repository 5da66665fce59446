package io.syncline.delivery;

import java.util.Objects;

/**
 * What became of one change: delivered, skipped on purpose with a reason, dead-lettered with a reason, fatal for the
 * task, or cancelled on stop.
 *
 * @param skipReason why a {@link Kind#SKIPPED} change was not written (counted under it), else null
 */
public record Outcome(Kind kind, DeliveryFailure failure, String skipReason) {

    /** The kinds of outcome. */
    public enum Kind {
        /** The target accepted it (2xx or an accepted status). */
        DELIVERED,
        /**
         * Nothing was written on purpose, as the target showed when asked (an update-only sink whose object does not
         * exist): done, counted as skipped with its reason, its offset committed.
         */
        SKIPPED,
        /** The target rejected this change for good: it goes to the dead-letter queue with the reason. */
        DEAD_LETTER,
        /** The task cannot go on (credentials rejected, configuration wrong, retries exhausted): fail it. */
        FATAL,
        /** The sink is stopping; the change stays unfinished and is delivered after a restart. */
        CANCELLED
    }

    private static final Outcome DELIVERED = new Outcome(Kind.DELIVERED, null);
    private static final Outcome CANCELLED = new Outcome(Kind.CANCELLED, null);

    public Outcome {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.DEAD_LETTER || kind == Kind.FATAL) && failure == null) {
            throw new IllegalArgumentException(kind + " needs a failure");
        }
        if ((kind == Kind.SKIPPED) != (skipReason != null)) {
            throw new IllegalArgumentException("a skip reason goes with SKIPPED and only with it, got " + kind + " and "
                    + skipReason);
        }
    }

    public Outcome(Kind kind, DeliveryFailure failure) {
        this(kind, failure, null);
    }

    public static Outcome delivered() {
        return DELIVERED;
    }

    /** Nothing written on purpose, for {@code reason} (e.g. {@code no-ticket}); counted as skipped. */
    public static Outcome skipped(String reason) {
        return new Outcome(Kind.SKIPPED, null, Objects.requireNonNull(reason, "reason"));
    }

    public static Outcome cancelled() {
        return CANCELLED;
    }

    public static Outcome deadLetter(DeliveryFailure failure) {
        return new Outcome(Kind.DEAD_LETTER, failure);
    }

    public static Outcome fatal(DeliveryFailure failure) {
        return new Outcome(Kind.FATAL, failure);
    }
}
