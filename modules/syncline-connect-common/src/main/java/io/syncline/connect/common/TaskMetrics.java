package io.syncline.connect.common;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauges one task instance exposes through the worker's plugin metrics (KIP-877), safe when the same task is
 * started again before the worker managed to stop the previous instance.
 *
 * <p>Both instances' metrics carry the same connector and task tags, and Kafka's registry refuses a second metric
 * of a name: without care the restarted task fails for good with "A metric named ... already exists". Here the
 * newest instance takes each name over through the old instance's own {@link PluginMetrics} (only the instance
 * that added a metric may remove it), so the old one, when it finally stops or the worker closes its metrics, no
 * longer owns the name and leaves the new instance's gauges in place. A metric is never worth failing a task for.
 */
public final class TaskMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskMetrics.class);
    /** Which instance holds each metric name in this worker (each plugin has its own class loader and map). */
    private static final Map<MetricName, TaskMetrics> OWNERS = new ConcurrentHashMap<>();

    private final PluginMetrics metrics;
    private final String owner;
    private final Set<MetricName> names = ConcurrentHashMap.newKeySet();

    private TaskMetrics(PluginMetrics metrics, String owner) {
        this.metrics = metrics;
        this.owner = owner;
    }

    /**
     * The metrics of a task whose context offers them; a worker before Kafka 4.1 (or a test context without them)
     * gives a no-op instance.
     *
     * @param pluginMetrics reads the context's plugin metrics
     * @param owner names the task in log lines (e.g. the connector's name)
     */
    public static TaskMetrics of(Supplier<PluginMetrics> pluginMetrics, String owner) {
        PluginMetrics metrics;
        try {
            metrics = pluginMetrics.get();
        } catch (RuntimeException | LinkageError unsupported) {
            metrics = null;
        }
        return new TaskMetrics(metrics, owner);
    }

    /** Whether gauges registered here reach the worker. */
    public boolean enabled() {
        return metrics != null;
    }

    /** Registers a gauge without extra tags. */
    public <T> void gauge(String name, String description, Supplier<T> value) {
        gauge(name, description, Map.of(), value);
    }

    /** Registers a gauge with tags beside the task's own. */
    public <T> void gauge(String name, String description, Map<String, String> tags, Supplier<T> value) {
        if (metrics == null) {
            return;
        }
        MetricName metricName = metrics.metricName(name, description, new LinkedHashMap<>(tags));
        Gauge<T> gauge = (config, now) -> value.get();
        TaskMetrics previous = OWNERS.put(metricName, this);
        if (previous != null && previous != this) {
            previous.release(metricName);
            LOG.info("{}: took metric {} over from an instance of the same task that has not stopped yet", owner,
                    name);
        }
        try {
            metrics.addMetric(metricName, gauge);
        } catch (IllegalArgumentException clash) {
            OWNERS.remove(metricName, this);
            LOG.warn("{}: metric {} is not exposed by this task instance: {}", owner, name, clash.getMessage());
            return;
        }
        names.add(metricName);
    }

    private void release(MetricName metricName) {
        if (!names.remove(metricName)) {
            return;
        }
        try {
            metrics.removeMetric(metricName);
        } catch (IllegalStateException | IllegalArgumentException alreadyGone) {
            // Its PluginMetrics is closed or no longer holds the name: the metric is gone either way.
        }
    }

    /** Removes the gauges this instance still owns. */
    @Override
    public void close() {
        for (MetricName name : names) {
            if (OWNERS.remove(name, this)) {
                release(name);
            } else {
                names.remove(name); // a newer instance of the task took it over
            }
        }
    }
}
