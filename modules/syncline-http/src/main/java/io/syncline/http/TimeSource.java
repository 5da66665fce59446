package io.syncline.http;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the client reads the time and how it waits, so tests can run backoff and rate limits without waiting in
 * real time ({@link ManualTimeSource}).
 */
public interface TimeSource {

    /** The real clock; waits park on the cancel signal's condition (never {@code Thread.sleep}). */
    TimeSource SYSTEM = new TimeSource() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration duration, CancelSignal signal) throws InterruptedException {
            signal.await(duration);
        }
    };

    /** A monotonic reading in nanoseconds, for elapsed time. */
    long nanoTime();

    /** Wall-clock time, for HTTP dates. */
    Instant now();

    /**
     * Waits for {@code duration}, or less when {@code signal} fires.
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    void sleep(Duration duration, CancelSignal signal) throws InterruptedException;
}
