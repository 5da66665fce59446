package io.syncline.normalizer.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The normalizer's own counters, per mapping: records in and out, dropped as duplicate, dropped as stale,
 * dead-lettered (by reason), and processing latency. Prometheus names: {@code syncline_normalizer_records_in_total}
 * and so on.
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

    public void recordIn(String mapping) {
        counter(in, "syncline.normalizer.records.in", "raw records read", mapping).increment();
    }

    public void recordOut(String mapping) {
        counter(out, "syncline.normalizer.records.out", "canonical records written", mapping).increment();
    }

    public void duplicate(String mapping) {
        counter(duplicate, "syncline.normalizer.dropped.duplicate", "records dropped: event id already seen",
                mapping).increment();
    }

    public void stale(String mapping) {
        counter(stale, "syncline.normalizer.dropped.stale", "records dropped: older than the latest emitted version",
                mapping).increment();
    }

    public void deadLettered(String mapping, String reason) {
        deadLettered.computeIfAbsent(mapping + "\u0000" + reason, k -> Counter
                .builder("syncline.normalizer.dead.lettered").description("records sent to the dead-letter topic")
                .tag("mapping", mapping).tag("reason", reason).register(registry)).increment();
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

    private Counter counter(Map<String, Counter> cache, String name, String description, String mapping) {
        Counter c = cache.get(mapping);
        if (c == null) {
            c = cache.computeIfAbsent(mapping, m -> Counter.builder(name).description(description).tag("mapping", m)
                    .register(registry));
        }
        return c;
    }
}
