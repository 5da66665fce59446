package io.syncline.cli.common;

import java.nio.file.Files;
import java.nio.file.Path;

import io.syncline.config.NormalizerConfig;
import io.syncline.config.SynclineConfig;
import picocli.CommandLine.Option;

/** {@code --mappings DIR}: the mapping files the normalizer and the mappings commands compile. */
public final class MappingsDirOption {

    @Option(names = "--mappings", paramLabel = "DIR",
            description = "Mappings directory (default: normalizer.mappings, relative to syncline.yaml).")
    Path dir;

    /**
     * The flag's directory, else {@code normalizer.mappings} resolved against the config file's directory, else (when
     * that is the default and does not exist) the mappings the distribution ships.
     */
    public Path resolve(ConfigOption config, SynclineConfig loaded) {
        return dir != null ? dir.toAbsolutePath().normalize()
                : effective(config.resolve(loaded.normalizer().mappings()), loaded.normalizer());
    }

    /**
     * {@code configured}, or the distribution's {@code mappings/} when {@code normalizer.mappings} is left at its
     * default and the project has no such directory: {@code up} then runs the mappings Syncline ships.
     */
    public static Path effective(Path configured, NormalizerConfig normalizer) {
        if (!Files.isDirectory(configured) && normalizer.mappings().equals(NormalizerConfig.DEFAULT_MAPPINGS)) {
            String home = System.getProperty("syncline.home");
            if (home != null && Files.isDirectory(Path.of(home, "mappings"))) {
                return Path.of(home, "mappings").toAbsolutePath().normalize();
            }
        }
        return configured;
    }
}
