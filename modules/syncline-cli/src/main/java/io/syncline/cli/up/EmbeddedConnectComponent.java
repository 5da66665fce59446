package io.syncline.cli.up;

import java.nio.file.Files;
import java.nio.file.Path;

import io.syncline.kafka.EmbeddedConnectWorker;
import io.syncline.kafka.FreePorts;
import io.syncline.metrics.kafka.SynclineMetricsReporter;
import io.syncline.ops.Health;
import io.syncline.ops.Probes;

/**
 * The embedded Kafka Connect worker (distributed mode) on the Kafka published as {@link StackContext#KAFKA}; plugins
 * from {@link StackContext#pluginPath()}. Publishes {@link StackContext#CONNECT}.
 */
public final class EmbeddedConnectComponent implements Component {

    private static final String HOST = "localhost";
    private EmbeddedConnectWorker worker;
    private String address = "";

    @Override
    public String name() {
        return "Kafka Connect";
    }

    @Override
    public void preflight(StackContext context) {
        for (Path dir : context.pluginPath()) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("the Connect plugin directory " + dir + " (--plugin-path) does not "
                        + "exist; create it or leave it out");
            }
        }
        int port = context.embedded().connectPort();
        if (port != 0) {
            FreePorts.requireFree(HOST, port, "Kafka Connect REST API", "--connect-port (or cluster.embedded.connect-port)");
        }
    }

    @Override
    public void start(StackContext context) {
        EmbeddedConnectWorker.Builder builder = EmbeddedConnectWorker.builder(context.endpoint(StackContext.KAFKA))
                .host(HOST)
                .port(context.embedded().connectPort())
                .pluginPath(context.pluginPath());
        if (!context.config().cluster().embeddedKafka()) {
            // A real cluster: its default.replication.factor, not the single-node value of 1.
            builder.config("config.storage.replication.factor", "-1")
                    .config("offset.storage.replication.factor", "-1")
                    .config("status.storage.replication.factor", "-1");
        }
        // The worker's task, sink and consumer-lag metrics under Syncline's names (docs/metrics.md), on a free port.
        int metricsPort = FreePorts.pick();
        builder.config("metric.reporters", SynclineMetricsReporter.WITH_JMX)
                .config("consumer.metric.reporters", SynclineMetricsReporter.WITH_JMX)
                .config(SynclineMetricsReporter.PORT_CONFIG, Integer.toString(metricsPort))
                .config(SynclineMetricsReporter.HOST_CONFIG, HOST);
        worker = builder.build().start();
        address = worker.url();
        context.publish(StackContext.CONNECT, address);
        context.publish(StackContext.CONNECT_METRICS, "http://" + HOST + ":" + metricsPort + "/metrics");
    }

    @Override
    public void stop() {
        worker.close();
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public Health health() {
        return Probes.connect(address);
    }
}
