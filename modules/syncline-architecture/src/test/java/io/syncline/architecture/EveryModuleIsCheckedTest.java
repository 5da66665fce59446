package io.syncline.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The rules see only modules on this module's class path: a new module must be added to this module's pom, or its
 * imports would go unchecked without anyone noticing.
 */
class EveryModuleIsCheckedTest {

    @Test
    void everyModuleWithMainCodeIsADependencyOfTheArchitectureTests() throws Exception {
        Path modules = Repository.modules();
        List<String> dependencies = PluginPomsTest.dependencies(modules.resolve(Modules.ARCHITECTURE + "/pom.xml"))
                .stream().map(PluginPomsTest.Dep::artifactId).toList();
        List<String> withMainCode;
        try (Stream<Path> dirs = Files.list(modules)) {
            withMainCode = dirs.filter(d -> Files.isDirectory(d.resolve("src/main/java")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        }

        assertThat(withMainCode).isNotEmpty();
        assertThat(dependencies).as("modules/syncline-architecture/pom.xml dependencies").containsAll(withMainCode);
    }
}
