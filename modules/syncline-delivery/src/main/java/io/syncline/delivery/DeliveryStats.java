package io.syncline.delivery;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a sink did with the records it took: every record ends delivered, dead-lettered or deliberately skipped (with
 * the reason), so nothing is lost silently. Also counts requests and HTTP retries. Thread-safe.
 */
public final class DeliveryStats {
    private final LongAdder delivered = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final Map<String, LongAdder> skipped = new ConcurrentHashMap<>();
    private final LatencyWindow endToEnd = new LatencyWindow();
    private final LatencyHistogram endToEndHistogram = new LatencyHistogram();
    private final LongAdder rateLimitWaits = new LongAdder();
    private final LongAdder rateLimitWaitNanos = new LongAdder();

    /** Records delivered to the target. */
    public long delivered() {
        return delivered.sum();
    }

    /** Records handed to the dead-letter queue. */
    public long deadLettered() {
        return deadLettered.sum();
    }

    /** Records skipped on purpose, all reasons. */
    public long skipped() {
        return skipped.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Records skipped on purpose for {@code reason}. */
    public long skippedFor(String reason) {
        LongAdder a = skipped.get(reason);
        return a == null ? 0 : a.sum();
    }

    /** Skips by reason, sorted by reason. */
    public Map<String, Long> skippedByReason() {
        Map<String, Long> out = new TreeMap<>();
        skipped.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** HTTP requests that ended (successfully or not), retries not counted. */
    public long requests() {
        return requests.sum();
    }

    /** HTTP attempts that were retried. */
    public long retries() {
        return retries.sum();
    }

    void delivered(int records) {
        delivered.add(records);
    }

    /**
     * End-to-end latency of the last minute: from when Syncline received the change from its provider (the canonical
     * record's {@code metadata.ingested_at}) to the target acknowledging the write.
     */
    public LatencyWindow endToEnd() {
        return endToEnd;
    }

    /** End-to-end latencies since the start, in Prometheus-style buckets (see {@link #endToEnd()} for the source). */
    public LatencyHistogram endToEndHistogram() {
        return endToEndHistogram;
    }

    /** Records one end-to-end latency in both views: the last minute's percentiles and the cumulative histogram. */
    public void recordEndToEnd(long millis) {
        endToEnd.record(millis);
        endToEndHistogram.record(millis);
    }

    /** Counts a request that waited {@code waited} for a rate-limit permit. */
    public void rateLimitWait(java.time.Duration waited) {
        rateLimitWaits.increment();
        rateLimitWaitNanos.add(waited.toNanos());
    }

    /** Requests that waited for a rate-limit permit. */
    public long rateLimitWaits() {
        return rateLimitWaits.sum();
    }

    /** Time requests spent waiting for rate-limit permits, in seconds. */
    public double rateLimitWaitSeconds() {
        return rateLimitWaitNanos.sum() / 1e9;
    }

    /** Counts records handed to the dead-letter queue. */
    public void deadLettered(int records) {
        deadLettered.add(records);
    }

    /** Counts a record skipped on purpose. */
    public void skip(String reason) {
        skipped.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** Counts a finished HTTP request. */
    public void request() {
        requests.increment();
    }

    /** Counts a retried HTTP attempt. */
    public void retry() {
        retries.increment();
    }

    @Override
    public String toString() {
        return "delivered=" + delivered() + ", deadLettered=" + deadLettered() + ", skipped=" + skippedByReason()
                + ", requests=" + requests() + ", retries=" + retries();
    }
}
