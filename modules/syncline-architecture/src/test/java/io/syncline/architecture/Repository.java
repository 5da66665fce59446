package io.syncline.architecture;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's modules are, from this module's directory (Maven runs tests there). */
final class Repository {

    private Repository() {
    }

    static Path modules() {
        Path modules = Path.of("").toAbsolutePath().getParent();
        if (modules == null || !Files.isDirectory(modules.resolve("syncline-architecture"))) {
            throw new IllegalStateException("run from modules/syncline-architecture (as Maven does); cwd is "
                    + Path.of("").toAbsolutePath());
        }
        return modules;
    }
}
