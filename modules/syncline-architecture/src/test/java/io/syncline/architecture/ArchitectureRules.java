package io.syncline.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.Optional;
import java.util.function.BiPredicate;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The rules of ARCHITECTURE.md's module graph, as ArchUnit rules over main classes. {@link ArchitectureTest} checks
 * them against every module; {@link ArchitectureRulesTest} shows that each fails on a deliberately wrong import.
 */
final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /** Every main class of every Syncline module on the class path (test classes and fixtures left out). */
    static JavaClasses mainClasses() {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/syncline-architecture/"))
                .importPackages("io.syncline");
    }

    /** A plugin imports no role (gateway, normalizer, console), no CLI, no sandbox, no bench and no other plugin. */
    static ArchRule pluginsStandAlone() {
        return classes().that(inModule(Modules::isPlugin, "a Connect plugin module"))
                .should(dependOnNoModule((from, to) -> Modules.isRoleOrCli(to) || Modules.isPlugin(to)
                        || to.equals(Modules.SANDBOX) || to.equals(Modules.BENCH) || to.equals(Modules.TEST_SUPPORT),
                        "import no role, no CLI, no sandbox, no test tooling and no other plugin"));
    }

    /** Domain modules expose plain Java entry points; only the CLI (and the benchmarks' drivers) use picocli. */
    static ArchRule picocliOnlyInTheCli() {
        return classes().that(inModule(m -> !m.equals(Modules.CLI) && !m.equals(Modules.BENCH),
                        "a module other than syncline-cli"))
                .should(dependOnNoPackage("picocli", "use picocli (commands live in syncline-cli)"));
    }

    /** The sandboxes imitate providers for demos and tests; product code never calls them. */
    static ArchRule noDomainModuleImportsTheSandbox() {
        return classes().that(inModule(m -> !Modules.isTooling(m) && !m.equals(Modules.SANDBOX),
                        "a domain module"))
                .should(dependOnNoModule((from, to) -> to.equals(Modules.SANDBOX),
                        "import the sandbox (only the CLI's demo, the benchmarks and tests may)"));
    }

    /** The CLI wraps the domain modules, never the other way round. */
    static ArchRule nothingImportsTheCli() {
        return classes().that(inModule(m -> !m.equals(Modules.CLI) && !m.equals(Modules.BENCH),
                        "a module other than syncline-cli"))
                .should(dependOnNoModule((from, to) -> to.equals(Modules.CLI), "import the CLI"));
    }

    /** No cycle between any two packages, within a module or across modules. */
    static ArchRule noPackageCycles() {
        return slices().matching("io.syncline.(**)").should().beFreeOfCycles();
    }

    private static DescribedPredicate<JavaClass> inModule(java.util.function.Predicate<String> module,
            String description) {
        return DescribedPredicate.describe("are in " + description,
                c -> Modules.of(c).map(module::test).orElse(false));
    }

    private static ArchCondition<JavaClass> dependOnNoModule(BiPredicate<String, String> forbidden,
            String description) {
        return new ArchCondition<>(description) {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                String from = Modules.of(c).orElseThrow();
                for (Dependency d : c.getDirectDependenciesFromSelf()) {
                    Optional<String> to = Modules.of(d.getTargetClass());
                    if (to.isPresent() && !to.get().equals(from) && forbidden.test(from, to.get())) {
                        events.add(SimpleConditionEvent.violated(d, from + " → " + to.get() + ": "
                                + d.getDescription()));
                    }
                }
            }
        };
    }

    private static ArchCondition<JavaClass> dependOnNoPackage(String root, String description) {
        return new ArchCondition<>("not " + description) {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                for (Dependency d : c.getDirectDependenciesFromSelf()) {
                    String pkg = d.getTargetClass().getPackageName();
                    if (pkg.equals(root) || pkg.startsWith(root + ".")) {
                        events.add(SimpleConditionEvent.violated(d, Modules.of(c).orElse("?") + ": "
                                + d.getDescription()));
                    }
                }
            }
        };
    }
}
