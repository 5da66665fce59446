package io.syncline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.syncline.cli.common.CheckOption;
import io.syncline.cli.common.CliException;
import io.syncline.cli.common.HelpOption;
import io.syncline.kafka.EmbeddedConnectWorker;
import io.syncline.kafka.FreePorts;
import io.syncline.metrics.kafka.SynclineMetricsReporter;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code syncline connect-worker}: one Kafka Connect worker (distributed mode) with the distribution's plugins, joining
 * the Connect cluster of its group id on an existing Kafka; start more with the same group id to share the work.
 */
@Command(name = "connect-worker", header = "Run one Kafka Connect worker alone, joining a Connect cluster by group id.",
        description = {"A distributed-mode worker with Syncline's settings (docs/running.md) and every plugin the "
                + "distribution ships; workers with the same --group-id form one Connect cluster and share connectors "
                + "and tasks through Kafka. With --metrics-port it serves GET /metrics (docs/metrics.md). Runs until "
                + "stopped; `syncline up` runs one too."})
final class ConnectWorkerCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    PluginPathOption plugins;

    @Option(names = "--group-id", paramLabel = "ID", defaultValue = EmbeddedConnectWorker.DEFAULT_GROUP_ID,
            description = "Connect cluster to join (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "localhost",
            description = "Interface of the REST API (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8083",
            description = "REST API port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--advertised-host", paramLabel = "HOST",
            description = "Host name the other workers reach this one's REST API at (default: --host).")
    String advertisedHost;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve GET /metrics on this port (0: any free port; default: none).")
    Integer metricsPort;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "-1",
            description = "Replication factor of the worker's topics (default: ${DEFAULT-VALUE}, the cluster's).")
    int replicationFactor;

    @Option(names = "--worker-config", paramLabel = "FILE",
            description = "More worker properties (TLS, SASL, converters; secrets through config providers); they "
                    + "win over Syncline's settings.")
    Path workerConfig;

    @Mixin
    CheckOption check;

    @Spec
    CommandSpec spec;

    /** The worker the flags describe, built but not started; bad settings fail naming the flag or key. */
    EmbeddedConnectWorker build() {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--port: expected a port between 0 and 65535, got " + port);
        }
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--metrics-port: expected a port between 0 and 65535 (0 = any free port), got " + metricsPort);
        }
        for (Path dir : plugins.directories()) {
            if (!Files.isDirectory(dir)) {
                throw new CliException("the Connect plugin directory " + dir + " (--plugin-path) does not exist; "
                        + "create it or leave it out");
            }
        }
        String rf = Integer.toString(replicationFactor);
        EmbeddedConnectWorker.Builder builder = EmbeddedConnectWorker.builder(connection.resolve().bootstrapServers())
                .host(host).port(port).pluginPath(plugins.directories())
                .config("group.id", groupId)
                .config("config.storage.replication.factor", rf)
                .config("offset.storage.replication.factor", rf)
                .config("status.storage.replication.factor", rf)
                // Several workers: Connect's defaults for partitions, and a restarting worker gets time to come back.
                .config("offset.storage.partitions", "25")
                .config("status.storage.partitions", "5");
        if (advertisedHost != null) {
            builder.config("rest.advertised.host.name", advertisedHost);
        }
        if (metricsPort != null) {
            int p = metricsPort == 0 ? FreePorts.pick() : metricsPort;
            builder.config("metric.reporters", SynclineMetricsReporter.WITH_JMX)
                    .config("consumer.metric.reporters", SynclineMetricsReporter.WITH_JMX)
                    .config(SynclineMetricsReporter.PORT_CONFIG, Integer.toString(p))
                    .config(SynclineMetricsReporter.HOST_CONFIG, host);
            metricsPort = p;
        }
        workerProperties().forEach(builder::config);
        EmbeddedConnectWorker worker = builder.build();
        try {
            new DistributedConfig(worker.workerConfig());
        } catch (ConfigException e) {
            throw new CliException("the Connect worker settings are not valid: " + e.getMessage()
                    + (workerConfig == null ? "" : " (flags and " + workerConfig + ")"), e);
        }
        return worker;
    }

    private Map<String, String> workerProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        if (workerConfig == null) {
            return props;
        }
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(workerConfig, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException e) {
            throw new CliException("cannot read --worker-config " + workerConfig + ": " + e.getMessage()
                    + "; pass a Kafka Connect worker properties file", e);
        }
        p.forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
        return props;
    }

    @Override
    public Integer call() throws InterruptedException {
        EmbeddedConnectWorker worker = build();
        PrintWriter out = spec.commandLine().getOut();
        if (check.only()) {
            out.println("connect-worker: settings OK (group " + groupId + ", Kafka " + worker.workerConfig()
                    .get("bootstrap.servers") + ", plugins " + plugins.directories() + ")");
            out.flush();
            return 0;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            stopped.countDown();
        }, "syncline-connect-worker-shutdown"));
        try {
            worker.start();
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
        out.println("Kafka Connect worker listening on " + worker.url() + " (group " + groupId + ")"
                + (metricsPort == null ? "" : "; /metrics on port " + metricsPort));
        out.flush();
        stopped.await();
        return 0;
    }
}
