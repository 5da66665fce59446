package io.syncline.connect.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The HTTP sink's static rules, one case at a time: each problem on its key with the exact message. */
class HttpSinkConfigTest {

    private static Map<String, String> valid() {
        Map<String, String> c = new HashMap<>();
        c.put("http.url", "https://api.example.com/v1/customers/{metadata.source_id}");
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", "dlq.sink.customers");
        return c;
    }

    /** One bad setting and the problem it must give, on which key. */
    record Bad(String what, Map<String, String> set, String key, String message) {
        @Override
        public String toString() {
            return what;
        }
    }

    static List<Bad> badSettings() {
        return List.of(
                new Bad("a placeholder in the host", Map.of("http.url", "https://{email}/v1"), "http.url",
                        "'https://{email}/v1' has a placeholder in its scheme, host or port; placeholders are "
                                + "allowed in the path and query only"),
                new Bad("an unknown transform", Map.of("body.mapping", "email=email|shout"), "body.mapping",
                        "mapping entry 'email=email|shout': unknown transform 'shout' (expected one of lower, "
                                + "upper, trim, given_name, family_name, date, datetime, epoch_millis, money, string)"),
                new Bad("batching to a URL with placeholders", Map.of("batch.max.records", "50"), "http.url",
                        "http.url 'https://api.example.com/v1/customers/{metadata.source_id}' has placeholders, but "
                                + "batch.max.records=50 sends batches to one endpoint: remove the placeholders or set "
                                + "batch.max.records=1"),
                new Bad("a header without a colon", Map.of("http.headers.additional", "NoColon"),
                        "http.headers.additional",
                        "'NoColon' is not Name:value (e.g. X-Source:syncline)"),
                new Bad("a Host header", Map.of("http.headers.additional", "Host:evil.example"),
                        "http.headers.additional",
                        "header Host cannot be set; it comes from the request"),
                new Bad("a status that is no HTTP status", Map.of("http.accept.status.codes", "404,700"),
                        "http.accept.status.codes",
                        "'700' is not an HTTP status (100-599)"),
                new Bad("a delete method HTTP has but the sink does not send", Map.of("http.delete.method", "GET"),
                        "http.delete.method",
                        "'GET' is not one of POST, PUT, PATCH, DELETE (or empty to skip deletes)"),
                new Bad("a malformed ordering key path", Map.of("delivery.ordering.key", "metadata..id"),
                        "delivery.ordering.key",
                        "'metadata..id' is not a field path (expected names joined by dots, e.g. metadata.event_id)"),
                new Bad("dead letters without errors.tolerance=all", Map.of("errors.tolerance", "none"),
                        "errors.tolerance",
                        "errors.tolerance is 'none' but must be 'all' when delivery.permanent.failure=dlq, or Connect "
                                + "fails the task instead of writing the dead letter"),
                new Bad("bearer auth without a token", Map.of("auth.type", "bearer"), "auth.bearer.token",
                        "auth.bearer.token is required when auth.type=bearer (reference the secret as ${env:NAME} or "
                                + "${file:/path:key})"),
                new Bad("a backoff cap below the first backoff", Map.of("retry.backoff.initial.ms", "5000",
                        "retry.backoff.max.ms", "1000"), "retry.backoff.max.ms",
                        "retry.backoff.max.ms (1000) must not be below retry.backoff.initial.ms (5000)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSettings")
    void eachProblemIsOnItsKeyWithTheExactMessage(Bad bad) {
        Map<String, String> props = valid();
        props.putAll(bad.set());

        assertThat(HttpSinkConfig.problems(props)).as(bad.what())
                .containsExactly(Map.entry(bad.key(), List.of(bad.message())));
        assertThatThrownBy(() -> new HttpSinkConfig(props)).as(bad.what()).isInstanceOf(ConfigException.class)
                .hasMessageContaining(bad.message());
    }

    @Test
    void aValidConfigHasNoProblem() {
        assertThat(HttpSinkConfig.problems(valid())).isEmpty();
        assertThat(new HttpSinkConfig(valid()).method()).isEqualTo("POST");
    }

    @Test
    void theLiveProbeIsTheUrlUpToItsFirstPlaceholderOrQuery() {
        assertThat(HttpSinkConnector.probeUrl("https://api.example.com/v1/customers/{metadata.source_id}"))
                .isEqualTo("https://api.example.com/v1/customers/");
        assertThat(HttpSinkConnector.probeUrl("https://api.example.com/v1/items?id={id}"))
                .isEqualTo("https://api.example.com/v1/items");
        assertThat(HttpSinkConnector.probeUrl(" https://api.example.com/v1/batch "))
                .isEqualTo("https://api.example.com/v1/batch");
    }
}
