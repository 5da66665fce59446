package io.syncline.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LatencyWindowTest {

    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    private final LatencyWindow window = new LatencyWindow(now::get);

    @Test
    void percentilesAreWithinFivePercentOfTheRecordedLatencies() {
        for (int ms = 1; ms <= 1000; ms++) {
            window.record(ms);
        }
        assertThat(window.count()).isEqualTo(1000);
        assertThat(window.percentile(0.5)).isBetween(500L, 525L);
        assertThat(window.percentile(0.99)).isBetween(990L, 1040L);
        assertThat(window.percentile(1.0)).isBetween(1000L, 1050L);
    }

    @Test
    void onlyTheLastMinuteCounts() {
        window.record(5_000);
        now.addAndGet(30_000);
        window.record(10);
        assertThat(window.percentile(0.99)).isGreaterThanOrEqualTo(5_000L);
        now.addAndGet(40_000);
        assertThat(window.count()).isEqualTo(1);
        assertThat(window.percentile(0.99)).isBetween(10L, 11L);
        now.addAndGet(60_000);
        assertThat(window.count()).isZero();
        assertThat(window.percentile(0.5)).isEqualTo(-1);
    }

    @Test
    void latenciesBeyondTheLastBucketAndNegativeOnesAreKept() {
        window.record(-3);
        window.record(10_000_000);
        assertThat(window.count()).isEqualTo(2);
        assertThat(window.percentile(0.5)).isEqualTo(1);
        assertThat(window.percentile(1.0)).isGreaterThanOrEqualTo(1_200_000L);
    }
}
