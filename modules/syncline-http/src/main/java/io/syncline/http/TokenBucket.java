package io.syncline.http;

import java.time.Duration;
import java.util.Optional;

/**
 * A token bucket: {@code ratePerSecond} permits a second on average, up to {@code burst} at once; optionally
 * adaptive, halving its rate on every 429 and creeping back up as calls succeed.
 */
public final class TokenBucket implements RateLimiter {
    // Adaptive slow-down never goes below this fraction of the configured rate.
    private static final double MIN_RATE_FRACTION = 1.0 / 16;
    // Each success gives back this fraction of the configured rate (additive increase).
    private static final double RECOVERY_FRACTION = 0.05;

    private final double configuredRate;
    private final double burst;
    private final boolean adaptive;
    private final TimeSource time;

    private double rate;
    private double tokens;
    private long lastRefill;
    private long pausedUntil;

    /**
     * Creates a full bucket.
     *
     * @param ratePerSecond average permits per second, positive
     * @param burst the most permits available at once, at least 1
     * @param adaptive whether 429s slow the bucket down
     * @param time the clock
     */
    public TokenBucket(double ratePerSecond, int burst, boolean adaptive, TimeSource time) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate limit requests per second must be positive, got " + ratePerSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("rate limit burst must be at least 1, got " + burst);
        }
        this.configuredRate = ratePerSecond;
        this.rate = ratePerSecond;
        this.burst = burst;
        this.adaptive = adaptive;
        this.time = time;
        this.tokens = burst;
        this.lastRefill = time.nanoTime();
        this.pausedUntil = lastRefill;
    }

    @Override
    public synchronized boolean tryAcquire() {
        long now = refill();
        if (now - pausedUntil < 0 || tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    @Override
    public synchronized Duration timeUntilAvailable() {
        long now = refill();
        long pause = Math.max(0, pausedUntil - now);
        if (tokens >= 1) {
            return Duration.ofNanos(pause);
        }
        long refillNanos = (long) Math.ceil((1 - tokens) / rate * 1e9);
        return Duration.ofNanos(Math.max(pause, refillNanos));
    }

    @Override
    public synchronized void onRateLimited(Optional<Duration> retryAfter) {
        long now = refill();
        if (adaptive) {
            rate = Math.max(configuredRate * MIN_RATE_FRACTION, rate / 2);
            tokens = Math.min(tokens, 0);
        }
        if (retryAfter.isPresent()) {
            // Everyone sharing this target waits, not just the caller that saw the 429.
            long until = now + CancelSignal.saturatedNanos(retryAfter.get());
            if (until - pausedUntil > 0) {
                pausedUntil = until;
            }
        }
    }

    @Override
    public synchronized void onSuccess() {
        if (adaptive && rate < configuredRate) {
            refill();
            rate = Math.min(configuredRate, rate + configuredRate * RECOVERY_FRACTION);
        }
    }

    /** The current rate in permits per second (below the configured one after 429s when adaptive). */
    public synchronized double currentRate() {
        return rate;
    }

    /** The configured rate. */
    public double configuredRate() {
        return configuredRate;
    }

    /** Permits available now (fractional). */
    public synchronized double availableTokens() {
        refill();
        return tokens;
    }

    private long refill() {
        long now = time.nanoTime();
        long elapsed = now - lastRefill;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * rate / 1e9);
            lastRefill = now;
        }
        return now;
    }

    @Override
    public String toString() {
        return "TokenBucket{rate=" + configuredRate + "/s, burst=" + (int) burst + ", adaptive=" + adaptive + "}";
    }
}
