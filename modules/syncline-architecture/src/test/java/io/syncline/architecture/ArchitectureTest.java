package io.syncline.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md's dependency rules, checked against the main classes of every module. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importEveryModule() {
        classes = ArchitectureRules.mainClasses();
    }

    @Test
    void pluginsImportNoRoleNoCliNoSandboxAndNoOtherPlugin() {
        ArchitectureRules.pluginsStandAlone().check(classes);
    }

    @Test
    void onlyTheCliUsesPicocli() {
        ArchitectureRules.picocliOnlyInTheCli().check(classes);
    }

    @Test
    void noDomainModuleImportsTheSandbox() {
        ArchitectureRules.noDomainModuleImportsTheSandbox().check(classes);
    }

    @Test
    void nothingImportsTheCli() {
        ArchitectureRules.nothingImportsTheCli().check(classes);
    }

    @Test
    void noCycleBetweenPackages() {
        ArchitectureRules.noPackageCycles().check(classes);
    }
}
