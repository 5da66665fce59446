package io.syncline.metrics.kafka;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.syncline.metrics.MetricsHttpServer;
import io.syncline.metrics.Registries;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka {@link MetricsReporter} that exposes a Connect worker's metrics under Syncline's names (see
 * {@link ConnectWorkerMetrics}) at {@code GET /metrics}. Set on a worker:
 *
 * <pre>
 * metric.reporters=org.apache.kafka.common.metrics.JmxReporter,io.syncline.metrics.kafka.SynclineMetricsReporter
 * consumer.metric.reporters=org.apache.kafka.common.metrics.JmxReporter,io.syncline.metrics.kafka.SynclineMetricsReporter
 * syncline.metrics.port=9404
 * </pre>
 *
 * <p>Kafka creates one reporter per metrics registry (the worker's, its internal clients', each task consumer's), so
 * the metrics they report are pooled per JVM, and the reporters given the same port (the worker's internal clients
 * inherit its whole configuration) share one server on it, closed with the last of them. The jar and Micrometer's
 * Prometheus registry
 * must be on the worker's classpath (not its plugin path): Kafka loads reporters with the worker's class loader.
 */
public final class SynclineMetricsReporter implements MetricsReporter {

    /**
     * The value for a worker's {@code metric.reporters} and {@code consumer.metric.reporters}: this reporter beside
     * Kafka's {@link JmxReporter}, which setting the key would otherwise drop (JMX is only the default), and which
     * {@code up}'s status and JMX tools still read.
     */
    public static final String WITH_JMX = JmxReporter.class.getName() + "," + SynclineMetricsReporter.class.getName();

    /** The port {@code /metrics} is served on; only the worker-level reporter should get it. */
    public static final String PORT_CONFIG = "syncline.metrics.port";
    /** The interface {@code /metrics} listens on (default: all). */
    public static final String HOST_CONFIG = "syncline.metrics.host";

    private static final Logger log = LoggerFactory.getLogger(SynclineMetricsReporter.class);
    private static final Map<MetricName, KafkaMetric> POOL = new ConcurrentHashMap<>();
    private static final Object LOCK = new Object();
    private static PrometheusMeterRegistry registry;
    /** Servers by the port asked for, with the reporters sharing each. */
    private static final Map<String, Shared> SERVERS = new java.util.HashMap<>();

    private final Set<MetricName> mine = ConcurrentHashMap.newKeySet();
    private String serverKey;
    private int port = -1;

    private static final class Shared {
        final MetricsHttpServer server;
        int users;

        Shared(MetricsHttpServer server) {
            this.server = server;
        }
    }

    /** The JVM's registry with the pooled Kafka metrics: what every reporter's {@code /metrics} serves. */
    public static PrometheusMeterRegistry registry() {
        synchronized (LOCK) {
            if (registry == null) {
                registry = Registries.prometheus();
                registry.getPrometheusRegistry().register(new KafkaMetricsCollector(POOL::values,
                        ConnectWorkerMetrics.rules(), ConnectWorkerMetrics.histograms()));
            }
            return registry;
        }
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object port = configs.get(PORT_CONFIG);
        if (port == null || port.toString().isBlank()) {
            return;
        }
        int p;
        try {
            p = Integer.parseInt(port.toString().trim());
        } catch (NumberFormatException e) {
            throw new org.apache.kafka.common.config.ConfigException(PORT_CONFIG, port,
                    "expected a port number between 0 and 65535");
        }
        String host = configs.get(HOST_CONFIG) == null ? "0.0.0.0" : configs.get(HOST_CONFIG).toString();
        PrometheusMeterRegistry r = registry();
        synchronized (LOCK) {
            // Port 0 means a server of this reporter's own; a fixed port is shared by every reporter asking for it.
            String key = p == 0 ? "0#" + System.identityHashCode(this) : host + ":" + p;
            Shared shared = SERVERS.get(key);
            if (shared == null) {
                shared = new Shared(MetricsHttpServer.start(host, p, r::scrape));
                SERVERS.put(key, shared);
                log.debug("serving Connect worker metrics on port {}", shared.server.port());
            }
            shared.users++;
            serverKey = key;
            this.port = shared.server.port();
        }
    }

    /** The port this reporter's {@code /metrics} is served on, or -1 when it was given none. */
    public int port() {
        return port;
    }

    @Override
    public void init(List<KafkaMetric> metrics) {
        metrics.forEach(this::metricChange);
    }

    @Override
    public void metricChange(KafkaMetric metric) {
        POOL.put(metric.metricName(), metric);
        mine.add(metric.metricName());
    }

    @Override
    public void metricRemoval(KafkaMetric metric) {
        POOL.remove(metric.metricName(), metric);
        mine.remove(metric.metricName());
    }

    @Override
    public void close() {
        // A closed consumer's metrics leave with it, whether or not Kafka reported each removal.
        for (MetricName name : mine) {
            POOL.remove(name);
        }
        mine.clear();
        synchronized (LOCK) {
            Shared shared = serverKey == null ? null : SERVERS.get(serverKey);
            if (shared != null && --shared.users == 0) {
                shared.server.close();
                SERVERS.remove(serverKey);
            }
            serverKey = null;
        }
    }
}
