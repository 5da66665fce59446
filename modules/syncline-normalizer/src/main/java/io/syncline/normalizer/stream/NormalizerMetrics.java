package io.syncline.normalizer.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.syncline.metrics.SynclineMetric;
import io.syncline.metrics.SynclineMetrics;

/**
 * The normalizer's own counters, per mapping: records in and out, dropped as duplicate, dropped as stale,
 * dead-lettered (by reason), and processing latency, named by the {@code NORMALIZER_*} entries of
 * {@link SynclineMetrics} ({@code syncline_normalizer_records_in_total} and so on; docs/metrics.md).
 *
 * <p>The customer-activity join counts under {@code syncline_normalizer_activity_*}: records written (by the kind of
 * change that triggered them), payment changes that waited for their customer and were released when it arrived,
 * changes skipped (by reason), and a gauge of the payment changes waiting now in this instance's tasks.
 *
 * <p>Counters count processing attempts: after a crash, records of the aborted transaction are processed (and
 * counted) again, while the topics themselves stay exactly-once.
 */
public final class NormalizerMetrics {

    /** Tag value for records that no mapping took (unparseable, no mapping). */
    public static final String NO_MAPPING = "none";

    private final MeterRegistry registry;
    private final Map<String, Counter> in = new ConcurrentHashMap<>();
    private final Map<String, Counter> out = new ConcurrentHashMap<>();
    private final Map<String, Counter> duplicate = new ConcurrentHashMap<>();
    private final Map<String, Counter> stale = new ConcurrentHashMap<>();
    private final Map<String, Counter> ties = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Counter> activityWritten = new ConcurrentHashMap<>();
    private final Map<String, Counter> activitySkipped = new ConcurrentHashMap<>();
    private final Counter activityWaited;
    private final Counter activityReleased;
    private final AtomicLong activityWaiting = new AtomicLong();

    public NormalizerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.activityWaited = Counter.builder("syncline.normalizer.activity.waited")
                .description("payment changes kept in state because their customer was not known yet")
                .register(registry);
        this.activityReleased = Counter.builder("syncline.normalizer.activity.released")
                .description("waiting payment changes applied when their customer arrived").register(registry);
        Gauge.builder("syncline.normalizer.activity.waiting", activityWaiting, AtomicLong::get)
                .description("payment changes waiting for their customer in this instance's tasks")
                .register(registry);
    }

    /** Metrics kept in memory only (tests, {@code mappings test}). */
    public static NormalizerMetrics inMemory() {
        return new NormalizerMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Registers a mapping's counters at zero, so a scrape lists every mapping from the start and a dashboard's
     * {@code rate()} shows 0 rather than nothing for a quiet one.
     */
    public void declare(String mapping) {
        counter(in, SynclineMetrics.NORMALIZER_RECORDS_IN, mapping);
        counter(out, SynclineMetrics.NORMALIZER_RECORDS_OUT, mapping);
        counter(duplicate, SynclineMetrics.NORMALIZER_DROPPED_DUPLICATE, mapping);
        counter(stale, SynclineMetrics.NORMALIZER_DROPPED_STALE, mapping);
        counter(ties, SynclineMetrics.NORMALIZER_VERSION_TIES, mapping);
    }

    public void recordIn(String mapping) {
        counter(in, SynclineMetrics.NORMALIZER_RECORDS_IN, mapping).increment();
    }

    public void recordOut(String mapping) {
        counter(out, SynclineMetrics.NORMALIZER_RECORDS_OUT, mapping).increment();
    }

    public void duplicate(String mapping) {
        counter(duplicate, SynclineMetrics.NORMALIZER_DROPPED_DUPLICATE, mapping).increment();
    }

    public void stale(String mapping) {
        counter(stale, SynclineMetrics.NORMALIZER_DROPPED_STALE, mapping).increment();
    }

    /**
     * A record tied with the latest version of its key in updated-at and every declared rank, with another event id:
     * emitted (the later arrival wins), and counted so that a mapping whose ranks leave ties shows.
     */
    public void tie(String mapping) {
        counter(ties, SynclineMetrics.NORMALIZER_VERSION_TIES, mapping).increment();
    }

    public void deadLettered(String mapping, String reason) {
        deadLettered.computeIfAbsent(mapping + "\u0000" + reason, k -> Counter
                .builder(SynclineMetrics.NORMALIZER_DEAD_LETTERED.micrometerName())
                .description(SynclineMetrics.NORMALIZER_DEAD_LETTERED.help())
                .tag("mapping", mapping).tag("reason", reason).register(registry)).increment();
    }

    public void latency(String mapping, long nanos) {
        latency.computeIfAbsent(mapping, m -> Timer.builder(SynclineMetrics.NORMALIZER_PROCESSING_LATENCY.micrometerName())
                .description(SynclineMetrics.NORMALIZER_PROCESSING_LATENCY.help()).tag("mapping", m).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A customer-activity record was written; {@code trigger} is the entity that changed (customer, payment). */
    public void activityWritten(String trigger) {
        activityWritten.computeIfAbsent(trigger, t -> Counter.builder("syncline.normalizer.activity.written")
                .description("customer-activity records written").tag("trigger", t).register(registry)).increment();
    }

    /** A change the join deliberately did not turn into a record, e.g. {@code payment-intent}, {@code no-payer}. */
    public void activitySkipped(String reason) {
        activitySkipped.computeIfAbsent(reason, r -> Counter.builder("syncline.normalizer.activity.skipped")
                .description("changes the customer-activity join skipped on purpose").tag("reason", r)
                .register(registry)).increment();
    }

    /** A payment change was folded into the state of a customer that has not arrived yet. */
    public void activityWaited() {
        activityWaited.increment();
        activityWaiting.incrementAndGet();
    }

    /** {@code n} waiting payment changes were applied because their customer arrived (or was found deleted). */
    public void activityReleased(long n) {
        activityReleased.increment(n);
        activityWaiting.addAndGet(-n);
    }

    /**
     * Changes the waiting gauge without counting waits or releases: a task that starts adds the waiting payments its
     * restored state holds, a task that closes takes its own away again.
     */
    public void activityWaitingAdjust(long delta) {
        activityWaiting.addAndGet(delta);
    }

    /** Payment changes waiting for their customer in this instance's tasks now. */
    public long activityWaitingNow() {
        return activityWaiting.get();
    }

    /** The current value of a counter, summed over tags; for status output and tests. */
    public double count(String name, String mapping) {
        return registry.find(name).tag("mapping", mapping).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** The current value of a counter with one tag; for status output and tests. */
    public double count(String name, String tag, String value) {
        return registry.find(name).tag(tag, value).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** The current value of a counter summed over all mappings. */
    public double total(String name) {
        return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    private Counter counter(Map<String, Counter> cache, SynclineMetric metric, String mapping) {
        Counter c = cache.get(mapping);
        if (c == null) {
            c = cache.computeIfAbsent(mapping, m -> Counter.builder(metric.micrometerName()).description(metric.help())
                    .tag("mapping", m).register(registry));
        }
        return c;
    }
}
