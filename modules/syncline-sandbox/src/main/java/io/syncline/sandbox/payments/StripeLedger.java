package io.syncline.sandbox.payments;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.syncline.sandbox.payments.PaymentsEngine.Publisher;

/**
 * What every payments resource shares: the object store, the event emitter, the clock and account, and the one lock
 * that guards them.
 *
 * <p>One lock for all resources on purpose: operations cross resources (paying an invoice creates a payment intent
 * and a charge; a refund changes its charge), and Stripe shows each operation's objects and events as one atomic
 * step. Events are published after the lock is released, in the order they were created.
 */
final class StripeLedger {

    private final ReentrantLock lock = new ReentrantLock();
    private final StripeStore store = new StripeStore();
    private final StripeEvents events;
    private final Clock clock;
    private final boolean livemode;
    private final String accountId;

    StripeLedger(Clock clock, boolean livemode, String accountId, Publisher publisher) {
        this.clock = clock;
        this.livemode = livemode;
        this.accountId = accountId;
        this.events = new StripeEvents(store, clock, livemode, publisher);
    }

    /** Runs a read under the lock. */
    <T> T read(Supplier<T> op) {
        lock.lock();
        try {
            return op.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs a change under the lock, then publishes the events it created (also when it failed halfway). */
    <T> T write(Supplier<T> op) {
        lock.lock();
        List<StripeEvents.Outgoing> toPublish = List.of();
        try {
            return op.get();
        } finally {
            if (lock.getHoldCount() == 1) {
                toPublish = events.drain();
            }
            lock.unlock();
            events.publish(toPublish);
        }
    }

    StripeStore store() {
        return store;
    }

    StripeEvents events() {
        return events;
    }

    boolean livemode() {
        return livemode;
    }

    String accountId() {
        return accountId;
    }

    /** The clock's time in Unix seconds, Stripe's {@code created}. */
    long now() {
        return clock.instant().getEpochSecond();
    }

    /** The live object of {@code type}, or Stripe's {@code resource_missing} error naming {@code param}. */
    StripeStore.Entry require(String type, String what, String id, String param, boolean inPath) {
        StripeStore.Entry e = store.find(type, id);
        if (e == null || e.deleted) {
            throw StripeErrors.noSuch(what, id, param, inPath);
        }
        return e;
    }
}
