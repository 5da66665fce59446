package io.syncline.metrics;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One metric of Syncline's naming scheme: its Prometheus name as scraped, type, labels and meaning, and where the value
 * comes from. Declared once in {@link SynclineMetrics}; the meters are built from it and docs/metrics.md is generated
 * from it.
 *
 * @param name the family name as a scrape shows it, e.g. {@code syncline_gateway_requests_total}
 * @param help what it measures (the {@code # HELP} text and the docs' description)
 * @param source where the value comes from, in Markdown (the docs' last column)
 */
public record SynclineMetric(String name, MetricType type, Role role, List<String> labels, String help,
                             String source) {

    private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9_]*");

    public SynclineMetric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(role, "role");
        labels = List.copyOf(labels);
        Objects.requireNonNull(help, "help");
        Objects.requireNonNull(source, "source");
        String prefix = "syncline_" + role.prefix() + "_";
        if (!name.startsWith(prefix) || !SNAKE.matcher(name).matches()) {
            throw new IllegalArgumentException(name + ": a metric name is snake_case and starts with " + prefix);
        }
        boolean total = name.endsWith("_total");
        if ((type == MetricType.COUNTER) != total) {
            throw new IllegalArgumentException(name + ": counters, and only counters, end in _total");
        }
        for (String label : labels) {
            if (!SNAKE.matcher(label).matches() || label.equals("le") || label.equals("quantile")) {
                throw new IllegalArgumentException(name + ": label " + label + " is not a snake_case name of our own");
            }
        }
    }

    /**
     * The name Micrometer is given so that its Prometheus naming convention produces {@link #name()}: dots for
     * underscores, without the suffix the convention adds ({@code _total} for counters, {@code _seconds} for timers).
     */
    public String micrometerName() {
        String base = name;
        if (type == MetricType.COUNTER) {
            base = base.substring(0, base.length() - "_total".length());
        } else if ((type == MetricType.HISTOGRAM || type == MetricType.SUMMARY) && base.endsWith("_seconds")) {
            base = base.substring(0, base.length() - "_seconds".length());
        }
        return base.replace('_', '.');
    }

    /** The name without {@code _total}: what Prometheus' client model calls the counter. */
    public String baseName() {
        return type == MetricType.COUNTER ? name.substring(0, name.length() - "_total".length()) : name;
    }

    /** True when values are seconds (the name ends in {@code _seconds} or {@code _seconds_total}). */
    public boolean inSeconds() {
        return name.endsWith("_seconds") || name.endsWith("_seconds_total");
    }
}
