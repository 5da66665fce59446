package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code syncline validate} checks the whole file and what it names in one run, and lists every problem: the typed
 * model, every secret reference (read as {@code up} would read it), and the mappings.
 */
class ValidateEverythingTest {

    @TempDir
    Path dir;

    private Path mappingsWithOneBrokenFile() throws Exception {
        Path mappings = Files.createDirectories(dir.resolve("mappings").resolve("stripe"));
        Files.copy(Path.of(ValidateCommandTest.MAPPINGS, "stripe", "customer.yaml"), mappings.resolve("customer.yaml"));
        // The envelopes the customer mapping names are declared beside it.
        Files.copy(Path.of(ValidateCommandTest.MAPPINGS, "stripe", "envelopes.yaml"), mappings.resolve("envelopes.yaml"));
        Files.writeString(mappings.resolve("refund.yaml"), """
                source:
                  topic: raw.stripe.refund
                  object: refund
                target: finance.Refnd
                system: stripe
                source-id: /id
                """);
        return mappings.getParent();
    }

    @Test
    void listsEveryProblemOfTheFileItsSecretsAndItsMappingsInOneRun() throws Exception {
        Path mappings = mappingsWithOneBrokenFile();
        Path file = Files.writeString(dir.resolve("syncline.yaml"), """
                cluster:
                  bootstrap-servers: "not a server"
                  conect-url: http://localhost:8083
                gateway:
                  endpoints:
                    - name: stripe
                      scheme: stripe
                      secrets: [env:SYNCLINE_TEST_UNSET_SECRET, "file:%s"]
                      topic: raw.stripe.event
                normalizer:
                  mappings: %s
                  threads: lots
                """.formatted(dir.resolve("missing-secret"), mappings));
        ValidateCommandTest.Run run = ValidateCommandTest.run("validate", "--config", file.toString());
        assertThat(run.err().lines().toList()).satisfiesExactly(
                l -> assertThat(l).isEqualTo(file + ":2: cluster.bootstrap-servers: expected host:port[,host:port...], "
                        + "got \"not a server\""),
                l -> assertThat(l).isEqualTo(file + ":3: cluster.conect-url: unknown key \"conect-url\"; expected one "
                        + "of bootstrap-servers, connect-url, embedded, registry-url"),
                l -> assertThat(l).isEqualTo(file + ":8: gateway.endpoints[0].secrets[0]: secret "
                        + "env:SYNCLINE_TEST_UNSET_SECRET is not set: export SYNCLINE_TEST_UNSET_SECRET in the "
                        + "environment of this process"),
                l -> assertThat(l).isEqualTo(file + ":8: gateway.endpoints[0].secrets[1]: secret file:"
                        + dir.resolve("missing-secret") + " cannot be read (NoSuchFileException): check that "
                        + dir.resolve("missing-secret") + " exists and is readable"),
                l -> assertThat(l).isEqualTo(file + ":12: normalizer.threads: expected a whole number, got \"lots\""),
                // The mapping's own problems, as the normalizer would refuse them at start (the list of entities grows).
                l -> assertThat(l).startsWith("mappings/stripe/refund.yaml:4: target: unknown canonical entity "
                        + "\"finance.Refnd\"; expected one of finance.Customer, "),
                l -> assertThat(l).isEqualTo("mappings/stripe/refund.yaml: updated-at: missing updated-at: when the "
                        + "source last changed, e.g. {timestamp: $event/created, from: unix-seconds}"),
                l -> assertThat(l).isEqualTo("7 problems in " + file + ", mappings/stripe/refund.yaml; fix them and "
                        + "run syncline validate again"));
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
    }

    static Stream<Arguments> unreadableSecrets() {
        return Stream.of(
                Arguments.of("a variable that is not set", "env:SYNCLINE_TEST_UNSET_SECRET",
                        "secret env:SYNCLINE_TEST_UNSET_SECRET is not set: export SYNCLINE_TEST_UNSET_SECRET in the "
                                + "environment of this process"),
                Arguments.of("a file that does not exist", "file:{dir}/no-such-secret",
                        "secret file:{dir}/no-such-secret cannot be read (NoSuchFileException): check that "
                                + "{dir}/no-such-secret exists and is readable"),
                Arguments.of("an empty file", "file:{dir}/empty-secret",
                        "secret file:{dir}/empty-secret is empty: write the secret into {dir}/empty-secret"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableSecrets")
    void aSecretThatCannotBeReadFailsValidateNotUp(String name, String reference, String message) throws Exception {
        Files.writeString(dir.resolve("empty-secret"), "\n");
        Path file = Files.writeString(dir.resolve("syncline.yaml"), """
                gateway:
                  endpoints:
                    - name: github
                      scheme: github
                      secrets: ["%s"]
                      topic: raw.github.event
                """.formatted(reference.replace("{dir}", dir.toString())));
        ValidateCommandTest.Run run = ValidateCommandTest.run("validate", "--config", file.toString(), "--mappings",
                ValidateCommandTest.MAPPINGS);
        assertThat(run.err().lines()).containsExactly(
                file + ":5: gateway.endpoints[0].secrets[0]: " + message.replace("{dir}", dir.toString()),
                "1 problem in " + file + "; fix it and run syncline validate again");
        assertThat(run.code()).isEqualTo(1);
    }

    @Test
    void readableSecretsAreCountedInTheSummary() throws Exception {
        Files.writeString(dir.resolve("gh-secret"), "a-webhook-secret\n");
        Path file = Files.writeString(dir.resolve("syncline.yaml"), """
                gateway:
                  endpoints:
                    - name: github
                      scheme: github
                      secrets: ["file:%s"]
                      topic: raw.github.event
                """.formatted(dir.resolve("gh-secret")));
        ValidateCommandTest.Run run = ValidateCommandTest.run("validate", "--config", file.toString(), "--mappings",
                ValidateCommandTest.MAPPINGS);
        assertThat(run.err()).isEmpty();
        assertThat(run.code()).isZero();
        assertThat(run.out()).startsWith(file + ": valid\n").contains("  secrets     1 reference read\n")
                .doesNotContain("a-webhook-secret");
    }

    @Test
    void anUnclosedSecretListSaysWhatIsWrongAndWhatIsValid() throws Exception {
        Path file = Files.writeString(dir.resolve("syncline.yaml"), """
                gateway:
                  endpoints:
                    - name: stripe
                      scheme: stripe
                      secrets: [env:STRIPE_WEBHOOK_SECRET
                      topic: raw.stripe.event
                """);
        ValidateCommandTest.Run run = ValidateCommandTest.run("validate", "--config", file.toString());
        assertThat(run.err().lines()).containsExactly(
                file + ":5: gateway.endpoints[0].secrets: the list opened with [ on line 5 is not closed (no ] before "
                        + "line 6); a secret list is [env:NAME] or [env:NAME, file:/path/to/secret], closed on the line "
                        + "it starts, or as one \"- item\" per line",
                "1 problem in " + file + "; fix it and run syncline validate again");
        assertThat(run.code()).isEqualTo(1);
    }
}
