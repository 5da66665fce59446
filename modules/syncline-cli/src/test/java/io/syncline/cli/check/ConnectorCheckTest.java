package io.syncline.cli.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.syncline.config.ConnectorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A connector's {@code ${env:...}}/{@code ${file:...}} references are read as {@code up}'s worker would read them; what
 * cannot be read is a problem at its key, or a warning when another Connect cluster (cluster.connect-url) reads it.
 * The connector class here is one no plugin has (ValidateCommandIT runs real ones), so each check also reports it.
 */
class ConnectorCheckTest {

    @TempDir
    static Path dir;

    private static final Map<String, String> ENV = Map.of("PAYMENTS_KEY", "sk_test_from_env");
    private static final Placer PLACER = new Placer("syncline.yaml", Map.of("sources[0]", 2,
            "sources[0].connector", 3, "sources[0].config.stripe.api.key", 5));

    private static final String MISSING_CLASS = "com.example.NoSuchSourceConnector";

    private static ConnectorConfig payments(String apiKey) {
        return new ConnectorConfig("pay", MISSING_CLASS, null, List.of(), Map.of("stripe.api.key", apiKey));
    }

    static Stream<Arguments> unreadableReferences() throws Exception {
        Path properties = Files.writeString(dir.resolve("secrets.properties"), "other.key=x\n");
        Path missing = dir.resolve("missing.properties");
        return Stream.of(
                Arguments.of("${env:PAYMENTS_KEY_UNSET}", "${env:PAYMENTS_KEY_UNSET} is not set: export "
                        + "PAYMENTS_KEY_UNSET in the environment syncline up runs in"),
                Arguments.of("${file:" + missing + ":payments.key}", "${file:" + missing + ":payments.key}: " + missing
                        + " cannot be read: check that it exists and is readable"),
                Arguments.of("${file:" + properties + ":payments.key}", "${file:" + properties + ":payments.key}: "
                        + properties + " has no key payments.key (it is read as a Java properties file: key=value per "
                        + "line)"),
                Arguments.of("${vault:secret/data/stripe:key}", "${vault:...} uses the config provider \"vault\"; the "
                        + "Connect worker syncline up starts knows env (${env:NAME}) and file "
                        + "(${file:/path/to/file.properties:key})"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableReferences")
    void aReferenceUpsWorkerCouldNotReadIsAProblemAtItsKey(String reference, String message) {
        List<String> findings = new ConnectorCheck(List.of(), ENV, "", PLACER).check(payments(reference), false,
                "sources[0]").stream().map(Finding::toString).toList();
        assertThat(findings).containsExactly("syncline.yaml:5: sources[0].config.stripe.api.key: " + message,
                "syncline.yaml:3: sources[0].connector: connector class " + MISSING_CLASS + " was not found: no plugin "
                        + "directory is set (run through ./syncline, whose plugins/ has Syncline's connectors, or pass "
                        + "--plugin-path); the Connect worker syncline up starts could not create it");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableReferences")
    void withAnotherConnectClusterItIsAWarningAsThatWorkerReadsItsOwnSecrets(String reference, String message) {
        List<String> findings = new ConnectorCheck(List.of(), ENV, "http://connect:8083", PLACER)
                .check(payments(reference), false, "sources[0]").stream().map(Finding::toString).toList();
        assertThat(findings).containsExactly("warning: syncline.yaml:5: sources[0].config.stripe.api.key: " + message
                + " here; the Connect worker at http://connect:8083 resolves it in its own environment",
                "warning: syncline.yaml:3: sources[0].connector: cannot check here: connector class " + MISSING_CLASS
                        + " was not found: no plugin directory is set (run through ./syncline, whose plugins/ has "
                        + "Syncline's connectors, or pass --plugin-path); the Connect worker at http://connect:8083 "
                        + "checks it when syncline up creates it");
    }

    @Test
    void readableReferencesAreNoFinding() throws Exception {
        Path properties = Files.writeString(dir.resolve("good.properties"), "payments.key=sk_test_from_file\n");
        for (String reference : List.of("${env:PAYMENTS_KEY}", "${file:" + properties + ":payments.key}")) {
            assertThat(new ConnectorCheck(List.of(), ENV, "", PLACER).check(payments(reference), false, "sources[0]"))
                    .extracting(f -> f.problem().key()).containsExactly("sources[0].connector");
        }
    }
}
