package io.syncline.sandbox.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Allows at most {@code maxRequests} per rolling {@code window} for each key (an account, a token); rejected requests
 * do not count. This is how HubSpot's {@code TEN_SECONDLY_ROLLING} policy behaves and close enough to Stripe's
 * per-second limiter. Limits can be changed at runtime; {@code maxRequests = 0} disables limiting.
 */
public final class RollingWindowRateLimiter {

    private final LongSupplier nanoTime;
    private final Map<String, ArrayDeque<Long>> windows = new HashMap<>();
    private int maxRequests;
    private long windowNanos;

    public RollingWindowRateLimiter(int maxRequests, Duration window) {
        this(maxRequests, window, System::nanoTime);
    }

    RollingWindowRateLimiter(int maxRequests, Duration window, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        configure(maxRequests, window);
    }

    /** Changes the limit; counts already taken stay in their window. */
    public synchronized void configure(int maxRequests, Duration window) {
        if (maxRequests < 0) {
            throw new IllegalArgumentException("rate limit must be 0 (off) or a positive number of requests, got "
                    + maxRequests);
        }
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("rate limit window must be positive, got " + window);
        }
        this.maxRequests = maxRequests;
        this.windowNanos = window.toNanos();
    }

    public synchronized int maxRequests() {
        return maxRequests;
    }

    public synchronized Duration window() {
        return Duration.ofNanos(windowNanos);
    }

    /**
     * Takes one request from {@code key}'s window.
     *
     * @return {@link Duration#ZERO} when allowed, otherwise how long until the oldest counted request leaves the window
     */
    public synchronized Duration tryAcquire(String key) {
        if (maxRequests == 0) {
            return Duration.ZERO;
        }
        long now = nanoTime.getAsLong();
        ArrayDeque<Long> window = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (!window.isEmpty() && now - window.peekFirst() >= windowNanos) {
            window.removeFirst();
        }
        if (window.size() >= maxRequests) {
            long wait = windowNanos - (now - window.peekFirst());
            return Duration.ofNanos(Math.max(wait, 1));
        }
        window.addLast(now);
        return Duration.ZERO;
    }

    /** How many more requests {@code key} may make in its current window (the limit when limiting is off). */
    public synchronized int remaining(String key) {
        ArrayDeque<Long> window = windows.get(key);
        if (maxRequests == 0 || window == null) {
            return maxRequests;
        }
        long now = nanoTime.getAsLong();
        long counted = window.stream().filter(t -> now - t < windowNanos).count();
        return (int) Math.max(0, maxRequests - counted);
    }
}
