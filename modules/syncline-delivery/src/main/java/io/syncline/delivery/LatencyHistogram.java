package io.syncline.delivery;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * End-to-end latencies since the task started, in fixed buckets (seconds, Prometheus' cumulative form): what a
 * worker's metrics endpoint turns into the {@code syncline_connect_sink_delivery_latency_seconds} histogram, which
 * adds up across tasks and workers where {@link LatencyWindow}'s percentiles cannot. Thread-safe, one increment per
 * record.
 */
public final class LatencyHistogram {

    /** Upper bounds in seconds; {@code +Inf} follows. From 10 ms (a fast local pipeline) to 5 min (a long outage). */
    static final double[] BOUNDS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

    private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    public LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** Records one latency in milliseconds (negative values, from skewed clocks, count as 0). */
    public void record(long millis) {
        double seconds = Math.max(0, millis) / 1000.0;
        int i = 0;
        while (i < BOUNDS.length && seconds > BOUNDS[i]) {
            i++;
        }
        buckets[i].increment();
        count.increment();
        sum.add(seconds);
    }

    /** The number of upper bounds, {@code +Inf} included. */
    public int size() {
        return buckets.length;
    }

    /** The {@code le} label of bucket {@code i}: its upper bound in seconds, or {@code +Inf}. */
    public String le(int i) {
        return i == BOUNDS.length ? "+Inf" : Double.toString(BOUNDS[i]);
    }

    /** Latencies at most {@link #le(int)} (cumulative, as Prometheus counts buckets). */
    public long cumulative(int i) {
        long c = 0;
        for (int b = 0; b <= i; b++) {
            c += buckets[b].sum();
        }
        return c;
    }

    /** Latencies recorded. */
    public long count() {
        return count.sum();
    }

    /** Their sum in seconds. */
    public double sumSeconds() {
        return sum.sum();
    }
}
