package io.syncline.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void countsCumulativelyPerUpperBoundInSeconds() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(5);       // 0.005 s -> le 0.01
        h.record(10);      // exactly on a bound counts in it
        h.record(300);     // le 0.5
        h.record(-20);     // a skewed clock: 0
        h.record(900_000); // 15 min: only +Inf

        assertThat(h.le(0)).isEqualTo("0.01");
        assertThat(h.cumulative(0)).isEqualTo(3);
        assertThat(h.le(5)).isEqualTo("0.5");
        assertThat(h.cumulative(5)).isEqualTo(4);
        assertThat(h.le(h.size() - 2)).isEqualTo("300.0");
        assertThat(h.cumulative(h.size() - 2)).isEqualTo(4);
        assertThat(h.le(h.size() - 1)).isEqualTo("+Inf");
        assertThat(h.cumulative(h.size() - 1)).isEqualTo(5).isEqualTo(h.count());
        assertThat(h.sumSeconds()).isCloseTo(900.315, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void statsRecordEndToEndInBothViewsAndRateLimitWaits() {
        DeliveryStats stats = new DeliveryStats();
        stats.recordEndToEnd(40);
        stats.rateLimitWait(Duration.ofMillis(250));
        stats.rateLimitWait(Duration.ofMillis(750));

        assertThat(stats.endToEnd().count()).isEqualTo(1);
        assertThat(stats.endToEndHistogram().count()).isEqualTo(1);
        assertThat(stats.rateLimitWaits()).isEqualTo(2);
        assertThat(stats.rateLimitWaitSeconds()).isEqualTo(1.0);
    }
}
