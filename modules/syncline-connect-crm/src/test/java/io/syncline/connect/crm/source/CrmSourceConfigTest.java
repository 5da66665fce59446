package io.syncline.connect.crm.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.connect.common.RawSourceConverters;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CrmSourceConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        m.put(OutboundHttpConfig.AUTH_BEARER_TOKEN, "pat-na1-00000000-0000-4000-8000-000000000000");
        return m;
    }

    /** The static error messages ConfigDef reports per key for {@code overrides} on top of a valid config. */
    private static Map<String, List<String>> errors(Map<String, String> overrides) {
        Map<String, String> props = minimal();
        props.putAll(overrides);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (ConfigValue v : CrmSourceConfig.CONFIG_DEF.validate(props)) {
            if (!v.errorMessages().isEmpty()) {
                out.put(v.name(), v.errorMessages());
            }
        }
        return out;
    }

    @Test
    void defaultsSuitHubSpotItself() {
        CrmSourceConfig c = new CrmSourceConfig(minimal());
        assertThat(c.baseUrl()).isEqualTo("https://api.hubapi.com");
        assertThat(c.objects()).containsExactly(CrmObjectType.values());
        assertThat(c.backfillAll()).isTrue();
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.archivedPollInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.searchLag()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.pageSize()).isEqualTo(100);
        assertThat(c.searchPageSize()).isEqualTo(200);
        assertThat(c.searchRatePerSecond()).isEqualTo(4.0);
        assertThat(c.topic(CrmObjectType.CONTACT)).isEqualTo("raw.hubspot.contact");
        assertThat(c.getString(OutboundHttpConfig.AUTH_TYPE)).isEqualTo("bearer");
        assertThat(c.getInt(OutboundHttpConfig.RATE_WINDOW_REQUESTS)).isEqualTo(90);
        assertThat(c.getLong(OutboundHttpConfig.RATE_WINDOW_MS)).isEqualTo(10_000L);
        assertThat(c.associations(CrmObjectType.CONTACT)).containsExactly(CrmObjectType.COMPANY);
        assertThat(c.associations(CrmObjectType.COMPANY)).isEmpty();
        assertThat(c.associations(CrmObjectType.DEAL)).containsExactly(CrmObjectType.CONTACT, CrmObjectType.COMPANY);
        assertThat(c.credentialKey()).isEqualTo(OutboundHttpConfig.AUTH_BEARER_TOKEN);
    }

    @Test
    void theSourceAlwaysReadsWhatItNeedsWhateverPropertiesAreListed() {
        Map<String, String> props = minimal();
        props.put(CrmSourceConfig.propertiesKey(CrmObjectType.DEAL), "dealname,my_custom_score");
        CrmSourceConfig c = new CrmSourceConfig(props);
        assertThat(c.properties(CrmObjectType.DEAL)).containsExactly("dealname", "my_custom_score", "hs_object_id",
                "hs_merged_object_ids", "hs_lastmodifieddate");
        assertThat(c.properties(CrmObjectType.CONTACT)).contains("email", "lastmodifieddate", "associatedcompanyid",
                "hs_merged_object_ids");
    }

    /** One bad value and what ConfigDef must say about it. */
    record BadValue(String what, String key, String value, String message) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<BadValue> badValues() {
        return Stream.of(
                new BadValue("an unknown object type", CrmSourceConfig.OBJECTS, "contact,ticket",
                        "crm.objects: unknown object type 'ticket'; expected one or more of contact, company, deal"),
                new BadValue("an object type twice", CrmSourceConfig.OBJECTS, "contact,contacts",
                        "crm.objects: object type 'contacts' is listed twice"),
                new BadValue("no object type", CrmSourceConfig.OBJECTS, "",
                        "crm.objects: no object type given; expected one or more of contact, company, deal"),
                new BadValue("a property that is not a HubSpot name", "crm.contact.properties", "email,First Name",
                        "crm.contact.properties: 'First Name' is not a HubSpot property name (lower-case letters, "
                                + "digits and underscores, as in hs_lead_status)"),
                new BadValue("an association with itself", "crm.deal.associations", "contacts,deals",
                        "crm.deal.associations: 'deals' is not an object type deals can be associated with here; "
                                + "expected contacts, companies"),
                new BadValue("a URL with a query", CrmSourceConfig.BASE_URL, "https://api.hubapi.com?portal=1",
                        "crm.url: expected a base URL without query or fragment, such as https://api.hubapi.com, got "
                                + "'https://api.hubapi.com?portal=1'"),
                new BadValue("not a URL", CrmSourceConfig.BASE_URL, "api.hubapi.com",
                        "crm.url: expected an absolute https URL such as https://api.hubapi.com, got "
                                + "'api.hubapi.com'"),
                new BadValue("credentials in the URL", CrmSourceConfig.BASE_URL, "https://me:pw@api.hubapi.com",
                        "crm.url: the URL must not carry credentials; give the token in auth.bearer.token"),
                new BadValue("a backfill that is neither all nor none", CrmSourceConfig.BACKFILL, "2024-01-01",
                        "Invalid value 2024-01-01 for configuration backfill.start: String must be one of: all, none"),
                new BadValue("a search page over HubSpot's 200", CrmSourceConfig.SEARCH_PAGE_SIZE, "201",
                        "Invalid value 201 for configuration search.page.size: Value must be no more than 200"),
                new BadValue("a topic prefix with a slash", CrmSourceConfig.TOPIC_PREFIX, "raw/hubspot.",
                        "topic.prefix: 'raw/hubspot.' has characters a topic name cannot hold; use only letters, "
                                + "digits, '.', '_' and '-'"),
                new BadValue("an auth type HubSpot does not take", OutboundHttpConfig.AUTH_TYPE, "basic",
                        "Invalid value basic for configuration auth.type: expected one of bearer, oauth2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void reportsABadValueOnItsKeyWithWhatIsValid(BadValue bad) {
        assertThat(errors(Map.of(bad.key(), bad.value()))).as(bad.what())
                .containsEntry(bad.key(), List.of(bad.message()));
    }

    @Test
    void aMissingTokenIsReportedOnItsKeyWhenTheConfigIsBuilt() {
        Map<String, String> props = new HashMap<>();
        assertThatThrownBy(() -> new CrmSourceConfig(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth.bearer.token is required when auth.type=bearer");
    }

    @Test
    void plainHttpToALoopbackSandboxNeedsBothAllowLists() {
        Map<String, String> props = minimal();
        props.put(CrmSourceConfig.BASE_URL, "http://127.0.0.1:12112");
        assertThatThrownBy(() -> new CrmSourceConfig(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("outbound.allow.plain.http");
        props.put(OutboundHttpConfig.ALLOW_PLAIN_HTTP, "127.0.0.1:12112");
        props.put(OutboundHttpConfig.ALLOW_LIST, "127.0.0.1");
        assertThat(new CrmSourceConfig(props).baseUrl()).isEqualTo("http://127.0.0.1:12112");
    }

    @Test
    void theConvertersMustKeepKeysValuesAndHeadersAsWritten() {
        Map<String, String> props = new HashMap<>();
        props.put(RawSourceConverters.VALUE_CONVERTER, "org.apache.kafka.connect.json.JsonConverter");
        assertThat(RawSourceConverters.problems(props, "HubSpot")).containsOnlyKeys("value.converter", "key.converter")
                .containsEntry("value.converter", "value.converter: expected "
                        + "org.apache.kafka.connect.converters.ByteArrayConverter so each record holds the HubSpot JSON "
                        + "exactly as received, got org.apache.kafka.connect.json.JsonConverter");
        props.put(RawSourceConverters.VALUE_CONVERTER, RawSourceConverters.BYTE_ARRAY_CONVERTER);
        props.put(RawSourceConverters.KEY_CONVERTER, RawSourceConverters.STRING_CONVERTER);
        props.put(RawSourceConverters.HEADER_CONVERTER, RawSourceConverters.STRING_CONVERTER);
        assertThat(RawSourceConverters.problems(props, "HubSpot")).isEmpty();
    }
}
