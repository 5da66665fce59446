package io.syncline.normalizer.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.syncline.config.ConfigException;
import io.syncline.config.SynclineConfig;
import io.syncline.normalizer.Normalizer;
import io.syncline.normalizer.NormalizerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code syncline normalizer}: runs the normalizer alone against any Kafka and registry until stopped. */
@Command(name = "normalizer", mixinStandardHelpOptions = true,
        description = "Run the normalizer (Kafka Streams, exactly-once): raw provider JSON in, canonical Avro out."
                + " Start more instances with the same application id to scale.")
public final class NormalizerCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "local state (default: normalizer.state-dir)")
    Path stateDir;

    @Option(names = "--application-id", paramLabel = "ID", description = "Kafka Streams application id")
    String applicationId;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "serve /health and /metrics on this port (0: any free port)")
    Integer metricsPort;

    @Option(names = "--streams", paramLabel = "KEY=VALUE", description = "extra Kafka Streams setting (repeatable)")
    java.util.Map<String, String> streams = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Normalizer normalizer;
        try {
            SynclineConfig config = connection.loadConfig();
            NormalizerSettings s = NormalizerSettings.from(config.normalizer(), connection.bootstrap(config),
                    connection.registry(config), connection.baseDir(),
                    connection.baseDir().resolve(config.cluster().embedded().dataDir()));
            if (connection.mappings != null) {
                s = new NormalizerSettings(s.bootstrapServers(), s.registryUrl(), connection.mappings,
                        s.applicationId(), s.stateDir(), s.partitions(), s.replicationFactor(),
                        s.dlqTopic(), s.threads(), s.metricsPort(), s.streams(), s.serde());
            }
            if (stateDir != null) {
                s = new NormalizerSettings(s.bootstrapServers(), s.registryUrl(), s.mappingsDir(), s.applicationId(),
                        stateDir, s.partitions(), s.replicationFactor(), s.dlqTopic(), s.threads(),
                        s.metricsPort(), s.streams(), s.serde());
            }
            if (applicationId != null) {
                s = s.withApplicationId(applicationId);
            }
            if (metricsPort != null) {
                s = s.withMetricsPort(metricsPort);
            }
            for (var e : streams.entrySet()) {
                s = s.withStreams(e.getKey(), e.getValue());
            }
            normalizer = Normalizer.create(s);
        } catch (ConfigException e) {
            return ConnectionOptions.fail(e);
        }
        Normalizer running = normalizer;
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "normalizer-shutdown"));
        running.start();
        System.out.println("normalizer " + running.settings().applicationId() + ": " + running.mappings().all().size()
                + " mappings, reading " + String.join(", ", running.mappings().topics())
                + (running.metricsPort() > 0 ? "; /health and /metrics on port " + running.metricsPort() : ""));
        running.awaitStop();
        return running.failure() == null ? 0 : 1;
    }
}
