package io.syncline.metrics.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.syncline.metrics.MetricType;
import io.syncline.metrics.SynclineMetric;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Exposes Kafka metrics (a worker's, a consumer's, a Streams client's) under Syncline's names at scrape time, through
 * {@link KafkaMetricRule}s and {@link HistogramRule}s; every other Kafka metric is left out. Reading at scrape time
 * means no meter is registered or removed as tasks and partitions come and go: a series exists while Kafka has it.
 */
public final class KafkaMetricsCollector implements MultiCollector {

    /**
     * A histogram Kafka holds as one metric per cumulative bucket ({@code <base>-bucket} with an {@code le} tag in
     * seconds, {@code +Inf} last) plus {@code <base>-sum} and {@code <base>-count}.
     */
    public record HistogramRule(SynclineMetric target, String group, String base) {
        public HistogramRule {
            if (target.type() != MetricType.HISTOGRAM) {
                throw new IllegalArgumentException(target.name() + " is not a histogram");
            }
        }
    }

    private final Supplier<? extends Collection<? extends Metric>> metrics;
    private final List<KafkaMetricRule> rules;
    private final List<HistogramRule> histograms;

    public KafkaMetricsCollector(Supplier<? extends Collection<? extends Metric>> metrics, List<KafkaMetricRule> rules,
                                 List<HistogramRule> histograms) {
        this.metrics = metrics;
        this.rules = List.copyOf(rules);
        this.histograms = List.copyOf(histograms);
    }

    @Override
    public MetricSnapshots collect() {
        Map<SynclineMetric, Map<List<String>, Double>> values = new LinkedHashMap<>();
        Map<HistogramRule, Map<List<String>, HistogramParts>> parts = new LinkedHashMap<>();
        for (Metric metric : metrics.get()) {
            MetricName name = metric.metricName();
            for (KafkaMetricRule rule : rules) {
                if (rule.matches(name)) {
                    List<String> labels = rule.labels().apply(name);
                    Double value = labels == null ? null : rule.value().apply(read(metric));
                    if (value != null) {
                        values.computeIfAbsent(rule.target(), t -> new TreeMap<>(KafkaMetricsCollector::compare))
                                .merge(labels, value, Double::sum);
                    }
                }
            }
            for (HistogramRule rule : histograms) {
                if (name.group().equals(rule.group()) && name.name().startsWith(rule.base() + "-")) {
                    List<String> labels = KafkaMetricRule.sameTags(rule.target()).apply(name);
                    Double value = labels == null ? null : KafkaMetricRule.number(read(metric));
                    if (value != null) {
                        parts.computeIfAbsent(rule, r -> new LinkedHashMap<>())
                                .computeIfAbsent(labels, l -> new HistogramParts())
                                .add(name.name().substring(rule.base().length() + 1), name.tags().get("le"), value);
                    }
                }
            }
        }
        values.forEach(KafkaMetricsCollector::dropDeprecatedTopicCopies);
        List<MetricSnapshot> snapshots = new ArrayList<>();
        values.forEach((target, points) -> snapshots.add(snapshot(target, points)));
        parts.forEach((rule, byLabels) -> {
            HistogramSnapshot.Builder h = HistogramSnapshot.builder().name(rule.target().name())
                    .help(rule.target().help());
            byLabels.forEach((labels, p) -> {
                if (p.complete()) {
                    h.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                            .labels(labels(rule.target(), labels)).sum(p.sum)
                            .classicHistogramBuckets(ClassicHistogramBuckets.of(p.bounds(), p.counts())).build());
                }
            });
            snapshots.add(h.build());
        });
        return new MetricSnapshots(snapshots);
    }

    /**
     * Kafka's consumer registers its per-topic metrics twice for a topic with dots: under the name and, deprecated,
     * with the dots replaced by underscores. The copy is left out when the real one is there.
     */
    private static void dropDeprecatedTopicCopies(SynclineMetric target, Map<List<String>, Double> points) {
        int topic = target.labels().indexOf("topic");
        if (topic < 0) {
            return;
        }
        java.util.Set<List<String>> copies = new java.util.HashSet<>();
        for (List<String> labels : points.keySet()) {
            String t = labels.get(topic);
            if (t.indexOf('.') >= 0) {
                List<String> copy = new ArrayList<>(labels);
                copy.set(topic, t.replace('.', '_'));
                copies.add(copy);
            }
        }
        points.keySet().removeAll(copies);
    }

    private static Object read(Metric metric) {
        try {
            return metric.metricValue();
        } catch (RuntimeException e) {
            return null; // a gauge whose owner is closing: leave it out of this scrape
        }
    }

    private static MetricSnapshot snapshot(SynclineMetric target, Map<List<String>, Double> points) {
        if (target.type() == MetricType.COUNTER) {
            CounterSnapshot.Builder b = CounterSnapshot.builder().name(target.baseName()).help(target.help());
            points.forEach((labels, v) -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                    .labels(labels(target, labels)).value(v).build()));
            return b.build();
        }
        if (target.type() == MetricType.GAUGE) {
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(target.name()).help(target.help());
            points.forEach((labels, v) -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(labels(target, labels)).value(v).build()));
            return b.build();
        }
        throw new IllegalStateException(target.name() + ": a " + target.type() + " needs a histogram rule");
    }

    private static Labels labels(SynclineMetric target, List<String> values) {
        return Labels.of(target.labels(), values);
    }

    private static int compare(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** The bucket, sum and count metrics of one histogram series as they are found. */
    private static final class HistogramParts {
        private final TreeMap<Double, Double> buckets = new TreeMap<>();
        private double sum = Double.NaN;
        private double count = Double.NaN;

        void add(String part, String le, double value) {
            switch (part) {
                case "bucket" -> {
                    if (le != null) {
                        buckets.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), value);
                    }
                }
                case "sum" -> sum = value;
                case "count" -> count = value;
                default -> {
                    // another metric of the same prefix: not part of the histogram
                }
            }
        }

        boolean complete() {
            return !Double.isNaN(sum) && !Double.isNaN(count) && buckets.containsKey(Double.POSITIVE_INFINITY);
        }

        double[] bounds() {
            return buckets.keySet().stream().mapToDouble(Double::doubleValue).toArray();
        }

        long[] counts() {
            // Prometheus' model wants per-bucket counts; Kafka holds cumulative ones (as the exposition format does).
            long[] out = new long[buckets.size()];
            long previous = 0;
            int i = 0;
            for (double cumulative : buckets.values()) {
                long c = (long) cumulative;
                out[i++] = Math.max(0, c - previous);
                previous = Math.max(previous, c);
            }
            return out;
        }
    }
}
