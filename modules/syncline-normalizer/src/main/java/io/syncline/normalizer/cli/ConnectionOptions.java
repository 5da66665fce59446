package io.syncline.normalizer.cli;

import java.nio.file.Path;

import io.syncline.config.ConfigException;
import io.syncline.config.SynclineConfig;
import io.syncline.config.SynclineConfigLoader;
import picocli.CommandLine.Option;

/** Options every normalizer command shares: the config file and overrides of where Kafka and the registry are. */
public final class ConnectionOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = SynclineConfig.DEFAULT_FILE,
            description = "syncline.yaml to read (default: ${DEFAULT-VALUE}; optional)")
    Path config;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]",
            description = "Kafka bootstrap servers (default: cluster.bootstrap-servers)")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL",
            description = "schema registry URL (default: cluster.registry-url)")
    String registryUrl;

    @Option(names = "--mappings", paramLabel = "DIR", description = "mappings directory (default: normalizer.mappings)")
    Path mappings;

    /** The config file, or the defaults when it does not exist. */
    SynclineConfig loadConfig() {
        return SynclineConfigLoader.loadOrDefaults(config);
    }

    /** The directory relative paths of syncline.yaml are resolved against. */
    Path baseDir() {
        Path parent = config.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    Path mappingsDir(SynclineConfig c) {
        return mappings != null ? mappings : baseDir().resolve(c.normalizer().mappings());
    }

    String bootstrap(SynclineConfig c) {
        String b = bootstrapServers != null ? bootstrapServers : c.cluster().bootstrapServers();
        if (b.isEmpty()) {
            b = "localhost:" + c.cluster().embedded().kafkaPort();
        }
        return b;
    }

    String registry(SynclineConfig c) {
        String r = registryUrl != null ? registryUrl : c.cluster().registryUrl();
        if (r.isEmpty()) {
            r = "http://localhost:" + c.cluster().embedded().registryPort();
        }
        return r;
    }

    static int fail(ConfigException e) {
        System.err.println(SynclineConfigLoader.describe(e));
        return 2;
    }
}
