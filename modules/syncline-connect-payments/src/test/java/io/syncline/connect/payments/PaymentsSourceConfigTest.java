package io.syncline.connect.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.syncline.connect.common.DeprecatedKeys;
import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.connect.common.source.BackfillStart;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PaymentsSourceConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        m.put(PaymentsSourceConfig.API_KEY, "sk_test_abc123");
        return m;
    }

    /**
     * The static error messages ConfigDef reports per key for {@code overrides} on top of a valid config (deprecated
     * keys read under their new names, as the connector does).
     */
    private static Map<String, List<String>> errors(Map<String, String> overrides) {
        Map<String, String> props = minimal();
        props.putAll(overrides);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (ConfigValue v : PaymentsSourceConfig.CONFIG_DEF.validate(
                PaymentsSourceConfig.DEPRECATED_KEYS.resolve(props).props())) {
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
        assertThat(c.getDouble(OutboundHttpConfig.RATE_PER_SECOND)).isEqualTo(20.0);
        assertThat(c.topic("payment_intent")).isEqualTo("raw.stripe.payment_intent");
        assertThat(c.getList(OutboundHttpConfig.ALLOW_LIST)).isEmpty();
        assertThat(c.getList(OutboundHttpConfig.ALLOW_PLAIN_HTTP)).isEmpty();
        assertThat(c.getInt(OutboundHttpConfig.RETRY_MAX_ATTEMPTS)).isEqualTo(6);
        assertThat(c.getString(OutboundHttpConfig.AUTH_TYPE)).isEqualTo("bearer");
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

    /** One bad value and what ConfigDef must say about it, on which key. */
    record BadValue(String what, String key, String value, String reportedOn, String message) {
        @Override
        public String toString() {
            return what;
        }
    }

    static List<BadValue> badValues() {
        return List.of(
                new BadValue("a base URL without scheme", PaymentsSourceConfig.BASE_URL, "api.stripe.com",
                        "stripe.base.url", "stripe.base.url: expected an absolute https URL such as "
                        + "https://api.stripe.com, got 'api.stripe.com'"),
                new BadValue("a base URL with a query", PaymentsSourceConfig.BASE_URL, "https://api.stripe.com/?x=1",
                        "stripe.base.url", "stripe.base.url: expected a base URL without query or fragment, such as "
                        + "https://api.stripe.com, got 'https://api.stripe.com/?x=1'"),
                new BadValue("a base URL with credentials", PaymentsSourceConfig.BASE_URL,
                        "https://user:pw@api.stripe.com", "stripe.base.url", "stripe.base.url: the URL must not carry "
                        + "credentials; give the key in auth.bearer.token"),
                new BadValue("a publishable key", PaymentsSourceConfig.API_KEY, "pk_test_123", "auth.bearer.token",
                        "auth.bearer.token: expected a Stripe secret key (sk_test_..., sk_live_...) or restricted "
                        + "key (rk_...); the value given is not one (it is not shown here)"),
                new BadValue("a reference that did not resolve", PaymentsSourceConfig.API_KEY,
                        "${env:STRIPE_KEY_TYPO}", "auth.bearer.token", "auth.bearer.token: the reference "
                        + "${env:STRIPE_KEY_TYPO} did not resolve; check that the environment variable or file exists "
                        + "on every Connect worker and that the worker has the env and file config providers"),
                new BadValue("an unknown object type", PaymentsSourceConfig.OBJECTS, "charge,charges",
                        "stripe.objects", "stripe.objects: unknown object type 'charges'; expected one or more of "
                        + "customer, charge, payment_intent, invoice, refund"),
                new BadValue("an object type listed twice", PaymentsSourceConfig.OBJECTS, "charge, CHARGE",
                        "stripe.objects", "stripe.objects: object type 'CHARGE' is listed twice"),
                new BadValue("no object type", PaymentsSourceConfig.OBJECTS, "", "stripe.objects",
                        "stripe.objects: no object type given; expected one or more of customer, charge, "
                        + "payment_intent, invoice, refund"),
                new BadValue("a backfill start that is no date", PaymentsSourceConfig.BACKFILL_START, "yesterday",
                        "backfill.start", "backfill.start: expected all, none, a date (2024-01-31) or an ISO-8601 "
                        + "instant (2024-01-31T08:00:00Z), got 'yesterday'"),
                new BadValue("a page size over Stripe's limit", PaymentsSourceConfig.PAGE_SIZE, "101", "page.size",
                        "Invalid value 101 for configuration page.size: Value must be no more than 100"),
                new BadValue("a topic prefix with a slash", PaymentsSourceConfig.TOPIC_PREFIX, "raw/stripe",
                        "topic.prefix", "topic.prefix: 'raw/stripe' has characters a topic name cannot hold; use "
                        + "only letters, digits, '.', '_' and '-'"),
                new BadValue("an allow-list entry with a bad prefix length", OutboundHttpConfig.ALLOW_LIST,
                        "10.0.0.0/99", "outbound.allow.list", "outbound.allow.list: '10.0.0.0/99' has an invalid "
                        + "prefix length (expected 0-32)"),
                new BadValue("an auth type Stripe does not take", OutboundHttpConfig.AUTH_TYPE, "oauth2", "auth.type",
                        "Invalid value oauth2 for configuration auth.type: expected bearer"),
                new BadValue("the same bad allow-list entry under its deprecated key",
                        PaymentsSourceConfig.OLD_ALLOWED_HOSTS, "10.0.0.0/99", "outbound.allow.list",
                        "outbound.allow.list: '10.0.0.0/99' has an invalid prefix length (expected 0-32)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void reportsEachBadValueOnItsKeyWithTheExactMessage(BadValue bad) {
        assertThat(errors(Map.of(bad.key(), bad.value()))).as(bad.what())
                .containsExactly(Map.entry(bad.reportedOn(), List.of(bad.message())));
    }

    @Test
    void aMissingApiKeyIsNamed() {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (ConfigValue v : new PaymentsSourceConnector().validate(Map.of(
                "key.converter", PaymentsSourceConfig.STRING_CONVERTER,
                "value.converter", PaymentsSourceConfig.BYTE_ARRAY_CONVERTER)).configValues()) {
            if (!v.errorMessages().isEmpty()) {
                errors.put(v.name(), v.errorMessages());
            }
        }
        assertThat(errors).containsExactly(Map.entry("auth.bearer.token", List.of("auth.bearer.token is required "
                + "when auth.type=bearer (reference the secret as ${env:NAME} or ${file:/path:key})")));
    }

    @Test
    void plainHttpNeedsItsOwnListAndBackoffMaxMustNotBeBelowBackoff() {
        Map<String, String> props = minimal();
        props.put(PaymentsSourceConfig.BASE_URL, "http://127.0.0.1:12111");
        props.put(OutboundHttpConfig.ALLOW_LIST, "127.0.0.1");
        props.put(OutboundHttpConfig.RETRY_BACKOFF_INITIAL_MS, "2000");
        props.put(OutboundHttpConfig.RETRY_BACKOFF_MAX_MS, "1000");
        assertThatThrownBy(() -> new PaymentsSourceConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessage("retry.backoff.max.ms (1000) must not be below retry.backoff.initial.ms (2000); "
                        + "refusing stripe.base.url http://127.0.0.1:12111: plain http is allowed only for targets "
                        + "allowed plain HTTP; use https, or allow plain HTTP for 127.0.0.1:12111 in connector key "
                        + "'outbound.allow.plain.http' if this is intended");

        props.put(OutboundHttpConfig.ALLOW_PLAIN_HTTP, "127.0.0.1:12111");
        props.put(OutboundHttpConfig.RETRY_BACKOFF_MAX_MS, "2000");
        assertThat(new PaymentsSourceConfig(props).baseUrl()).isEqualTo("http://127.0.0.1:12111");
    }

    /** A config written with the keys of before the shared vocabulary, and the same config written with them now. */
    record OldKeys(String what, Map<String, String> old, Map<String, String> current) {
        @Override
        public String toString() {
            return what;
        }
    }

    static List<OldKeys> oldKeys() {
        return List.of(
                new OldKeys("stripe.api.key", Map.of("stripe.api.key", "sk_test_old"),
                        Map.of("auth.bearer.token", "sk_test_old")),
                new OldKeys("http.allowed.hosts", Map.of("http.allowed.hosts", "10.20.0.0/16,stripe.internal:8443"),
                        Map.of("outbound.allow.list", "10.20.0.0/16,stripe.internal:8443")),
                new OldKeys("http.allow.plain.http=true", Map.of("stripe.base.url", "http://sandbox.test:12111",
                        "http.allow.plain.http", "true"), Map.of("stripe.base.url", "http://sandbox.test:12111",
                        "outbound.allow.plain.http", "sandbox.test:12111")),
                new OldKeys("http.allow.plain.http=true without a port", Map.of("stripe.base.url",
                        "http://sandbox.test", "http.allow.plain.http", "true"), Map.of("stripe.base.url",
                        "http://sandbox.test", "outbound.allow.plain.http", "sandbox.test:80")),
                new OldKeys("http.allow.plain.http=false", Map.of("http.allow.plain.http", "false"), Map.of()),
                new OldKeys("retry.backoff.ms", Map.of("retry.backoff.ms", "2000", "retry.backoff.max.ms", "9000"),
                        Map.of("retry.backoff.initial.ms", "2000", "retry.backoff.max.ms", "9000")),
                new OldKeys("request.budget.per.second", Map.of("request.budget.per.second", "50"),
                        Map.of("rate.limit.per.second", "50", "rate.limit.burst", "50")),
                new OldKeys("request.budget.per.second with a fraction", Map.of("request.budget.per.second", "2.5"),
                        Map.of("rate.limit.per.second", "2.5", "rate.limit.burst", "3")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oldKeys")
    void aConfigWithADeprecatedKeyLoadsAsTheSameConfigWithTheNewKey(OldKeys keys) {
        Map<String, String> old = new HashMap<>(keys.old());
        old.putIfAbsent("stripe.api.key", "sk_test_abc123");
        Map<String, String> current = new HashMap<>(keys.current());
        current.putIfAbsent("auth.bearer.token", old.get("stripe.api.key"));

        PaymentsSourceConfig fromOld = new PaymentsSourceConfig(old);
        PaymentsSourceConfig fromNew = new PaymentsSourceConfig(current);

        assertThat(fromOld.values()).as(keys.what()).isEqualTo(fromNew.values());
        assertThat(OutboundHttpConfig.retryPolicy(fromOld).baseDelay())
                .isEqualTo(OutboundHttpConfig.retryPolicy(fromNew).baseDelay());
        List<String> warnings = PaymentsSourceConfig.DEPRECATED_KEYS.resolve(old).warnings();
        List<DeprecatedKeys.Alias> used = PaymentsSourceConfig.DEPRECATED_KEYS.aliases().stream()
                .filter(alias -> old.containsKey(alias.oldKey())).toList();
        assertThat(warnings).hasSameSizeAs(used);
        used.forEach(alias -> assertThat(warnings)
                .contains(alias.oldKey() + " is deprecated; use " + alias.newKey() + " instead (the value given for "
                        + alias.oldKey() + " is used for now)"));
    }

    @Test
    void eachDeprecatedKeyWarningNamesTheNewKey() {
        Map<String, String> old = Map.of("stripe.api.key", "sk_test_1", "http.allowed.hosts", "127.0.0.1",
                "http.allow.plain.http", "true", "retry.backoff.ms", "100", "request.budget.per.second", "5");
        assertThat(PaymentsSourceConfig.DEPRECATED_KEYS.resolve(old).warnings()).containsExactly(
                "stripe.api.key is deprecated; use auth.bearer.token instead (the value given for stripe.api.key is "
                        + "used for now)",
                "http.allowed.hosts is deprecated; use outbound.allow.list instead (the value given for "
                        + "http.allowed.hosts is used for now)",
                "http.allow.plain.http is deprecated; use outbound.allow.plain.http instead (the value given for "
                        + "http.allow.plain.http is used for now)",
                "retry.backoff.ms is deprecated; use retry.backoff.initial.ms instead (the value given for "
                        + "retry.backoff.ms is used for now)",
                "request.budget.per.second is deprecated; use rate.limit.per.second instead (the value given for "
                        + "request.budget.per.second is used for now)");
    }

    @Test
    void aDeprecatedKeyNextToItsNewKeyIsIgnoredWithAWarning() {
        Map<String, String> both = Map.of("stripe.api.key", "sk_test_old", "auth.bearer.token", "sk_test_new");
        assertThat(new PaymentsSourceConfig(both).apiKey().value()).isEqualTo("sk_test_new");
        assertThat(PaymentsSourceConfig.DEPRECATED_KEYS.resolve(both).warnings()).containsExactly(
                "stripe.api.key is deprecated and ignored because auth.bearer.token is set; remove stripe.api.key");
    }

    @Test
    void validateShowsAProblemOfADeprecatedKeyOnTheKeyTheUserWrote() {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (ConfigValue v : new PaymentsSourceConnector().validate(Map.of(
                "key.converter", PaymentsSourceConfig.STRING_CONVERTER,
                "value.converter", PaymentsSourceConfig.BYTE_ARRAY_CONVERTER,
                "stripe.api.key", "pk_test_publishable")).configValues()) {
            if (!v.errorMessages().isEmpty()) {
                errors.put(v.name(), v.errorMessages());
            }
        }
        String message = "auth.bearer.token: expected a Stripe secret key (sk_test_..., sk_live_...) or restricted key "
                + "(rk_...); the value given is not one (it is not shown here)";
        assertThat(errors).containsExactly(Map.entry("auth.bearer.token", List.of(message)),
                Map.entry("stripe.api.key", List.of(message + " (given as the deprecated stripe.api.key; rename it to "
                        + "auth.bearer.token)")));
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
