package io.syncline.connect.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.connect.common.source.BackfillStart;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SupportSourceConfigTest {

    private static Map<String, String> valid() {
        Map<String, String> p = new HashMap<>();
        p.put(SupportSourceConfig.BASE_URL, "https://acme.zendesk.com");
        p.put(OutboundHttpConfig.AUTH_BASIC_USERNAME, "admin@acme.example/token");
        p.put(OutboundHttpConfig.AUTH_BASIC_PASSWORD, "s3cret-token");
        return p;
    }

    @Test
    void theDefaultsReadEveryExportFromTheBeginningWithinZendesksExportWindow() {
        SupportSourceConfig c = new SupportSourceConfig(valid());
        assertThat(c.objects()).containsExactly(ZendeskObject.values());
        assertThat(c.backfillStart()).isInstanceOf(BackfillStart.All.class);
        assertThat(c.topic(ZendeskObject.TICKET_COMMENT)).isEqualTo("raw.zendesk.ticket_comment");
        assertThat(c.getInt(OutboundHttpConfig.RATE_WINDOW_REQUESTS)).isEqualTo(10);
        assertThat(c.getLong(OutboundHttpConfig.RATE_WINDOW_MS)).isEqualTo(60_000L);
        assertThat(c.credentialKey()).isEqualTo(OutboundHttpConfig.AUTH_BASIC_PASSWORD);
        assertThat(c.baseUrl()).isEqualTo("https://acme.zendesk.com");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "zendesk.url|acme.zendesk.com|zendesk.url: expected the account's https URL such as https://acme.zendesk.com, got 'acme.zendesk.com'",
        "zendesk.url|https://u:p@acme.zendesk.com|zendesk.url: the URL must not carry credentials; give them in the auth.* keys",
        "zendesk.url|https://acme.zendesk.com/?x=1|zendesk.url: expected a base URL without query or fragment, such as https://acme.zendesk.com, got 'https://acme.zendesk.com/?x=1'",
        "zendesk.objects|ticket,macro|zendesk.objects: unknown object type 'macro'; expected one or more of ticket, user, organization, ticket_comment",
        "zendesk.objects|user,user|zendesk.objects: object type 'user' is listed twice",
        "backfill.start|yesterday|backfill.start: expected all, none, a date (2024-01-31) or an ISO-8601 instant (2024-01-31T08:00:00Z), got 'yesterday'",
        "page.size|1001|Invalid value 1001 for configuration page.size: Value must be no more than 1000",
        "topic.prefix|raw zendesk|topic.prefix: 'raw zendesk' has characters a topic name cannot hold; use only letters, digits, '.', '_' and '-'",
        "auth.basic.username|admin@acme.example|auth.basic.username: expected <agent e-mail>/token (Zendesk API-token access, e.g. admin@example.com/token, with the token in auth.basic.password), got 'admin@acme.example'; Zendesk no longer accepts passwords over the API",
        "auth.type|header|Invalid value header for configuration auth.type",
        "zendesk.url|http://acme.zendesk.com|refusing zendesk.url http://acme.zendesk.com: plain http is allowed only for targets allowed plain HTTP; use https, or allow plain HTTP for acme.zendesk.com:80 in connector key 'outbound.allow.plain.http' if this is intended",
    })
    void refusesABadValueNamingTheKeyAndWhatIsValid(String key, String value, String message) {
        Map<String, String> p = valid();
        p.put(key, value);
        assertThatThrownBy(() -> new SupportSourceConfig(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message).hasMessageNotContaining("s3cret-token");
    }

    @Test
    void theZendeskUrlIsRequired() {
        Map<String, String> p = valid();
        p.remove(SupportSourceConfig.BASE_URL);
        assertThatThrownBy(() -> new SupportSourceConfig(p)).hasMessageContaining(
                "Missing required configuration \"zendesk.url\"");
    }

    @Test
    void anOAuthBearerTokenIsTheOtherWayIn() {
        Map<String, String> p = valid();
        p.put(OutboundHttpConfig.AUTH_TYPE, "bearer");
        p.put(OutboundHttpConfig.AUTH_BEARER_TOKEN, "oauth-access-token");
        assertThat(new SupportSourceConfig(p).credentialKey()).isEqualTo(OutboundHttpConfig.AUTH_BEARER_TOKEN);
    }

    @Test
    void recordsNeedTheConvertersThatKeepBytesAndTextAsWritten() {
        Map<String, String> c = valid();
        assertThat(SupportSourceConfig.converterProblems(c)).containsOnlyKeys("value.converter", "key.converter");
        c.put("key.converter", SupportSourceConfig.STRING_CONVERTER);
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("header.converter", SupportSourceConfig.STRING_CONVERTER);
        assertThat(SupportSourceConfig.converterProblems(c)).containsExactly(Map.entry("value.converter",
                "value.converter: expected org.apache.kafka.connect.converters.ByteArrayConverter so each record holds "
                        + "the Zendesk JSON exactly as received, got org.apache.kafka.connect.json.JsonConverter"));
    }

    @Test
    void splitsTheObjectsAndTheExportWindowAmongTheTasks() {
        SupportSourceConfig c = new SupportSourceConfig(valid());
        List<Map<String, String>> tasks = SupportSourceConnector.taskConfigs(valid(), c, 3);
        assertThat(tasks).extracting(t -> t.get(SupportSourceConfig.TASK_OBJECTS))
                .containsExactly("ticket,ticket_comment", "user", "organization");
        assertThat(tasks).allSatisfy(t -> assertThat(t.get(OutboundHttpConfig.TASK_SHARE)).isEqualTo(
                Double.toString(1.0 / 3)));
        assertThat(SupportSourceConnector.taskConfigs(valid(), c, 10)).hasSize(4);
    }

    @Test
    void acceptsOnlyOffsetsOfItsOwnObjectTypes() {
        SupportSourceConnector connector = new SupportSourceConnector();
        assertThat(connector.alterOffsets(valid(), Map.of(Map.of("object", "ticket"), Map.of("v", 1, "cursor", "c"),
                Map.of("object", "organization"), Map.of("v", 1, "start_time", 5L)))).isTrue();
        Map<Map<String, ?>, Map<String, ?>> reset = new HashMap<>();
        reset.put(Map.of("object", "user"), null);
        assertThat(connector.alterOffsets(valid(), reset)).isTrue();
        assertThatThrownBy(() -> connector.alterOffsets(valid(), Map.of(Map.of("object", "macro"), Map.of("v", 1))))
                .hasMessageContaining("is not one of this connector's");
        assertThatThrownBy(() -> connector.alterOffsets(valid(), Map.of(Map.of("object", "ticket"), Map.of("v", 7))))
                .hasMessageContaining("the stored offset of ticket is not one this connector wrote");
    }
}
