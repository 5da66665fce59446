package io.syncline.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.syncline.cli.up.RunningFile;
import io.syncline.cli.up.StackContext;
import io.syncline.config.ClusterConfig;
import io.syncline.config.SynclineConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the client commands ({@code status}, {@code topics}, {@code schemas}, {@code tail}) find Kafka, the registry
 * and Connect: a flag, else the running {@code syncline up} of the data directory, else {@code syncline.yaml}
 * (its {@code cluster} URLs, or the embedded ports on localhost).
 */
public final class ClusterOptions {

    @Mixin
    ConfigOption config;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory of the `syncline up` to talk to (default: cluster.embedded.data-dir, "
                    + "else .syncline).")
    Path dataDir;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka to use instead of the one `syncline up` or syncline.yaml names.")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL",
            description = "Schema registry to use instead of the one `syncline up` or syncline.yaml names.")
    String registryUrl;

    @Option(names = "--connect-url", paramLabel = "URL",
            description = "Kafka Connect REST API to use instead of the one `syncline up` or syncline.yaml names.")
    String connectUrl;

    /**
     * Where each service is.
     *
     * @param bootstrapServers Kafka
     * @param registryUrl the schema registry
     * @param connectUrl Kafka Connect
     * @param source how they were found, for error messages
     */
    public record Endpoints(String bootstrapServers, String registryUrl, String connectUrl, String source,
                            Path dataDir, Map<String, String> running) {
        /** Whether the addresses came from a running {@code syncline up}. */
        public boolean fromRunningUp() {
            return !running.isEmpty();
        }
    }

    public Endpoints resolve() {
        SynclineConfig cfg = config.load();
        ClusterConfig cluster = cfg.cluster();
        Path dir = dataDir != null ? dataDir.toAbsolutePath().normalize() : config.resolve(cluster.embedded().dataDir());
        Map<String, String> running = RunningFile.read(dir).orElse(Map.of());
        String source = running.isEmpty()
                ? (Files.exists(config.file()) ? config.file().toString() : "the default ports")
                : "the running syncline up (" + dir.resolve(RunningFile.NAME) + ")";
        String kafka = first(bootstrapServers, running.get(StackContext.KAFKA),
                cluster.embeddedKafka() ? "localhost:" + cluster.embedded().kafkaPort() : cluster.bootstrapServers());
        String registry = first(registryUrl, running.get(StackContext.REGISTRY),
                cluster.embeddedRegistry() ? "http://localhost:" + cluster.embedded().registryPort() : cluster.registryUrl());
        String connect = first(connectUrl, running.get(StackContext.CONNECT),
                cluster.embeddedConnect() ? "http://localhost:" + cluster.embedded().connectPort() : cluster.connectUrl());
        return new Endpoints(kafka, registry, connect, source, dir, running);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return "";
    }

    /** The hint every "does not answer" error ends with. */
    public static String notRunningHint(String what, String flag) {
        return "is `syncline up` running? Start it with ./syncline up, or point " + flag + " (or syncline.yaml's cluster "
                + "section) at your " + what;
    }
}
