package io.syncline.connect.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.syncline.connect.payments.PaymentsSourceConfig.BackfillStart;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class PaymentsSourceConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        m.put(PaymentsSourceConfig.API_KEY, "sk_test_abc123");
        return m;
    }

    /** The static error messages ConfigDef reports per key for {@code overrides} on top of a valid config. */
    private static Map<String, List<String>> errors(Map<String, String> overrides) {
        Map<String, String> props = minimal();
        props.putAll(overrides);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (ConfigValue v : PaymentsSourceConfig.CONFIG_DEF.validate(props)) {
            if (!v.errorMessages().isEmpty()) {
                out.put(v.name(), v.errorMessages());
            }
        }
        return out;
    }

    @Test
    void defaultsSuitStripeItself() {
        PaymentsSourceConfig c = new PaymentsSourceConfig(minimal());
        assertThat(c.baseUrl()).isEqualTo("https://api.stripe.com");
        assertThat(c.objects()).containsExactly(StripeObject.values());
        assertThat(c.backfillStart()).isEqualTo(new BackfillStart.All());
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.pageSize()).isEqualTo(100);
        assertThat(c.requestBudget()).isEqualTo(20.0);
        assertThat(c.topic("payment_intent")).isEqualTo("raw.stripe.payment_intent");
        assertThat(c.allowedHosts()).isEmpty();
        assertThat(c.allowPlainHttp()).isFalse();
        assertThat(c.retryMaxAttempts()).isEqualTo(6);
    }

    @Test
    void parsesBackfillStartAsAllNoneDateOrInstant() {
        assertThat(PaymentsSourceConfig.parseBackfillStart(" NONE ")).isEqualTo(new BackfillStart.None());
        assertThat(PaymentsSourceConfig.parseBackfillStart("2024-01-31"))
                .isEqualTo(new BackfillStart.Since(Instant.parse("2024-01-31T00:00:00Z")));
        assertThat(PaymentsSourceConfig.parseBackfillStart("2024-01-31T08:30:00Z"))
                .isEqualTo(new BackfillStart.Since(Instant.parse("2024-01-31T08:30:00Z")));
    }

    @Test
    void aBaseUrlStrippedOfTrailingSlashes() {
        Map<String, String> props = minimal();
        props.put(PaymentsSourceConfig.BASE_URL, "https://stripe.internal.example/");
        assertThat(new PaymentsSourceConfig(props).baseUrl()).isEqualTo("https://stripe.internal.example");
    }

    @Test
    void reportsEachBadValueOnItsKeyWithTheExactMessage() {
        assertThat(errors(Map.of(PaymentsSourceConfig.BASE_URL, "api.stripe.com"))).containsExactly(Map.entry(
                "stripe.base.url", List.of("stripe.base.url: expected an absolute https URL such as "
                        + "https://api.stripe.com, got 'api.stripe.com'")));
        assertThat(errors(Map.of(PaymentsSourceConfig.BASE_URL, "https://api.stripe.com/?x=1"))).containsExactly(
                Map.entry("stripe.base.url", List.of("stripe.base.url: expected a base URL without query or fragment,"
                        + " such as https://api.stripe.com, got 'https://api.stripe.com/?x=1'")));
        assertThat(errors(Map.of(PaymentsSourceConfig.BASE_URL, "https://user:pw@api.stripe.com"))).containsExactly(
                Map.entry("stripe.base.url", List.of("stripe.base.url: the URL must not carry credentials; give the "
                        + "key in stripe.api.key")));
        assertThat(errors(Map.of(PaymentsSourceConfig.API_KEY, "pk_test_123"))).containsExactly(Map.entry(
                "stripe.api.key", List.of("stripe.api.key: expected a Stripe secret key (sk_test_..., sk_live_...) or "
                        + "restricted key (rk_...); the value given is not one (it is not shown here)")));
        assertThat(errors(Map.of(PaymentsSourceConfig.API_KEY, "${env:STRIPE_KEY_TYPO}"))).containsExactly(Map.entry(
                "stripe.api.key", List.of("stripe.api.key: the reference ${env:STRIPE_KEY_TYPO} did not resolve; "
                        + "check that the environment variable or file exists on every Connect worker and that the "
                        + "worker has the env and file config providers")));
        assertThat(errors(Map.of(PaymentsSourceConfig.OBJECTS, "charge,charges"))).containsExactly(Map.entry(
                "stripe.objects", List.of("stripe.objects: unknown object type 'charges'; expected one or more of "
                        + "customer, charge, payment_intent, invoice, refund")));
        assertThat(errors(Map.of(PaymentsSourceConfig.OBJECTS, "charge, CHARGE"))).containsExactly(Map.entry(
                "stripe.objects", List.of("stripe.objects: object type 'CHARGE' is listed twice")));
        assertThat(errors(Map.of(PaymentsSourceConfig.OBJECTS, ""))).containsExactly(Map.entry(
                "stripe.objects", List.of("stripe.objects: no object type given; expected one or more of "
                        + "customer, charge, payment_intent, invoice, refund")));
        assertThat(errors(Map.of(PaymentsSourceConfig.BACKFILL_START, "yesterday"))).containsExactly(Map.entry(
                "backfill.start", List.of("backfill.start: expected all, none, a date (2024-01-31) or an ISO-8601 "
                        + "instant (2024-01-31T08:00:00Z), got 'yesterday'")));
        assertThat(errors(Map.of(PaymentsSourceConfig.PAGE_SIZE, "101"))).containsExactly(Map.entry(
                "page.size", List.of("Invalid value 101 for configuration page.size: Value must be no more than 100")));
        assertThat(errors(Map.of(PaymentsSourceConfig.TOPIC_PREFIX, "raw/stripe"))).containsExactly(Map.entry(
                "topic.prefix", List.of("topic.prefix: 'raw/stripe' has characters a topic name cannot hold; use only "
                        + "letters, digits, '.', '_' and '-'")));
        assertThat(errors(Map.of(PaymentsSourceConfig.ALLOWED_HOSTS, "10.0.0.0/99"))).containsOnlyKeys(
                "http.allowed.hosts");
        assertThat(errors(Map.of(PaymentsSourceConfig.ALLOWED_HOSTS, "10.0.0.0/99")).get("http.allowed.hosts").get(0))
                .startsWith("http.allowed.hosts: ");
    }

    @Test
    void aMissingApiKeyIsNamed() {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (ConfigValue v : PaymentsSourceConfig.CONFIG_DEF.validate(Map.of())) {
            if (!v.errorMessages().isEmpty()) {
                errors.put(v.name(), v.errorMessages());
            }
        }
        assertThat(errors).containsExactly(Map.entry("stripe.api.key",
                List.of("Missing required configuration \"stripe.api.key\" which has no default value.")));
    }

    @Test
    void plainHttpNeedsItsOwnSwitchAndBackoffMaxMustNotBeBelowBackoff() {
        Map<String, String> props = minimal();
        props.put(PaymentsSourceConfig.BASE_URL, "http://127.0.0.1:12111");
        props.put(PaymentsSourceConfig.RETRY_BACKOFF_MS, "2000");
        props.put(PaymentsSourceConfig.RETRY_BACKOFF_MAX_MS, "1000");
        assertThatThrownBy(() -> new PaymentsSourceConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessage("stripe.base.url: plain http is refused for 'http://127.0.0.1:12111' because the API key "
                        + "would travel unencrypted; use https, or set http.allow.plain.http=true for a trusted local "
                        + "endpoint such as the sandbox; retry.backoff.max.ms: 1000 is below retry.backoff.ms (2000); "
                        + "expected at least 2000");

        props.put(PaymentsSourceConfig.ALLOW_PLAIN_HTTP, "true");
        props.put(PaymentsSourceConfig.RETRY_BACKOFF_MAX_MS, "2000");
        assertThat(new PaymentsSourceConfig(props).baseUrl()).isEqualTo("http://127.0.0.1:12111");
    }

    @Test
    void theRecordsNeedConvertersThatKeepBytesAndText() {
        assertThat(PaymentsSourceConfig.converterProblems(Map.of())).containsExactly(
                Map.entry("value.converter", "value.converter: set it to org.apache.kafka.connect.converters."
                        + "ByteArrayConverter so each record holds the Stripe JSON exactly as received (the worker's "
                        + "default converter may re-encode it)"),
                Map.entry("key.converter", "key.converter: set it to org.apache.kafka.connect.storage.StringConverter "
                        + "so each key is the Stripe object id as plain text (the worker's default converter may "
                        + "re-encode it)"));
        assertThat(PaymentsSourceConfig.converterProblems(Map.of(
                "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                "key.converter", "org.apache.kafka.connect.storage.StringConverter",
                "header.converter", "org.apache.kafka.connect.json.JsonConverter"))).containsExactly(
                Map.entry("value.converter", "value.converter: expected org.apache.kafka.connect.converters."
                        + "ByteArrayConverter so each record holds the Stripe JSON exactly as received, got "
                        + "org.apache.kafka.connect.json.JsonConverter"),
                Map.entry("header.converter", "header.converter: expected org.apache.kafka.connect.storage."
                        + "SimpleHeaderConverter so the syncline.* headers stay plain text, got "
                        + "org.apache.kafka.connect.json.JsonConverter"));
        assertThat(PaymentsSourceConfig.converterProblems(Map.of(
                "value.converter", PaymentsSourceConfig.BYTE_ARRAY_CONVERTER,
                "key.converter", PaymentsSourceConfig.STRING_CONVERTER))).isEmpty();
    }

    @Test
    void theApiKeyNeverAppearsInAnyMessage() {
        String secret = "sk_live_should_never_be_printed";
        Map<String, String> props = minimal();
        props.put(PaymentsSourceConfig.API_KEY, secret);
        props.put(PaymentsSourceConfig.PAGE_SIZE, "0");
        for (ConfigValue v : PaymentsSourceConfig.CONFIG_DEF.validate(props)) {
            assertThat(String.valueOf(v.value())).doesNotContain(secret);
            assertThat(v.errorMessages()).noneMatch(m -> m.contains(secret));
        }
        assertThat(new PaymentsSourceConfig(minimal()).apiKey().toString()).isEqualTo("[hidden]");
    }
}
