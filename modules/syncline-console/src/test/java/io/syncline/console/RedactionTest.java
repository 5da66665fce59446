package io.syncline.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {

    @ParameterizedTest(name = "{0}: {1} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "stripe.api.key          | sk_live_123                        | false | HIDDEN",
            "stripe.api.key          | ${file:/run/demo.properties:key}   | false | ${file:/run/demo.properties:key}",
            "oauth2.client.secret    | ${env:CRM_SECRET}                  | false | ${env:CRM_SECRET}",
            "oauth2.client.secret    | Bearer ${env:CRM_SECRET}           | false | HIDDEN",
            "db.password             | hunter2                            | false | HIDDEN",
            "sasl.jaas.config        | org...PlainLoginModule password=x  | false | HIDDEN",
            "http.headers.authorization | Basic dXNlcjpwYXNz              | false | HIDDEN",
            "crm.access              | abc123                             | true  | HIDDEN",
            "crm.access              | env:CRM_ACCESS                     | true  | env:CRM_ACCESS",
            "topics                  | canonical.finance.payment.v1       | false | canonical.finance.payment.v1",
            "connector.class         | io.syncline.connect.crm.Sink       | false | io.syncline.connect.crm.Sink"})
    void aSecretIsHiddenUnlessItIsAReference(String key, String value, boolean password, String shown) {
        assertThat(Redaction.value(key, value, password))
                .isEqualTo(shown.equals("HIDDEN") ? Redaction.HIDDEN : shown);
    }

    @Test
    void aPluginsPasswordKeysAreHiddenWhateverTheirName() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connection.url", "https://crm.example");
        config.put("crm.access", "abc123");
        assertThat(Redaction.connectorConfig(config, Map.of("crm.access", "PASSWORD", "connection.url", "STRING")))
                .containsEntry("connection.url", "https://crm.example").containsEntry("crm.access", Redaction.HIDDEN);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "      api.token: sk_live_abc             |       api.token: HIDDEN",
            "  - token: 'abc'  # the old one          |   - token: HIDDEN  # the old one",
            "    secrets: [env:STRIPE_WEBHOOK_SECRET] |     secrets: [env:STRIPE_WEBHOOK_SECRET]",
            "  auth-token: env:SYNCLINE_CONSOLE_TOKEN |   auth-token: env:SYNCLINE_CONSOLE_TOKEN",
            "    stripe.api.key: ${env:STRIPE_KEY}    |     stripe.api.key: ${env:STRIPE_KEY}",
            "  bootstrap-servers: kafka:9092          |   bootstrap-servers: kafka:9092",
            "# token: sk_live_in_a_comment            | # token: sk_live_in_a_comment"})
    void aYamlLineHidesTheValueOfASecretKey(String line, String shown) {
        assertThat(Redaction.yamlLine(line.stripTrailing())).isEqualTo(shown.replace("HIDDEN", Redaction.HIDDEN));
    }
}
