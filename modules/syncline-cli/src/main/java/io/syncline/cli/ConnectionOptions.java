package io.syncline.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.syncline.cli.common.ConfigOption;
import io.syncline.cli.common.DataDirOption;
import io.syncline.cli.up.RunningFile;
import io.syncline.cli.up.StackContext;
import io.syncline.config.ClusterConfig;
import io.syncline.config.SynclineConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where every command that talks to the stack finds Kafka, the registry and Connect, declared once for all of them:
 * a flag, else the running {@code syncline up} of the data directory (its running file), else {@code syncline.yaml}
 * (its {@code cluster} URLs, or the embedded ports on localhost).
 */
public final class ConnectionOptions {

    @Mixin
    ConfigOption config;

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka to use instead of the one `syncline up` or syncline.yaml names.")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL",
            description = "Schema registry to use instead of the one `syncline up` or syncline.yaml names.")
    String registryUrl;

    @Option(names = "--connect-url", paramLabel = "URL",
            description = "Kafka Connect REST API to use instead of the one `syncline up` or syncline.yaml names.")
    String connectUrl;

    private SynclineConfig loaded;

    /**
     * Where each service is.
     *
     * @param bootstrapServers Kafka
     * @param registryUrl the schema registry
     * @param connectUrl Kafka Connect
     * @param source how they were found, for error messages
     * @param dataDir the data directory whose running file was consulted
     * @param running the running file's endpoints; empty when no {@code syncline up} runs there
     */
    public record Endpoints(String bootstrapServers, String registryUrl, String connectUrl, String source,
                            Path dataDir, Map<String, String> running) {
        /** Whether the addresses came from a running {@code syncline up}. */
        public boolean fromRunningUp() {
            return !running.isEmpty();
        }
    }

    /** The config file this command reads (its defaults when the file does not exist); loaded once. */
    public SynclineConfig config() {
        if (loaded == null) {
            loaded = config.load();
        }
        return loaded;
    }

    /** The {@code --config} option itself: the file and how relative paths in it resolve. */
    public ConfigOption configOption() {
        return config;
    }

    /** Whether {@code --bootstrap-servers} was given on the command line. */
    public boolean bootstrapServersGiven() {
        return bootstrapServers != null && !bootstrapServers.isBlank();
    }

    public Endpoints resolve() {
        SynclineConfig cfg = config();
        ClusterConfig cluster = cfg.cluster();
        Path dir = dataDir.resolve(config, cfg);
        Map<String, String> running = RunningFile.read(dir).orElse(Map.of());
        String source = running.isEmpty()
                ? (Files.exists(config.file()) ? config.file().toString() : "the default ports")
                : "the running syncline up (" + dir.resolve(RunningFile.NAME) + ")";
        long flags = java.util.stream.Stream.of(bootstrapServers, registryUrl, connectUrl)
                .filter(f -> f != null && !f.isBlank()).count();
        source = flags == 3 ? "the command line" : flags > 0 ? "the command line and " + source : source;
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
