package io.syncline.sandbox.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock tests can set and advance, so token expiry and {@code created} timestamps are exercised without waiting.
 * It either stands still at a set instant or, after {@link #tick()}, follows the system clock from an offset.
 */
public final class MutableClock extends Clock {

    private record State(Instant fixed, Duration offset) {
    }

    private final AtomicReference<State> state;

    private MutableClock(State state) {
        this.state = new AtomicReference<>(state);
    }

    /** A clock standing still at {@code instant} until advanced. */
    public static MutableClock fixedAt(Instant instant) {
        return new MutableClock(new State(instant, null));
    }

    /** A clock that follows the system clock, shiftable with {@link #advance(Duration)}. */
    public static MutableClock system() {
        return new MutableClock(new State(null, Duration.ZERO));
    }

    public void advance(Duration by) {
        state.updateAndGet(s -> s.fixed != null ? new State(s.fixed.plus(by), null) : new State(null, s.offset.plus(by)));
    }

    public void set(Instant instant) {
        state.set(new State(instant, null));
    }

    /** Lets a standing clock run with the system clock from where it stands. */
    public void tick() {
        state.updateAndGet(s -> s.fixed == null ? s : new State(null, Duration.between(Instant.now(), s.fixed)));
    }

    @Override
    public Instant instant() {
        State s = state.get();
        return s.fixed != null ? s.fixed : Instant.now().plus(s.offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the sandbox clock is always UTC");
    }
}
