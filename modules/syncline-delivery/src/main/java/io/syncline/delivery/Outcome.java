package io.syncline.delivery;

import java.util.Objects;

/** What became of one change: delivered, dead-lettered with a reason, fatal for the task, or cancelled on stop. */
public record Outcome(Kind kind, DeliveryFailure failure) {

    /** The kinds of outcome. */
    public enum Kind {
        /** The target accepted it (2xx or an accepted status). */
        DELIVERED,
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
    }

    public static Outcome delivered() {
        return DELIVERED;
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
