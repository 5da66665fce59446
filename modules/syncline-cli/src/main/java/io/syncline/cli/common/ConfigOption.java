package io.syncline.cli.common;

import java.nio.file.Files;
import java.nio.file.Path;

import io.syncline.config.ConfigException;
import io.syncline.config.SynclineConfig;
import io.syncline.config.SynclineConfigLoader;
import picocli.CommandLine.Option;

/** {@code --config FILE}: the syncline.yaml every command reads when it exists. */
public final class ConfigOption {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = SynclineConfig.DEFAULT_FILE,
            description = "syncline.yaml to read; used when it exists, else everything runs embedded on the default "
                    + "ports (default: ${DEFAULT-VALUE}).")
    Path file;

    public Path file() {
        return file;
    }

    /** The config, or the defaults when the file does not exist; problems become one {@link CliException}. */
    public SynclineConfig load() {
        try {
            return SynclineConfigLoader.loadOrDefaults(file);
        } catch (ConfigException e) {
            throw new CliException(SynclineConfigLoader.describe(e) + "\n" + e.problems().size()
                    + (e.problems().size() == 1 ? " problem" : " problems") + " in " + file
                    + "; fix it (syncline validate lists them again) or pass another file with --config");
        }
    }

    /**
     * A directory from syncline.yaml, resolved against the file's directory so that the stack's data stays next to its
     * config wherever the command runs from.
     */
    public Path resolve(String dir) {
        Path path = Path.of(dir);
        if (path.isAbsolute() || !Files.exists(file)) {
            return path.toAbsolutePath().normalize();
        }
        Path parent = file.toAbsolutePath().getParent();
        return parent.resolve(path).normalize();
    }
}
