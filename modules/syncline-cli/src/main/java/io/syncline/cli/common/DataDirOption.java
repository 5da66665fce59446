package io.syncline.cli.common;

import java.nio.file.Path;

import io.syncline.config.SynclineConfig;
import picocli.CommandLine.Option;

/**
 * {@code --data-dir DIR}: where {@code syncline up} keeps its state and writes its running file, and therefore where
 * every other command finds the running stack. Declared once so both sides mean the same directory.
 */
public final class DataDirOption {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory of `syncline up`: where it keeps topics, schemas, connectors and offsets "
                    + "between runs, and where the other commands find the running stack's addresses "
                    + "(default: cluster.embedded.data-dir, else .syncline).")
    Path dataDir;

    /** The flag's directory, else {@code cluster.embedded.data-dir} resolved against the config file's directory. */
    public Path resolve(ConfigOption config, SynclineConfig loaded) {
        return dataDir != null ? dataDir.toAbsolutePath().normalize()
                : config.resolve(loaded.cluster().embedded().dataDir());
    }
}
