package io.syncline.http;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A client-side limit on how fast we call one target: {@link TokenBucket} (rate and burst), {@link RequestBudget}
 * (N requests per interval) or both ({@link #allOf}).
 */
public interface RateLimiter {

    /** Takes a permit if one is available now; never blocks. */
    boolean tryAcquire();

    /** How long until a permit may be available (zero when one is available now). */
    Duration timeUntilAvailable();

    /** The target answered 429: slow down (and pause for {@code retryAfter} when given). Default: nothing. */
    default void onRateLimited(Optional<Duration> retryAfter) {
    }

    /** A call succeeded: recover from an earlier slow-down. Default: nothing. */
    default void onSuccess() {
    }

    /**
     * Waits for a permit for at most {@code timeout}.
     *
     * @return true if a permit was taken; false on timeout or when {@code signal} fired
     * @throws InterruptedException if interrupted while waiting
     */
    default boolean acquire(Duration timeout, TimeSource time, CancelSignal signal) throws InterruptedException {
        long deadline = time.nanoTime() + CancelSignal.saturatedNanos(timeout);
        boolean blocked = false;
        while (true) {
            if (tryAcquire()) {
                return true;
            }
            if (!blocked) {
                blocked = true;
                onBlocked();
            }
            long remaining = deadline - time.nanoTime();
            Duration wait = timeUntilAvailable();
            if (signal.isCancelled() || remaining <= 0 || CancelSignal.saturatedNanos(wait) > remaining) {
                return false;
            }
            // At least a millisecond, so a bucket that rounds its wait down cannot spin.
            time.sleep(wait.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : wait, signal);
        }
    }

    /**
     * Called once per {@link #acquire} that found no permit at once and so waits (or gives up): lets a limiter count
     * the requests it held back, once each however many times the wait loop asks.
     */
    default void onBlocked() {
    }

    /** No limit at all. */
    static RateLimiter unlimited() {
        return Unlimited.INSTANCE;
    }

    /** A limiter that grants a permit only when every one of {@code limiters} can. */
    static RateLimiter allOf(List<RateLimiter> limiters) {
        if (limiters.isEmpty()) {
            return unlimited();
        }
        return limiters.size() == 1 ? limiters.get(0) : new AllOf(List.copyOf(limiters));
    }

    /** The unlimited limiter. */
    final class Unlimited implements RateLimiter {
        static final Unlimited INSTANCE = new Unlimited();

        private Unlimited() {
        }

        @Override
        public boolean tryAcquire() {
            return true;
        }

        @Override
        public Duration timeUntilAvailable() {
            return Duration.ZERO;
        }
    }

    /** Grants when every member grants; takes from none unless all have a permit now. */
    final class AllOf implements RateLimiter {
        private final List<RateLimiter> members;

        AllOf(List<RateLimiter> members) {
            this.members = members;
        }

        @Override
        public synchronized boolean tryAcquire() {
            for (RateLimiter member : members) {
                if (!member.timeUntilAvailable().isZero()) {
                    return false;
                }
            }
            boolean all = true;
            for (RateLimiter member : members) {
                all &= member.tryAcquire();
            }
            return all;
        }

        @Override
        public synchronized Duration timeUntilAvailable() {
            Duration longest = Duration.ZERO;
            for (RateLimiter member : members) {
                Duration d = member.timeUntilAvailable();
                longest = d.compareTo(longest) > 0 ? d : longest;
            }
            return longest;
        }

        @Override
        public void onRateLimited(Optional<Duration> retryAfter) {
            members.forEach(m -> m.onRateLimited(retryAfter));
        }

        /** Told to the members that have no permit now: the ones that held the request back. */
        @Override
        public synchronized void onBlocked() {
            for (RateLimiter member : members) {
                if (!member.timeUntilAvailable().isZero()) {
                    member.onBlocked();
                }
            }
        }

        @Override
        public void onSuccess() {
            members.forEach(RateLimiter::onSuccess);
        }
    }
}
