package io.syncline.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How often and how long the client retries a {@link FailureKind#RETRY} failure: exponential backoff with jitter,
 * bounded by a number of attempts AND a total elapsed time, never waiting less than the server's Retry-After.
 *
 * <p>Defaults: 6 attempts, 2 minutes in all, 500 ms base delay doubling to at most 30 s, full jitter, Retry-After
 * honoured up to 2 minutes. Immutable; build with {@link #builder()}.
 */
public final class RetryPolicy {

    /** How the backoff delay is randomised so that many clients do not retry in lockstep. */
    public enum Jitter {
        /** No randomness: base * 2^(n-1), capped. Deterministic; only for tests and single clients. */
        NONE,
        /** "Full jitter": uniform in [0, min(max, base * 2^(n-1))]; the default (least total work under contention). */
        FULL,
        /** "Decorrelated jitter": uniform in [base, previous * 3], capped; grows more smoothly than full jitter. */
        DECORRELATED
    }

    private static final RetryPolicy DEFAULTS = builder().build();

    private final int maxAttempts;
    private final Duration maxElapsed;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Jitter jitter;
    private final Duration maxRetryAfter;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.maxElapsed = b.maxElapsed;
        this.baseDelay = b.baseDelay;
        this.maxDelay = b.maxDelay;
        this.jitter = b.jitter;
        this.maxRetryAfter = b.maxRetryAfter;
    }

    /** The defaults described on the class. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** One attempt, no retries (e.g. for a connector's live {@code validate()}). */
    public static RetryPolicy noRetries() {
        return builder().maxAttempts(1).build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this policy's values. */
    public Builder toBuilder() {
        return new Builder().maxAttempts(maxAttempts).maxElapsed(maxElapsed).baseDelay(baseDelay)
                .maxDelay(maxDelay).jitter(jitter).maxRetryAfter(maxRetryAfter);
    }

    /** Total attempts including the first (1 = no retries). */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** No retry starts after this much time since the first attempt; a wait that would end later is not begun. */
    public Duration maxElapsed() {
        return maxElapsed;
    }

    /** The first retry's delay scale. */
    public Duration baseDelay() {
        return baseDelay;
    }

    /** The largest computed backoff delay (Retry-After may ask for more, up to {@link #maxRetryAfter()}). */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** The jitter strategy. */
    public Jitter jitter() {
        return jitter;
    }

    /** The longest server-requested wait honoured; a longer Retry-After is capped to this. */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /**
     * The computed backoff before retry number {@code retry} (1 for the first retry).
     *
     * @param previous the previous delay (decorrelated jitter builds on it); ignored otherwise
     * @param random a source of uniform numbers in [0, 1)
     */
    public Duration backoff(int retry, Duration previous, DoubleSupplier random) {
        long base = baseDelay.toNanos();
        long cap = maxDelay.toNanos();
        long exponential = base;
        for (int i = 1; i < retry && exponential < cap; i++) {
            exponential = exponential > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : exponential * 2;
        }
        exponential = Math.min(exponential, cap);
        switch (jitter) {
            case NONE:
                return Duration.ofNanos(exponential);
            case FULL:
                return Duration.ofNanos((long) (random.getAsDouble() * exponential));
            case DECORRELATED:
                long prev = previous == null || previous.isZero() ? base : previous.toNanos();
                long upper = Math.max(base, Math.min(cap, prev > Long.MAX_VALUE / 3 ? Long.MAX_VALUE : prev * 3));
                return Duration.ofNanos(Math.min(cap, base + (long) (random.getAsDouble() * (upper - base))));
            default:
                throw new IllegalStateException("unknown jitter " + jitter);
        }
    }

    /** The delay before retry {@code retry}: the larger of the backoff and the (capped) server-requested wait. */
    public Duration delay(int retry, Duration previous, Optional<Duration> retryAfter, DoubleSupplier random) {
        Duration backoff = backoff(retry, previous, random);
        if (retryAfter.isEmpty()) {
            return backoff;
        }
        Duration asked = retryAfter.get().compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter.get();
        return asked.compareTo(backoff) > 0 ? asked : backoff;
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", maxElapsed=" + maxElapsed + ", baseDelay=" + baseDelay
                + ", maxDelay=" + maxDelay + ", jitter=" + jitter + ", maxRetryAfter=" + maxRetryAfter + "}";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RetryPolicy)) {
            return false;
        }
        RetryPolicy p = (RetryPolicy) o;
        return maxAttempts == p.maxAttempts && maxElapsed.equals(p.maxElapsed) && baseDelay.equals(p.baseDelay)
                && maxDelay.equals(p.maxDelay) && jitter == p.jitter && maxRetryAfter.equals(p.maxRetryAfter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxAttempts, maxElapsed, baseDelay, maxDelay, jitter, maxRetryAfter);
    }

    /** Builds a {@link RetryPolicy}; each setter checks its value and names the setting when it is invalid. */
    public static final class Builder {
        private int maxAttempts = 6;
        private Duration maxElapsed = Duration.ofMinutes(2);
        private Duration baseDelay = Duration.ofMillis(500);
        private Duration maxDelay = Duration.ofSeconds(30);
        private Jitter jitter = Jitter.FULL;
        private Duration maxRetryAfter = Duration.ofMinutes(2);

        private Builder() {
        }

        /** Total attempts including the first; at least 1. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("retry maxAttempts must be at least 1, got " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Time budget for all attempts and waits; positive. */
        public Builder maxElapsed(Duration maxElapsed) {
            this.maxElapsed = positive("maxElapsed", maxElapsed);
            return this;
        }

        /** First retry's delay scale; positive. */
        public Builder baseDelay(Duration baseDelay) {
            this.baseDelay = positive("baseDelay", baseDelay);
            return this;
        }

        /** Cap on the computed backoff; positive. */
        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = positive("maxDelay", maxDelay);
            return this;
        }

        /** The jitter strategy. */
        public Builder jitter(Jitter jitter) {
            this.jitter = Objects.requireNonNull(jitter, "jitter");
            return this;
        }

        /** Cap on a server-requested wait; zero or positive. */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            if (maxRetryAfter == null || maxRetryAfter.isNegative()) {
                throw new IllegalArgumentException("retry maxRetryAfter must be zero or positive, got " + maxRetryAfter);
            }
            this.maxRetryAfter = maxRetryAfter;
            return this;
        }

        /** The policy; fails when maxDelay is below baseDelay. */
        public RetryPolicy build() {
            if (maxDelay.compareTo(baseDelay) < 0) {
                throw new IllegalArgumentException(
                        "retry maxDelay (" + maxDelay + ") must not be below baseDelay (" + baseDelay + ")");
            }
            return new RetryPolicy(this);
        }

        private static Duration positive(String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("retry " + name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
