package io.syncline.http;

import java.time.Duration;
import java.util.Optional;

/**
 * At most {@code maxRequests} in any rolling {@code interval} (e.g. Zendesk's 10 incremental exports a minute,
 * HubSpot's 100 per 10 s): a sliding log of the last permits' times.
 */
public final class RequestBudget implements RateLimiter {
    private final int maxRequests;
    private final long intervalNanos;
    private final TimeSource time;
    // Ring buffer of the times permits were taken; head is the oldest.
    private final long[] taken;
    private int head;
    private int count;
    private long pausedUntil;

    /**
     * Creates an unused budget.
     *
     * @param maxRequests permits per interval, at least 1
     * @param interval the rolling window, positive
     * @param time the clock
     */
    public RequestBudget(int maxRequests, Duration interval, TimeSource time) {
        if (maxRequests < 1) {
            throw new IllegalArgumentException("request budget max requests must be at least 1, got " + maxRequests);
        }
        if (interval == null || interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("request budget interval must be positive, got " + interval);
        }
        this.maxRequests = maxRequests;
        this.intervalNanos = CancelSignal.saturatedNanos(interval);
        this.time = time;
        this.taken = new long[maxRequests];
        this.pausedUntil = time.nanoTime();
    }

    @Override
    public synchronized boolean tryAcquire() {
        long now = evict();
        if (count >= maxRequests || now - pausedUntil < 0) {
            return false;
        }
        taken[(head + count) % maxRequests] = now;
        count++;
        return true;
    }

    @Override
    public synchronized Duration timeUntilAvailable() {
        long now = evict();
        long pause = Math.max(0, pausedUntil - now);
        if (count < maxRequests) {
            return Duration.ofNanos(pause);
        }
        return Duration.ofNanos(Math.max(pause, taken[head] + intervalNanos - now));
    }

    @Override
    public synchronized void onRateLimited(Optional<Duration> retryAfter) {
        retryAfter.ifPresent(wait -> {
            long until = time.nanoTime() + CancelSignal.saturatedNanos(wait);
            if (until - pausedUntil > 0) {
                pausedUntil = until;
            }
        });
    }

    /** Permits left in the current window. */
    public synchronized int remaining() {
        evict();
        return maxRequests - count;
    }

    private long evict() {
        long now = time.nanoTime();
        while (count > 0 && now - taken[head] >= intervalNanos) {
            head = (head + 1) % maxRequests;
            count--;
        }
        return now;
    }

    @Override
    public String toString() {
        return "RequestBudget{" + maxRequests + " per " + Duration.ofNanos(intervalNanos) + "}";
    }
}
