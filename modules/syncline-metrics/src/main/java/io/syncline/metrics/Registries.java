package io.syncline.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The Prometheus registry every role starts from: Syncline's meters go in it, next to the standard JVM ones. */
public final class Registries {

    private Registries() {
    }

    /**
     * A new registry with Micrometer's JVM and process meters ({@code jvm_memory_used_bytes},
     * {@code jvm_threads_live_threads}, {@code process_cpu_usage}, {@code process_uptime_seconds}, ...), which the
     * dashboards show per instance. GC pause meters are left out: they hold JVM-wide listeners that a registry per
     * role in one {@code syncline up} process would register several times.
     */
    public static PrometheusMeterRegistry prometheus() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }
}
