package io.syncline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A file with several problems reports all of them, binding problems (unknown keys, wrong types, values a type
 * refuses) and validation problems alike, each with its own line and key; malformed YAML and malformed secret
 * references say what is wrong and what would be valid.
 */
class EveryProblemAtOnceTest {

    private static List<String> problems(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> SynclineConfigLoader.parse(yaml, "s.yaml"));
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void bindingAndValidationProblemsOfEverySectionAreListedByLine() {
        assertThat(problems("""
                cluster:
                  bootstrap-servers: "not a server"
                  conect-url: http://connect:8083
                  embedded:
                    registry-port: 70000
                    kafka-port: ninety
                gateway:
                  prot: 8080
                  endpoints:
                    - name: stripe
                      scheme: strip
                      secrets: [env:STRIPE_WEBHOOK_SECRET]
                      topic: raw.stripe.event
                    - name: github
                      scheme: github
                      secrets: [env:GH, "inline-secret"]
                      topic: raw.github.event
                normalizer:
                  threads: lots
                """)).containsExactly(
                "s.yaml:2: cluster.bootstrap-servers: expected host:port[,host:port...], got \"not a server\"",
                "s.yaml:3: cluster.conect-url: unknown key \"conect-url\"; expected one of bootstrap-servers, "
                        + "connect-url, embedded, registry-url",
                "s.yaml:5: cluster.embedded.registry-port: expected a port between 0 and 65535 (0 = any free port), "
                        + "got 70000",
                "s.yaml:6: cluster.embedded.kafka-port: expected a whole number, got \"ninety\"",
                "s.yaml:8: gateway.prot: unknown key \"prot\"; expected one of " + keys(GatewayConfig.class),
                "s.yaml:11: gateway.endpoints[0].scheme: expected one of " + schemes() + ", got \"strip\"",
                "s.yaml:16: gateway.endpoints[1].secrets[1]: expected a secret reference, env:NAME or "
                        + "file:/path/to/secret; secrets are never written inline",
                "s.yaml:19: normalizer.threads: expected a whole number, got \"lots\"");
    }

    /** The keys of a section, as the loader lists them after "expected one of". */
    private static String keys(Class<? extends Record> section) {
        return String.join(", ", Stream.of(section.getRecordComponents())
                .map(c -> c.getName().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT)).sorted().toList());
    }

    private static String schemes() {
        return String.join(", ", Stream.of(SignatureScheme.values()).map(String::valueOf).toList());
    }

    @Test
    void aProblemInALaterListElementKeepsItsIndexInTheFile() {
        assertThat(problems("""
                sources:
                  - name: a
                    connector: payments
                    tasks-max: many
                  - name: b
                    connector: payments
                    tasks-max: 0
                """)).containsExactly(
                "s.yaml:4: sources[0].tasks-max: expected a whole number, got \"many\"",
                "s.yaml:7: sources[1].tasks-max: expected 1 to 1024, got 0");
    }

    static Stream<Arguments> malformedYaml() {
        return Stream.of(
                Arguments.of("unclosed secret list, then a key", """
                        gateway:
                          endpoints:
                            - name: stripe
                              scheme: stripe
                              secrets: [env:STRIPE_WEBHOOK_SECRET
                              topic: raw.stripe.event
                        """, "s.yaml:5: gateway.endpoints[0].secrets: the list opened with [ on line 5 is not closed "
                        + "(no ] before line 6); a secret list is [env:NAME] or [env:NAME, file:/path/to/secret], "
                        + "closed on the line it starts, or as one \"- item\" per line"),
                Arguments.of("unclosed secret list at the end of the file", """
                        gateway:
                          endpoints:
                            - name: stripe
                              secrets: [env:STRIPE_WEBHOOK_SECRET
                        """, "s.yaml:4: gateway.endpoints[0].secrets: the list opened with [ on line 4 is not closed "
                        + "(no ] before line 5); a secret list is [env:NAME] or [env:NAME, file:/path/to/secret], "
                        + "closed on the line it starts, or as one \"- item\" per line"),
                Arguments.of("unclosed list of topics", """
                        sinks:
                          - name: crm
                            topics: [canonical.finance.customer.v1
                            connector: crm-contacts
                        """, "s.yaml:3: sinks[0].topics: the list opened with [ on line 3 is not closed (no ] before "
                        + "line 4); write a list as [a, b] closed on the line it starts, or as one \"- item\" per line"),
                Arguments.of("unclosed mapping", """
                        sources:
                          - name: pay
                            config: {api.key: x
                        """, "s.yaml:3: sources[0].config: the mapping opened with { on line 3 is not closed (no } "
                        + "before line 4); write it as {key: value, other: value} closed on the line it starts, or as "
                        + "one \"key: value\" per line"),
                Arguments.of("unclosed quote", """
                        gateway:
                          public-base-url: "https://hooks.example.com
                        """, "s.yaml:2: gateway.public-base-url: the text quoted on line 2 is not closed (no closing "
                        + "quote before line 3); end it with the quote it starts with, \" or '"),
                Arguments.of("colon and space in a value", """
                        cluster:
                          bootstrap-servers: kafka: 9092
                        """, "s.yaml:2: cluster.bootstrap-servers: a value contains \": \" (a colon and a space), "
                        + "which YAML reads as a new key; quote the value, e.g. key: \"a: b\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedYaml")
    void malformedYamlSaysWhatIsWrongWhereItStartsAndWhatIsValid(String name, String yaml, String problem) {
        assertThat(problems(yaml)).containsExactly(problem);
    }

    static Stream<Arguments> malformedReferences() {
        return Stream.of(
                Arguments.of("${env:PAYMENTS_KEY", "the reference starting ${env: is not closed: expected ${env:NAME} "
                        + "or ${file:/path/to/file.properties:key} with a closing }"),
                Arguments.of("${env:}", "expected ${env:NAME} with NAME an environment variable name (letters, digits,"
                        + " _), got ${env:}"),
                Arguments.of("${env:payments-key}", "expected ${env:NAME} with NAME an environment variable name "
                        + "(letters, digits, _), got ${env:...} with \"payments-key\""),
                Arguments.of("${file:/etc/syncline/secrets.properties}", "expected ${file:/path/to/file.properties:key}"
                        + " (a properties file and the key in it), got ${file:/etc/syncline/secrets.properties} "
                        + "without a key"),
                Arguments.of("${STRIPE_KEY}", "expected ${env:NAME} or ${file:/path/to/file.properties:key}, got a "
                        + "${...} without a provider"),
                Arguments.of("Bearer ${env:TOKEN", "the reference starting ${env: is not closed: expected ${env:NAME} "
                        + "or ${file:/path/to/file.properties:key} with a closing }"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedReferences")
    void aMalformedReferenceInAConnectorSettingSaysWhatIsValid(String value, String message) {
        assertThat(problems("""
                sources:
                  - name: pay
                    connector: payments
                    config:
                      http.headers.authorization: "%s"
                """.formatted(value))).containsExactly("s.yaml:5: sources[0].config.http.headers.authorization: "
                + message);
    }

    @Test
    void wellFormedReferencesPass() {
        assertThat(ProviderReference.problems("${env:STRIPE_KEY}")).isEmpty();
        assertThat(ProviderReference.problems("Bearer ${file:/etc/s.properties:crm.token}")).isEmpty();
        assertThat(ProviderReference.findAll("${env:A}-${file:/p:k}")).containsExactly(
                new ProviderReference("${env:A}", "env", "", "A"),
                new ProviderReference("${file:/p:k}", "file", "/p", "k"));
    }
}
