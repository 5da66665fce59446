package io.syncline.normalizer.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The normalizer's own counters, per mapping and raw topic: records in and out, dropped as duplicate, dropped as
 * stale, skipped on purpose (by reason), dead-lettered (by reason), and processing latency (per mapping). Prometheus
 * names: {@code syncline_normalizer_records_in_total} and so on; {@link #perTopic()} sums them per raw topic for
 * {@code syncline status}.
 *
 * <p>Counters count processing attempts: after a crash, records of the aborted transaction are processed (and
 * counted) again, while the topics themselves stay exactly-once.
 */
public final class NormalizerMetrics {

    /** Tag value for records that no mapping took (unparseable, no mapping, ignored topics). */
    public static final String NO_MAPPING = "none";

    private final MeterRegistry registry;
    private final Map<String, Map<String, Counter>> in = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Counter>> out = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Counter>> duplicate = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Counter>> stale = new ConcurrentHashMap<>();
    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();

    public NormalizerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Metrics kept in memory only (tests, {@code mappings test}). */
    public static NormalizerMetrics inMemory() {
        return new NormalizerMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void recordIn(String mapping, String topic) {
        counter(in, "syncline.normalizer.records.in", "raw records read", mapping, topic).increment();
    }

    public void recordOut(String mapping, String topic) {
        counter(out, "syncline.normalizer.records.out", "canonical records written", mapping, topic).increment();
    }

    public void duplicate(String mapping, String topic) {
        counter(duplicate, "syncline.normalizer.dropped.duplicate", "records dropped: the change was emitted already",
                mapping, topic).increment();
    }

    public void stale(String mapping, String topic) {
        counter(stale, "syncline.normalizer.dropped.stale", "records dropped: older than the latest emitted version",
                mapping, topic).increment();
    }

    /**
     * A record skipped on purpose: {@code ignored-topic}, {@code null-value} (an expected tombstone), {@code waiting}
     * (a property change kept until its object's full version comes), {@code notice} (an event naming no property),
     * {@code unmapped-property}.
     */
    public void skipped(String mapping, String topic, String reason) {
        skipped.computeIfAbsent(mapping + "\u0000" + topic + "\u0000" + reason, k -> Counter
                .builder("syncline.normalizer.skipped").description("records skipped on purpose, by reason")
                .tag("mapping", mapping).tag("topic", topic).tag("reason", reason).register(registry)).increment();
    }

    public void deadLettered(String mapping, String topic, String reason) {
        deadLettered.computeIfAbsent(mapping + "\u0000" + topic + "\u0000" + reason, k -> Counter
                .builder("syncline.normalizer.dead.lettered").description("records sent to the dead-letter topic")
                .tag("mapping", mapping).tag("topic", topic).tag("reason", reason).register(registry)).increment();
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
        Map<String, long[]> acc = new java.util.TreeMap<>();
        String[] names = {"syncline.normalizer.records.in", "syncline.normalizer.records.out",
            "syncline.normalizer.dropped.duplicate", "syncline.normalizer.dropped.stale",
            "syncline.normalizer.skipped", "syncline.normalizer.dead.lettered"};
        for (int i = 0; i < names.length; i++) {
            for (Counter c : registry.find(names[i]).counters()) {
                String topic = c.getId().getTag("topic");
                if (topic != null) {
                    acc.computeIfAbsent(topic, t -> new long[6])[i] += (long) c.count();
                }
            }
        }
        Map<String, TopicFigures> out = new java.util.LinkedHashMap<>();
        acc.forEach((t, a) -> out.put(t, new TopicFigures(a[0], a[1], a[2], a[3], a[4], a[5])));
        return out;
    }

    public void latency(String mapping, long nanos) {
        latency.computeIfAbsent(mapping, m -> Timer.builder("syncline.normalizer.processing.latency")
                .description("time to normalize one record").tag("mapping", m).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The current value of a counter, summed over tags; for status output and tests. */
    public double count(String name, String mapping) {
        return registry.find(name).tag("mapping", mapping).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** The current value of a counter summed over all mappings. */
    public double total(String name) {
        return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    private Counter counter(Map<String, Map<String, Counter>> cache, String name, String description,
            String mapping, String topic) {
        Map<String, Counter> byMapping = cache.get(topic);
        if (byMapping == null) {
            byMapping = cache.computeIfAbsent(topic, t -> new ConcurrentHashMap<>());
        }
        Counter c = byMapping.get(mapping);
        if (c == null) {
            c = byMapping.computeIfAbsent(mapping, m -> Counter.builder(name).description(description)
                    .tag("mapping", m).tag("topic", topic).register(registry));
        }
        return c;
    }
}
