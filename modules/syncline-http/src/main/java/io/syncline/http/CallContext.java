package io.syncline.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a call is for: its {@link CallLevel} (which decides what a 4xx means) and a short description that goes into
 * every failure message ({@code "page 3"}, {@code "upserting contact 42"}), plus optional per-call overrides.
 */
public final class CallContext {
    private final CallLevel level;
    private final String description;
    private final RetryPolicy retryPolicy;
    private final Duration rateLimitWait;
    private final RateLimiter limiter;

    private CallContext(CallLevel level, String description, RetryPolicy retryPolicy, Duration rateLimitWait,
                        RateLimiter limiter) {
        this.level = Objects.requireNonNull(level, "level");
        this.description = description == null ? "" : description;
        this.retryPolicy = retryPolicy;
        this.rateLimitWait = rateLimitWait;
        this.limiter = limiter;
    }

    /** A config-level call (listing, paging, validation): a 4xx means the configuration is wrong. */
    public static CallContext config(String description) {
        return new CallContext(CallLevel.CONFIG, description, null, null, null);
    }

    /** A per-record call (writing one change): a 4xx means this record is rejected, dead-letter it. */
    public static CallContext record(String description) {
        return new CallContext(CallLevel.RECORD, description, null, null, null);
    }

    /** The same context with another retry policy (e.g. {@link RetryPolicy#noRetries()} in validate()). */
    public CallContext withRetryPolicy(RetryPolicy policy) {
        return new CallContext(level, description, Objects.requireNonNull(policy, "policy"), rateLimitWait, limiter);
    }

    /**
     * The same context with another limit on waiting for a rate-limit permit; {@link Duration#ZERO} makes the call
     * non-blocking (it fails with {@link FailureRule#LOCAL_RATE_LIMIT} and a retry-after hint instead of waiting).
     */
    public CallContext withRateLimitWait(Duration wait) {
        if (wait == null || wait.isNegative()) {
            throw new IllegalArgumentException("rate limit wait must be zero or positive, got " + wait);
        }
        return new CallContext(level, description, retryPolicy, wait, limiter);
    }

    /**
     * The same context with a limit of its own on top of the target's: the call waits for a permit of both, and a 429
     * slows both down. For an endpoint the provider limits separately, such as HubSpot's search (a few requests per
     * second per account, below the rest of its API).
     */
    public CallContext withLimiter(RateLimiter extra) {
        return new CallContext(level, description, retryPolicy, rateLimitWait, Objects.requireNonNull(extra, "extra"));
    }

    /** The call's own limit, if any. */
    public Optional<RateLimiter> limiter() {
        return Optional.ofNullable(limiter);
    }

    /** The call level. */
    public CallLevel level() {
        return level;
    }

    /** The description ("" when none). */
    public String description() {
        return description;
    }

    /** The per-call retry policy, if overridden. */
    public Optional<RetryPolicy> retryPolicy() {
        return Optional.ofNullable(retryPolicy);
    }

    /** The per-call rate-limit wait, if overridden. */
    public Optional<Duration> rateLimitWait() {
        return Optional.ofNullable(rateLimitWait);
    }

    @Override
    public String toString() {
        return level + (description.isEmpty() ? "" : " (" + description + ")");
    }
}
