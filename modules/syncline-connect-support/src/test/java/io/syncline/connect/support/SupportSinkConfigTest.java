package io.syncline.connect.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SupportSinkConfigTest {

    private static Map<String, String> valid() {
        Map<String, String> p = new HashMap<>();
        p.put(SupportSinkConfig.URL, "https://acme.zendesk.com/");
        p.put("auth.basic.username", "admin@acme.example/token");
        p.put("auth.basic.password", "s3cret-token");
        p.put("errors.tolerance", "all");
        p.put("errors.deadletterqueue.topic.name", "dlq.sink.support");
        return p;
    }

    @Test
    void theDefaultsAreTheFailedPaymentRouteWithApiTokenAuth() {
        SupportSinkConfig c = new SupportSinkConfig(valid());
        assertThat(c.target()).isEqualTo(SupportSinkConfig.Target.TICKET);
        assertThat(c.baseUrl()).isEqualTo("https://acme.zendesk.com");
        assertThat(c.getString("auth.type")).isEqualTo("basic");
        assertThat(c.mappings().filter()).isNotNull();
        assertThat(SupportSinkConfig.problems(valid())).isEmpty();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "zendesk.url|acme.zendesk.com|zendesk.url: expected the account's https URL such as https://acme.zendesk.com, got 'acme.zendesk.com'",
        "zendesk.write|macro|Invalid value macro for configuration zendesk.write",
        "record.filter|{equals: [status, {const: FAILED}]}|record.filter",
        "ticket.external.id|' '|ticket.external.id is required with zendesk.write=ticket",
        "ticket.requester.email|''|ticket.requester.email is required with zendesk.write=ticket",
        "ticket.fields|{subject: {nosuch: /x}}|ticket.fields",
        "zendesk.url|http://acme.zendesk.com|refusing zendesk.url http://acme.zendesk.com",
    })
    void refusesABadValueNamingTheKey(String key, String value, String message) {
        Map<String, String> p = valid();
        p.put(key, value);
        assertThatThrownBy(() -> new SupportSinkConfig(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message).hasMessageNotContaining("s3cret-token");
    }

    @Test
    void usersNeedAnEmailField() {
        Map<String, String> p = valid();
        p.put(SupportSinkConfig.WRITE, "user");
        p.put(SupportSinkConfig.USER_FIELDS, "{name: /name}");
        assertThat(SupportSinkConfig.problems(p)).containsKey(SupportSinkConfig.USER_FIELDS);
        assertThatThrownBy(() -> new SupportSinkConfig(p)).hasMessageContaining("user.fields: expected an 'email' "
                + "field (users are matched by e-mail)");
    }

    @Test
    void aDeadLetterPolicyWithoutItsTopicIsRefused() {
        Map<String, String> p = valid();
        p.remove("errors.deadletterqueue.topic.name");
        assertThat(SupportSinkConfig.problems(p)).containsKey("errors.deadletterqueue.topic.name");
    }
}
