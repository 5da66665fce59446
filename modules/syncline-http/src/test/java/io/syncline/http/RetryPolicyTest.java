package io.syncline.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Backoff arithmetic for each jitter strategy. */
class RetryPolicyTest {
    private final RetryPolicy exact = RetryPolicy.builder().jitter(RetryPolicy.Jitter.NONE)
            .baseDelay(Duration.ofMillis(100)).maxDelay(Duration.ofSeconds(1)).build();

    @Test
    void doublesFromTheBaseUpToTheCap() {
        assertThat(exact.backoff(1, null, () -> 0.5)).isEqualTo(Duration.ofMillis(100));
        assertThat(exact.backoff(2, null, () -> 0.5)).isEqualTo(Duration.ofMillis(200));
        assertThat(exact.backoff(4, null, () -> 0.5)).isEqualTo(Duration.ofMillis(800));
        assertThat(exact.backoff(5, null, () -> 0.5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(exact.backoff(500, null, () -> 0.5)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void fullJitterIsUniformBelowTheExponentialDelay() {
        RetryPolicy full = exact.toBuilder().jitter(RetryPolicy.Jitter.FULL).build();
        assertThat(full.backoff(3, null, () -> 0.0)).isEqualTo(Duration.ZERO);
        assertThat(full.backoff(3, null, () -> 0.5)).isEqualTo(Duration.ofMillis(200));
        assertThat(full.backoff(3, null, () -> 0.999)).isLessThan(Duration.ofMillis(400));
    }

    @Test
    void decorrelatedJitterGrowsFromThePreviousDelay() {
        RetryPolicy decorrelated = exact.toBuilder().jitter(RetryPolicy.Jitter.DECORRELATED).build();
        assertThat(decorrelated.backoff(1, Duration.ZERO, () -> 0.0)).isEqualTo(Duration.ofMillis(100));
        // Uniform in [base, previous * 3]: [100 ms, 600 ms] after a 200 ms wait.
        assertThat(decorrelated.backoff(2, Duration.ofMillis(200), () -> 1.0)).isEqualTo(Duration.ofMillis(600));
        assertThat(decorrelated.backoff(2, Duration.ofMillis(200), () -> 0.5)).isEqualTo(Duration.ofMillis(350));
        assertThat(decorrelated.backoff(9, Duration.ofSeconds(1), () -> 1.0)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void waitsAtLeastWhatTheServerAsksUpToTheCap() {
        assertThat(exact.delay(1, null, Optional.of(Duration.ofSeconds(7)), () -> 0.5))
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(exact.delay(5, null, Optional.of(Duration.ofMillis(10)), () -> 0.5))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(exact.delay(1, null, Optional.of(Duration.ofHours(2)), () -> 0.5))
                .isEqualTo(exact.maxRetryAfter());
    }

    @Test
    void hasTheDocumentedDefaults() {
        RetryPolicy d = RetryPolicy.defaults();
        assertThat(d.maxAttempts()).isEqualTo(6);
        assertThat(d.maxElapsed()).isEqualTo(Duration.ofMinutes(2));
        assertThat(d.baseDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(d.maxDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.jitter()).isEqualTo(RetryPolicy.Jitter.FULL);
        assertThat(d.maxRetryAfter()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void rejectsInvalidSettingsNamingThem() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
                .hasMessage("retry maxAttempts must be at least 1, got 0");
        assertThatThrownBy(() -> RetryPolicy.builder().baseDelay(Duration.ZERO))
                .hasMessage("retry baseDelay must be positive, got PT0S");
        assertThatThrownBy(() -> RetryPolicy.builder().baseDelay(Duration.ofSeconds(5))
                .maxDelay(Duration.ofSeconds(1)).build())
                .hasMessage("retry maxDelay (PT1S) must not be below baseDelay (PT5S)");
    }
}
