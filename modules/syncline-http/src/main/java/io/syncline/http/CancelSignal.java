package io.syncline.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A one-shot signal that wakes every wait tied to it (retry backoff, rate-limit waits) so a stopping task returns
 * promptly; {@link SynclineHttpClient#close()} fires its client's signal.
 */
public final class CancelSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition fired = lock.newCondition();
    private volatile boolean cancelled;

    /** Fires the signal: current and future waits return at once. */
    public void cancel() {
        lock.lock();
        try {
            cancelled = true;
            fired.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Waits up to {@code duration} in real time, returning early when the signal fires.
     *
     * @return true if the signal fired
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean await(Duration duration) throws InterruptedException {
        long remaining = duration.isNegative() ? 0 : saturatedNanos(duration);
        lock.lockInterruptibly();
        try {
            while (!cancelled && remaining > 0) {
                remaining = fired.awaitNanos(remaining);
            }
            return cancelled;
        } finally {
            lock.unlock();
        }
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return TimeUnit.DAYS.toNanos(365);
        }
    }
}
