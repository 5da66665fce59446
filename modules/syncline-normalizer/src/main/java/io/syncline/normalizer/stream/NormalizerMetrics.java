package io.syncline.normalizer.stream;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * The normalizer's own counters, per mapping and raw topic: records in and out, dropped as duplicate, dropped as
 * stale, skipped on purpose (by reason), dead-lettered (by reason), and processing latency (per mapping), named by
 * the {@code NORMALIZER_*} entries of {@link SynclineMetrics} ({@code syncline_normalizer_records_in_total} and so
 * on; docs/metrics.md). {@link #perTopic()} sums them per raw topic for {@code syncline status}.
 *
 * <p>The customer-activity join counts under {@code syncline_normalizer_activity_*}: records written (by the kind of
 * change that triggered them), payment changes that waited for their customer and were released when it arrived,
 * changes skipped (by reason), and a gauge of the payment changes waiting now in this instance's tasks.
 *
 * <p>Counters count processing attempts: after a crash, records of the aborted transaction are processed (and
 * counted) again, while the topics themselves stay exactly-once.
 */
public final class NormalizerMetrics {

    /** Tag value for records that no mapping took (unparseable, no mapping, ignored topics). */
    public static final String NO_MAPPING = "none";

    /** The per-topic counters, in the order of {@link TopicFigures}' components. */
    private static final List<SynclineMetric> PER_TOPIC = List.of(SynclineMetrics.NORMALIZER_RECORDS_IN,
            SynclineMetrics.NORMALIZER_RECORDS_OUT, SynclineMetrics.NORMALIZER_DROPPED_DUPLICATE,
            SynclineMetrics.NORMALIZER_DROPPED_STALE, SynclineMetrics.NORMALIZER_SKIPPED,
            SynclineMetrics.NORMALIZER_DEAD_LETTERED);

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
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
     * Registers a mapping's counters for the raw topic it reads at zero, so a scrape lists every mapping from the
     * start and a dashboard's {@code rate()} shows 0 rather than nothing for a quiet one.
     */
    public void declare(String mapping, String topic) {
        counter(SynclineMetrics.NORMALIZER_RECORDS_IN, mapping, topic, null);
        counter(SynclineMetrics.NORMALIZER_RECORDS_OUT, mapping, topic, null);
        counter(SynclineMetrics.NORMALIZER_DROPPED_DUPLICATE, mapping, topic, null);
        counter(SynclineMetrics.NORMALIZER_DROPPED_STALE, mapping, topic, null);
        counter(SynclineMetrics.NORMALIZER_VERSION_TIES, mapping, topic, null);
    }

    public void recordIn(String mapping, String topic) {
        counter(SynclineMetrics.NORMALIZER_RECORDS_IN, mapping, topic, null).increment();
    }

    public void recordOut(String mapping, String topic) {
        counter(SynclineMetrics.NORMALIZER_RECORDS_OUT, mapping, topic, null).increment();
    }

    public void duplicate(String mapping, String topic) {
        counter(SynclineMetrics.NORMALIZER_DROPPED_DUPLICATE, mapping, topic, null).increment();
    }

    public void stale(String mapping, String topic) {
        counter(SynclineMetrics.NORMALIZER_DROPPED_STALE, mapping, topic, null).increment();
    }

    /**
     * A record tied with the latest version of its key in updated-at and every declared rank, with another event id:
     * emitted (the later arrival wins), and counted so that a mapping whose ranks leave ties shows.
     */
    public void tie(String mapping, String topic) {
        counter(SynclineMetrics.NORMALIZER_VERSION_TIES, mapping, topic, null).increment();
    }

    /**
     * A record skipped on purpose: {@code ignored-topic}, {@code null-value} (an expected tombstone), {@code waiting}
     * (a property change kept until its object's full version comes), {@code notice} (an event naming no property),
     * {@code unmapped-property}.
     */
    public void skipped(String mapping, String topic, String reason) {
        counter(SynclineMetrics.NORMALIZER_SKIPPED, mapping, topic, reason).increment();
    }

    public void deadLettered(String mapping, String topic, String reason) {
        counter(SynclineMetrics.NORMALIZER_DEAD_LETTERED, mapping, topic, reason).increment();
    }

    /**
     * What happened to the records of one raw topic in this instance, summed over mappings.
     *
     * @param in raw records read
     * @param out canonical records written
     * @param duplicate dropped as duplicates
     * @param stale dropped as stale
     * @param skipped skipped on purpose
     * @param deadLettered sent to the dead-letter topic
     */
    public record TopicFigures(long in, long out, long duplicate, long stale, long skipped, long deadLettered) {
    }

    /** Per raw topic, what this instance did with its records (for {@code syncline status}). */
    public Map<String, TopicFigures> perTopic() {
        Map<String, long[]> acc = new TreeMap<>();
        for (int i = 0; i < PER_TOPIC.size(); i++) {
            for (Counter c : registry.find(PER_TOPIC.get(i).micrometerName()).counters()) {
                String topic = c.getId().getTag("topic");
                if (topic != null) {
                    acc.computeIfAbsent(topic, t -> new long[PER_TOPIC.size()])[i] += (long) c.count();
                }
            }
        }
        Map<String, TopicFigures> out = new LinkedHashMap<>();
        acc.forEach((t, a) -> out.put(t, new TopicFigures(a[0], a[1], a[2], a[3], a[4], a[5])));
        return out;
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

    private Counter counter(SynclineMetric metric, String mapping, String topic, String reason) {
        String key = metric.name() + '\u0000' + mapping + '\u0000' + topic + '\u0000' + reason;
        Counter c = counters.get(key);
        if (c == null) {
            c = counters.computeIfAbsent(key, k -> {
                Counter.Builder b = Counter.builder(metric.micrometerName()).description(metric.help())
                        .tag("mapping", mapping).tag("topic", topic);
                return (reason == null ? b : b.tag("reason", reason)).register(registry);
            });
        }
        return c;
    }
}
