package io.syncline.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Token bucket and request budget on a manual clock: exact, and without waiting. */
class RateLimiterTest {
    private final ManualTimeSource time = new ManualTimeSource();
    private final CancelSignal never = new CancelSignal();

    @Test
    void tokenBucketAllowsTheBurstThenTheRate() {
        TokenBucket bucket = new TokenBucket(5, 3, false, time);

        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isFalse();
        assertThat(bucket.timeUntilAvailable()).isEqualTo(Duration.ofMillis(200));

        time.advance(Duration.ofMillis(200));
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isFalse();
    }

    @Test
    void tokenBucketSustainsExactlyItsRate() throws Exception {
        TokenBucket bucket = new TokenBucket(10, 1, false, time);
        int granted = 0;
        while (time.nanoTime() < Duration.ofSeconds(10).toNanos()) {
            assertThat(bucket.acquire(Duration.ofSeconds(1), time, never)).isTrue();
            granted++;
        }
        // One at t=0, then one every 100 ms up to and including t=10 s.
        assertThat(granted).isEqualTo(101);
        assertThat(time.sleeps()).allMatch(d -> d.equals(Duration.ofMillis(100)));
    }

    @Test
    void blockingAcquireGivesUpAtItsTimeout() throws Exception {
        TokenBucket bucket = new TokenBucket(0.5, 1, false, time);
        assertThat(bucket.tryAcquire()).isTrue();

        assertThat(bucket.acquire(Duration.ofSeconds(1), time, never)).isFalse();
        assertThat(time.sleeps()).isEmpty();
        assertThat(bucket.acquire(Duration.ofSeconds(2), time, never)).isTrue();
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void adaptiveBucketHalvesOn429AndRecoversOnSuccess() {
        TokenBucket bucket = new TokenBucket(8, 8, true, time);

        bucket.onRateLimited(Optional.empty());
        assertThat(bucket.currentRate()).isEqualTo(4.0);
        bucket.onRateLimited(Optional.empty());
        bucket.onRateLimited(Optional.empty());
        bucket.onRateLimited(Optional.empty());
        bucket.onRateLimited(Optional.empty());
        assertThat(bucket.currentRate()).as("floored at 1/16 of the rate").isEqualTo(0.5);

        for (int i = 0; i < 100; i++) {
            bucket.onSuccess();
        }
        assertThat(bucket.currentRate()).isEqualTo(8.0);
    }

    @Test
    void aRetryAfterPausesEveryoneSharingTheBucket() {
        TokenBucket bucket = new TokenBucket(100, 100, false, time);

        bucket.onRateLimited(Optional.of(Duration.ofSeconds(3)));

        assertThat(bucket.tryAcquire()).isFalse();
        assertThat(bucket.timeUntilAvailable()).isEqualTo(Duration.ofSeconds(3));
        time.advance(Duration.ofSeconds(3));
        assertThat(bucket.tryAcquire()).isTrue();
    }

    @Test
    void requestBudgetAllowsNPerRollingInterval() {
        RequestBudget budget = new RequestBudget(10, Duration.ofMinutes(1), time);
        for (int i = 0; i < 10; i++) {
            assertThat(budget.tryAcquire()).isTrue();
            time.advance(Duration.ofSeconds(1));
        }
        assertThat(budget.tryAcquire()).isFalse();
        assertThat(budget.remaining()).isZero();
        // The first permit was taken at t=0; it leaves the window at t=60 s, 50 s from now.
        assertThat(budget.timeUntilAvailable()).isEqualTo(Duration.ofSeconds(50));

        time.advance(Duration.ofSeconds(50));
        assertThat(budget.tryAcquire()).isTrue();
        assertThat(budget.tryAcquire()).isFalse();
        time.advance(Duration.ofSeconds(1));
        assertThat(budget.tryAcquire()).isTrue();
    }

    @Test
    void combinedLimitersGrantOnlyWhenAllCanAndTakeFromNoneOtherwise() {
        TokenBucket bucket = new TokenBucket(1, 1, false, time);
        RequestBudget budget = new RequestBudget(5, Duration.ofMinutes(1), time);
        RateLimiter both = RateLimiter.allOf(List.of(bucket, budget));

        assertThat(both.tryAcquire()).isTrue();
        assertThat(both.tryAcquire()).isFalse();
        assertThat(budget.remaining()).as("the refused attempt took nothing").isEqualTo(4);
        assertThat(both.timeUntilAvailable()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aCancelledSignalEndsTheWait() throws Exception {
        TokenBucket bucket = new TokenBucket(1, 1, false, time);
        bucket.tryAcquire();
        CancelSignal cancelled = new CancelSignal();
        cancelled.cancel();

        assertThat(bucket.acquire(Duration.ofMinutes(1), time, cancelled)).isFalse();
    }
}
