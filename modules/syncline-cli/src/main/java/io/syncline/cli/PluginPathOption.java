package io.syncline.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;

/**
 * {@code --plugin-path DIR}: where Connect plugins are, besides the distribution's {@code plugins/}. {@code up}'s
 * worker loads connectors from it and {@code validate} checks them with the same classes.
 */
public final class PluginPathOption {

    @Option(names = "--plugin-path", paramLabel = "DIR", split = ",",
            description = "More Connect plugin directories (one sub-directory per plugin), in addition to the "
                    + "distribution's plugins/ directory. Repeatable.")
    List<Path> extra = new ArrayList<>();

    /** The distribution's plugins/ (when run from one) and the --plugin-path directories. */
    public List<Path> directories() {
        List<Path> dirs = new ArrayList<>();
        String home = System.getProperty("syncline.home");
        if (home != null && Files.isDirectory(Path.of(home, "plugins"))) {
            dirs.add(Path.of(home, "plugins").toAbsolutePath().normalize());
        }
        extra.forEach(p -> dirs.add(p.toAbsolutePath().normalize()));
        return dirs;
    }
}
