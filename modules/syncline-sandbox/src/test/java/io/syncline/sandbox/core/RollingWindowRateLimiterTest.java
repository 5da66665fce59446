package io.syncline.sandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RollingWindowRateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RollingWindowRateLimiter limiter =
            new RollingWindowRateLimiter(3, Duration.ofSeconds(10), now::get);

    @Test
    void allowsTheLimitPerRollingWindowAndSaysHowLongToWait() {
        assertThat(limiter.tryAcquire("a")).isZero();
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(limiter.tryAcquire("a")).isZero();
        assertThat(limiter.tryAcquire("a")).isZero();
        assertThat(limiter.tryAcquire("a")).isEqualTo(Duration.ofSeconds(6));
        // The first request leaves the window 10 s after it was made; rejected requests did not count.
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        assertThat(limiter.tryAcquire("a")).isZero();
        assertThat(limiter.tryAcquire("a")).isPositive();
    }

    @Test
    void keysHaveSeparateWindows() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire("a");
        }
        assertThat(limiter.tryAcquire("a")).isPositive();
        assertThat(limiter.tryAcquire("b")).isZero();
    }

    @Test
    void zeroTurnsLimitingOffAndBadLimitsAreRejected() {
        limiter.configure(0, Duration.ofSeconds(1));
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.tryAcquire("a")).isZero();
        }
        assertThatThrownBy(() -> limiter.configure(-1, Duration.ofSeconds(1))).hasMessageContaining("-1");
        assertThatThrownBy(() -> limiter.configure(1, Duration.ZERO)).hasMessageContaining("window");
    }
}
