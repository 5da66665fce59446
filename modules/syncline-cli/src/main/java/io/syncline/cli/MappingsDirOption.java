package io.syncline.cli;

import java.nio.file.Path;

import io.syncline.config.SynclineConfig;
import picocli.CommandLine.Option;

/** {@code --mappings DIR}: the mapping files the normalizer and the mappings commands compile. */
public final class MappingsDirOption {

    @Option(names = "--mappings", paramLabel = "DIR",
            description = "Mappings directory (default: normalizer.mappings, relative to syncline.yaml).")
    Path dir;

    /** The flag's directory, else {@code normalizer.mappings} resolved against the config file's directory. */
    public Path resolve(ConfigOption config, SynclineConfig loaded) {
        return dir != null ? dir.toAbsolutePath().normalize() : config.resolve(loaded.normalizer().mappings());
    }
}
