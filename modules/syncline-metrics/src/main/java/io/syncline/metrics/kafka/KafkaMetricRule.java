package io.syncline.metrics.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import io.syncline.metrics.SynclineMetric;
import org.apache.kafka.common.MetricName;

/**
 * How one Kafka metric (group and name) becomes a {@link SynclineMetric}: which of its tags give the labels (a metric
 * whose labels cannot be made is not one of ours and is left out) and how its value reads as a number.
 *
 * @param labels the target's label values, in the target's label order, or null to leave the metric out
 * @param value the value as a number, or null to leave it out (not a number, NaN)
 */
public record KafkaMetricRule(SynclineMetric target, String group, String name,
                              Function<MetricName, List<String>> labels, Function<Object, Double> value) {

    public KafkaMetricRule {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(value, "value");
    }

    /** A rule whose labels are the Kafka tags of the same names and whose value is a number. */
    public static KafkaMetricRule tagged(SynclineMetric target, String group, String name) {
        return new KafkaMetricRule(target, group, name, sameTags(target), KafkaMetricRule::number);
    }

    /** True when this rule reads {@code metric}. */
    public boolean matches(MetricName metric) {
        return metric.group().equals(group) && metric.name().equals(name);
    }

    /** Label values from the Kafka tags named like the target's labels; null when one is missing. */
    public static Function<MetricName, List<String>> sameTags(SynclineMetric target) {
        return metric -> {
            List<String> values = new ArrayList<>(target.labels().size());
            for (String label : target.labels()) {
                String v = metric.tags().get(label);
                if (v == null) {
                    return null;
                }
                values.add(v);
            }
            return values;
        };
    }

    /** A Kafka metric value as a finite number, or null. */
    public static Double number(Object value) {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        return null;
    }
}
