package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.syncline.cli.dist.SynclineProcess;
import io.syncline.sandbox.crm.CrmSandbox;
import io.syncline.sandbox.payments.PaymentsSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code syncline validate}, run from the distribution, runs each source's and sink's own {@code validate()}, loaded
 * from the distribution's plugins/ as {@code up}'s worker loads it, on settings whose references it resolved first; the
 * payments source's live check talks to a real payments sandbox. Nothing else runs: no Kafka, no Connect.
 */
class ValidateCommandIT {

    @TempDir
    static Path dir;
    static PaymentsSandbox payments;
    static String host;
    static CrmSandbox crm;
    static String crmHost;

    @BeforeAll
    static void startTheApis() {
        payments = PaymentsSandbox.builder().port(0).build().start();
        URI url = URI.create(payments.url());
        host = url.getHost() + ":" + url.getPort();
        crm = CrmSandbox.builder().port(0).build().start();
        URI crmUrl = URI.create(crm.url());
        crmHost = crmUrl.getHost() + ":" + crmUrl.getPort();
    }

    @AfterAll
    static void stopTheApis() {
        try {
            if (payments != null) {
                payments.close();
            }
        } finally {
            if (crm != null) {
                crm.close();
            }
        }
    }


    /** syncline.yaml with one payments source whose API key comes from a properties file holding {@code key}. */
    private static Path config(String name, String key, String sinks) throws Exception {
        Path secrets = Files.writeString(dir.resolve(name + ".properties"), "payments.api.key=" + key + "\n");
        return Files.writeString(dir.resolve(name + ".yaml"), """
                sources:
                  - name: stripe-payments
                    connector: payments
                    config:
                      key.converter: org.apache.kafka.connect.storage.StringConverter
                      value.converter: org.apache.kafka.connect.converters.ByteArrayConverter
                      stripe.base.url: http://%s
                      auth.bearer.token: ${file:%s:payments.api.key}
                      outbound.allow.list: %s
                      outbound.allow.plain.http: %s
                %s""".formatted(host, secrets, host, host, sinks));
    }

    /** {@code ./syncline validate --config FILE} in a process of its own, as a user runs it. */
    private static ValidateCommandTest.Run validate(Path file) {
        try (SynclineProcess process = SynclineProcess.start(Path.of(System.getProperty("syncline.dist")), dir,
                List.of("validate", "--config", file.toString(), "--mappings", ValidateCommandTest.MAPPINGS), Map.of())) {
            int code = process.waitFor(Duration.ofSeconds(120)).orElseThrow(() -> new AssertionError(
                    "validate did not finish within 120 s; its output:\n" + process.stdout() + process.stderr()));
            return new ValidateCommandTest.Run(code, process.stdout(), process.stderr());
        }
    }

    @Test
    void aSourceThatItsConnectorAcceptsLiveIsValid() throws Exception {
        Path file = config("valid", PaymentsSandbox.DEFAULT_API_KEY, "");
        ValidateCommandTest.Run run = validate(file);
        assertThat(run.err()).isEmpty();
        assertThat(run.code()).isZero();
        assertThat(run.out()).startsWith(file + ": valid\n")
                .contains("  connectors  stripe-payments checked by their connectors' validate()\n");
    }

    /** A second source, the CRM source by its short name, reading the CRM sandbox with the token in {@code token}. */
    private static String crmSource(String name, String token) throws Exception {
        Path secrets = Files.writeString(dir.resolve(name + "-crm.properties"), "crm.token=" + token + "\n");
        return """
                  - name: hubspot-objects
                    connector: crm-source
                    config:
                      key.converter: org.apache.kafka.connect.storage.StringConverter
                      value.converter: org.apache.kafka.connect.converters.ByteArrayConverter
                      crm.url: http://%s
                      auth.bearer.token: ${file:%s:crm.token}
                      outbound.allow.list: %s
                      outbound.allow.plain.http: %s
                """.formatted(crmHost, secrets, crmHost, crmHost);
    }

    @Test
    void theCrmSourceIsLoadedFromThePluginsAndCheckedLive() throws Exception {
        Path valid = config("crm-valid", PaymentsSandbox.DEFAULT_API_KEY, crmSource("crm-valid",
                CrmSandbox.DEFAULT_PRIVATE_APP_TOKEN));
        ValidateCommandTest.Run run = validate(valid);
        assertThat(run.err()).isEmpty();
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("  connectors  stripe-payments, hubspot-objects checked by their connectors' "
                + "validate()\n");

        String refused = "pat-na1-22222222-2222-4222-8222-222222222222";
        Path rejected = config("crm-rejected", PaymentsSandbox.DEFAULT_API_KEY, crmSource("crm-rejected", refused));
        run = validate(rejected);
        assertThat(run.err().lines()).first().asString()
                .startsWith(rejected + ":17: sources[1].config.auth.bearer.token: auth.bearer.token: ")
                .contains("rejected the credentials");
        assertThat(run.err()).doesNotContain(refused);
        assertThat(run.code()).isEqualTo(1);
    }

    @Test
    void aKeyTheApiRejectsIsAProblemOnTheKeyWithoutItsValue() throws Exception {
        Path file = config("rejected", "sk_test_not_the_sandbox_key", "");
        ValidateCommandTest.Run run = validate(file);
        assertThat(run.err().lines()).first().asString()
                .startsWith(file + ":8: sources[0].config.auth.bearer.token: auth.bearer.token: the API at http://"
                        + host + " rejected the key");
        assertThat(run.err()).doesNotContain("sk_test_not_the_sandbox_key");
        assertThat(run.code()).isEqualTo(1);
    }

    @Test
    void everyConnectorIsCheckedAndEachProblemNamesItsKey() throws Exception {
        Path file = config("sinks", PaymentsSandbox.DEFAULT_API_KEY, """
                sinks:
                  - name: crm
                    connector: crm-contacts
                    topics: [canonical.finance.customer.v1]
                  - name: misplaced
                    connector: payments
                    topics: [canonical.finance.customer.v1]
                """);
        ValidateCommandTest.Run run = validate(file);
        assertThat(run.err().lines())
                .anyMatch(l -> l.startsWith(file + ":12: sinks[0].")) // the CRM sink's required settings
                .contains(file + ":16: sinks[1].connector: io.syncline.connect.payments.PaymentsSourceConnector is a "
                        + "source connector; list it under sources:")
                .noneMatch(l -> l.contains("sources[0]"));
        assertThat(run.code()).isEqualTo(1);
    }

    @Test
    void theSupportSourceAndSinkAreReachedByTheirShortNamesAndCheckedByTheirOwnValidate() throws Exception {
        // The text continues the sources list (a second source), then starts sinks.
        Path file = config("support", PaymentsSandbox.DEFAULT_API_KEY, """
                  - name: desk
                    connector: zendesk
                    config:
                      zendesk.url: acme.zendesk.com
                sinks:
                  - name: tickets
                    connector: zendesk-tickets
                    topics: [canonical.finance.payment.v1]
                """);
        ValidateCommandTest.Run run = validate(file);
        assertThat(run.err().lines())
                .anyMatch(l -> l.startsWith(file + ":") && l.contains("sources[1].config.zendesk.url")
                        && l.contains("expected the account's https URL such as https://acme.zendesk.com, got "
                        + "'acme.zendesk.com'"))
                .anyMatch(l -> l.startsWith(file + ":") && l.contains("sinks[0].") && l.contains("zendesk.url"))
                .noneMatch(l -> l.contains("sources[0]"));
        assertThat(run.code()).isEqualTo(1);
    }
}
