package io.syncline.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.syncline.archfixture.cycle.a.PartOfACycle;
import io.syncline.archfixture.cycle.b.OtherPartOfACycle;
import io.syncline.archfixture.syncline_connect_http.ImportsAnotherPlugin;
import io.syncline.archfixture.syncline_connect_payments.ImportsTheGateway;
import io.syncline.archfixture.syncline_connect_payments.ImportsTheHttpLibrary;
import io.syncline.archfixture.syncline_gateway.ImportsTheSandbox;
import io.syncline.archfixture.syncline_normalizer.ImportsPicocli;
import io.syncline.archfixture.syncline_normalizer.ImportsTheCli;
import io.syncline.cli.SynclineCli;
import io.syncline.connect.payments.PaymentsSourceConnector;
import io.syncline.gateway.WebhookGateway;
import io.syncline.http.SynclineHttpClient;
import io.syncline.sandbox.payments.PaymentsSandbox;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Each architecture rule fails on a deliberately wrong import and names it, and passes on an allowed one. */
class ArchitectureRulesTest {

    static Stream<Arguments> wrongImports() {
        return Stream.of(
                Arguments.of("a plugin imports a role", rule(ArchitectureRules::pluginsStandAlone),
                        classes(ImportsTheGateway.class, WebhookGateway.class),
                        "syncline-connect-payments → syncline-gateway"),
                Arguments.of("a plugin imports another plugin", rule(ArchitectureRules::pluginsStandAlone),
                        classes(ImportsAnotherPlugin.class, PaymentsSourceConnector.class),
                        "syncline-connect-http → syncline-connect-payments"),
                Arguments.of("a domain module imports picocli", rule(ArchitectureRules::picocliOnlyInTheCli),
                        classes(ImportsPicocli.class, CommandLine.class), "picocli.CommandLine"),
                Arguments.of("a domain module imports the sandbox",
                        rule(ArchitectureRules::noDomainModuleImportsTheSandbox),
                        classes(ImportsTheSandbox.class, PaymentsSandbox.class),
                        "syncline-gateway → syncline-sandbox"),
                Arguments.of("a domain module imports the CLI", rule(ArchitectureRules::nothingImportsTheCli),
                        classes(ImportsTheCli.class, SynclineCli.class), "syncline-normalizer → syncline-cli"),
                Arguments.of("two packages import each other", rule(ArchitectureRules::noPackageCycles),
                        classes(PartOfACycle.class, OtherPartOfACycle.class), "Cycle detected"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongImports")
    void refusesAWrongImportAndNamesIt(String scenario, Supplier<ArchRule> rule, JavaClasses classes,
            String named) {
        EvaluationResult result = rule.get().evaluate(classes);

        assertThat(result.hasViolation()).as(scenario).isTrue();
        assertThat(result.getFailureReport().toString()).contains(named);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongImports")
    void passesWithoutTheWrongImport(String scenario, Supplier<ArchRule> rule, JavaClasses ignored,
            String named) {
        // The same rule over a plugin class that imports only a library every plugin may bundle.
        JavaClasses allowed = classes(ImportsTheHttpLibrary.class, SynclineHttpClient.class);

        assertThat(rule.get().evaluate(allowed).hasViolation()).as(scenario).isFalse();
    }

    private static Supplier<ArchRule> rule(Supplier<ArchRule> rule) {
        return rule;
    }

    private static JavaClasses classes(Class<?>... classes) {
        return new ClassFileImporter().importClasses(classes);
    }
}
