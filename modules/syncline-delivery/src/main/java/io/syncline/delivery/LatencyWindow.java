package io.syncline.delivery;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Latencies of the last minute as percentiles: six ten-second slots of fixed logarithmic buckets (1 ms to ~20 min,
 * 5 % apart), so recording is one atomic increment and a percentile is exact to within a bucket. Written by hand
 * because the HdrHistogram-style libraries are not on this project's classpath and Micrometer's would drag a
 * dependency into every Connect plugin. Thread-safe.
 */
public final class LatencyWindow {

    private static final int SLOTS = 6;
    private static final long SLOT_MILLIS = 10_000;
    private static final double GROWTH = 1.05;
    private static final int BUCKETS = 1 + (int) Math.ceil(Math.log(1_200_000.0) / Math.log(GROWTH));

    private final LongSupplier clock;
    private final AtomicLongArray counts = new AtomicLongArray(SLOTS * BUCKETS);
    private final long[] slotStart = new long[SLOTS];

    public LatencyWindow() {
        this(System::currentTimeMillis);
    }

    LatencyWindow(LongSupplier clock) {
        this.clock = clock;
    }

    /** Records one latency in milliseconds (negative values, from skewed clocks, count as 0). */
    public void record(long millis) {
        long now = clock.getAsLong();
        int slot = slot(now);
        counts.incrementAndGet(slot * BUCKETS + bucket(Math.max(0, millis)));
    }

    /** The {@code q}-quantile (0 < q ≤ 1) of the last minute in milliseconds, or -1 when nothing was recorded. */
    public long percentile(double q) {
        long now = clock.getAsLong();
        long[] merged = new long[BUCKETS];
        long total = 0;
        synchronized (slotStart) {
            for (int s = 0; s < SLOTS; s++) {
                if (now - slotStart[s] < SLOTS * SLOT_MILLIS) {
                    for (int b = 0; b < BUCKETS; b++) {
                        long c = counts.get(s * BUCKETS + b);
                        merged[b] += c;
                        total += c;
                    }
                }
            }
        }
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += merged[b];
            if (seen >= rank) {
                return upperBound(b);
            }
        }
        return upperBound(BUCKETS - 1);
    }

    /** Latencies recorded in the last minute. */
    public long count() {
        long now = clock.getAsLong();
        long total = 0;
        synchronized (slotStart) {
            for (int s = 0; s < SLOTS; s++) {
                if (now - slotStart[s] < SLOTS * SLOT_MILLIS) {
                    for (int b = 0; b < BUCKETS; b++) {
                        total += counts.get(s * BUCKETS + b);
                    }
                }
            }
        }
        return total;
    }

    /** The slot for {@code now}, cleared first when it last held an older ten seconds. */
    private int slot(long now) {
        long start = now - Math.floorMod(now, SLOT_MILLIS);
        int slot = (int) Math.floorMod(start / SLOT_MILLIS, SLOTS);
        synchronized (slotStart) {
            if (slotStart[slot] != start) {
                for (int b = 0; b < BUCKETS; b++) {
                    counts.set(slot * BUCKETS + b, 0);
                }
                slotStart[slot] = start;
            }
        }
        return slot;
    }

    static int bucket(long millis) {
        if (millis <= 1) {
            return 0;
        }
        int b = (int) Math.ceil(Math.log(millis) / Math.log(GROWTH));
        return Math.min(b, BUCKETS - 1);
    }

    static long upperBound(int bucket) {
        return bucket == 0 ? 1 : (long) Math.ceil(Math.pow(GROWTH, bucket));
    }
}
