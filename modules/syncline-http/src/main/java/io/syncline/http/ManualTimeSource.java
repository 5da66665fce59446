package io.syncline.http;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TimeSource} for tests: time moves only when someone sleeps or calls {@link #advance}, and every sleep is
 * recorded, so backoff and rate-limit tests are deterministic and instantaneous.
 */
public final class ManualTimeSource implements TimeSource {
    private final Instant start;
    private final AtomicLong nanos = new AtomicLong();
    private final List<Duration> sleeps = new ArrayList<>();

    /** Starts at the given wall-clock instant. */
    public ManualTimeSource(Instant start) {
        this.start = start;
    }

    /** Starts at 2026-01-01T00:00:00Z. */
    public ManualTimeSource() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public Instant now() {
        return start.plusNanos(nanos.get());
    }

    @Override
    public void sleep(Duration duration, CancelSignal signal) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        synchronized (sleeps) {
            sleeps.add(duration);
        }
        if (!signal.isCancelled()) {
            advance(duration);
        }
    }

    /** Moves time forward without a sleep being recorded. */
    public void advance(Duration duration) {
        nanos.addAndGet(CancelSignal.saturatedNanos(duration));
    }

    /** Every sleep so far, in order. */
    public List<Duration> sleeps() {
        synchronized (sleeps) {
            return List.copyOf(sleeps);
        }
    }

    /** The sum of all sleeps so far. */
    public Duration totalSlept() {
        return sleeps().stream().reduce(Duration.ZERO, Duration::plus);
    }
}
