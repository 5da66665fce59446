package io.syncline.metrics;

/** The Prometheus metric types Syncline exposes, with the suffix rules of its naming scheme. */
public enum MetricType {
    /** Only goes up (resets on restart); the name ends in {@code _total}. */
    COUNTER("counter"),
    /** A value that goes up and down; never ends in {@code _total}. */
    GAUGE("gauge"),
    /** Cumulative buckets ({@code _bucket{le}}, {@code _sum}, {@code _count}); aggregate across processes. */
    HISTOGRAM("histogram"),
    /** Count, sum and max of observations ({@code _count}, {@code _sum}, {@code _max}). */
    SUMMARY("summary");

    private final String prometheus;

    MetricType(String prometheus) {
        this.prometheus = prometheus;
    }

    /** The type as Prometheus' {@code # TYPE} line names it. */
    public String prometheus() {
        return prometheus;
    }
}
