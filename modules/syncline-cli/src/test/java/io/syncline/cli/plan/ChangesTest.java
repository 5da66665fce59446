package io.syncline.cli.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A connector's per-key diff: what changed, with every secret value hidden and every reference shown. */
class ChangesTest {

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(nullValues = "none", delimiter = '|', value = {
            "tasks.max           | 1                    | 2                    | ~ tasks.max: 1 -> 2",
            "batch.size          | none                 | 50                   | + batch.size = 50",
            "batch.size          | 100                  | none                 | - batch.size (was 100)",
            "stripe.api.key      | sk_live_inline       | ${env:STRIPE_KEY}    | ~ stripe.api.key: (hidden) -> ${env:STRIPE_KEY}",
            "stripe.api.key      | ${env:OLD}           | ${env:NEW}           | ~ stripe.api.key: ${env:OLD} -> ${env:NEW}",
            "oauth2.client.secret| none                 | s3cr3t-inline        | + oauth2.client.secret = (hidden)",
            "connection.password | old-inline           | new-inline           | ~ connection.password: (hidden) -> (another hidden value)",
            "sasl.jaas.config    | old-jaas-inline      | none                 | - sasl.jaas.config (was (hidden))",
            "db.url              | x${env:A}y           | z                    | ~ db.url: x${env:A}y -> z"})
    void eachKeyIsShownAsItChangesAndSecretsNeverAre(String key, String from, String to, String line) {
        Map<String, String> a = new LinkedHashMap<>();
        Map<String, String> b = new LinkedHashMap<>();
        if (from != null) {
            a.put(key, from);
        }
        if (to != null) {
            b.put(key, to);
        }
        a.put("same", "1");
        b.put("same", "1");
        // sasl.jaas.config is not a secret by its spelling; the connector declares it PASSWORD.
        assertThat(Changes.diff(a, b, Set.of("sasl.jaas.config"))).containsExactly(line);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "none", value = {
            "${env:KEY}, true",
            "${file:/etc/s.properties:k}, true",
            "' ${env:KEY} ', true",
            "prefix-${env:KEY}, false",
            "${env:A}${env:B}, false",
            "plain, false",
            "none, false"})
    void onlyAWholeValueThatIsOneReferenceCountsAsAReference(String value, boolean reference) {
        assertThat(Secrets.isReference(value)).isEqualTo(reference);
    }
}
