package io.syncline.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.syncline.cli.common.CheckOption;
import io.syncline.cli.common.CliException;
import io.syncline.cli.common.HelpOption;
import io.syncline.cli.common.MappingsDirOption;
import io.syncline.config.SynclineConfig;
import io.syncline.normalizer.Normalizer;
import io.syncline.normalizer.NormalizerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code syncline normalizer}: runs the normalizer alone against any Kafka and registry until stopped. */
@Command(name = "normalizer", header = "Run the normalizer alone (Kafka Streams, exactly-once).",
        description = "Reads raw provider JSON, writes canonical Avro through the declarative mappings, dead-letters "
                + "what it cannot map. Settings come from syncline.yaml's normalizer section, the flags override them. "
                + "Start more instances with the same application id to scale; `syncline up` runs one too.")
final class NormalizerCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    MappingsDirOption mappings;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Local state (default: normalizer.state-dir, "
            + "else <data-dir>/normalizer).")
    Path stateDir;

    @Option(names = "--application-id", paramLabel = "ID",
            description = "Kafka Streams application id (default: normalizer.application-id).")
    String applicationId;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve /health and /metrics on this port (default: normalizer.metrics-port; 0: any free port).")
    Integer metricsPort;

    @Option(names = "--streams", paramLabel = "KEY=VALUE", description = "Extra Kafka Streams setting (repeatable).")
    Map<String, String> streams = new LinkedHashMap<>();

    @Mixin
    CheckOption check;

    @Spec
    CommandSpec spec;

    /** The settings the flags and syncline.yaml give, without starting anything. */
    NormalizerSettings settings() {
        SynclineConfig config = connection.config();
        ConnectionOptions.Endpoints endpoints = connection.resolve();
        NormalizerSettings s = NormalizerSettings.from(config.normalizer(), endpoints.bootstrapServers(),
                endpoints.registryUrl(), connection.configOption().resolve("."), endpoints.dataDir())
                .withMappingsDir(mappings.resolve(connection.configOption(), config));
        if (stateDir != null) {
            s = s.withStateDir(stateDir);
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
        return s;
    }

    @Override
    public Integer call() throws InterruptedException {
        Normalizer normalizer = Normalizer.create(settings());
        if (check.only()) {
            spec.commandLine().getOut().println("normalizer: settings OK (" + normalizer.mappings().all().size()
                    + " mappings, application id " + normalizer.settings().applicationId() + ")");
            spec.commandLine().getOut().flush();
            return 0;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(normalizer::close, "normalizer-shutdown"));
        normalizer.start();
        var out = spec.commandLine().getOut();
        out.println("normalizer " + normalizer.settings().applicationId() + ": " + normalizer.mappings().all().size()
                + " mappings, reading " + String.join(", ", normalizer.mappings().topics())
                + (normalizer.metricsPort() > 0 ? "; /health and /metrics on port " + normalizer.metricsPort() : ""));
        out.flush();
        normalizer.awaitStop();
        if (normalizer.failure() != null) {
            throw new CliException("the normalizer stopped: " + SynclineCli.describe(normalizer.failure()),
                    normalizer.failure());
        }
        return 0;
    }
}
