package io.syncline.connect.crm.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.connect.common.RawSourceConverters;
import io.syncline.testsupport.docs.ConfigExamples;
import io.syncline.testsupport.docs.ConfigReference;
import io.syncline.testsupport.docs.GeneratedSection;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * docs/connectors/crm-source.md carries the reference of this connector's own keys and of the outbound defaults it
 * changes, generated from the ConfigDef (CONVENTIONS rule 2; the outbound keys themselves are in docs/http.md), and
 * every connector config it shows loads.
 */
class CrmSourceDocsTest {

    private static final ConfigDef SHARED = OutboundHttpConfig.configDef(OutboundHttpConfig.Defaults.SINK);

    @Test
    void theConfigReferenceInDocsIsUpToDate() {
        var page = GeneratedSection.docsDir().resolve("connectors/crm-source.md");
        GeneratedSection.assertUpToDate(page, "config", ConfigReference.markdown(CrmSourceConfig.CONFIG_DEF,
                SHARED.names()));
        GeneratedSection.assertUpToDate(page, "outbound-defaults",
                ConfigReference.changedDefaults(CrmSourceConfig.CONFIG_DEF, SHARED));
    }

    @Test
    void everyConnectorConfigOnThePageLoads() {
        List<Map<String, String>> examples = ConfigExamples.connectorConfigs(
                GeneratedSection.docsDir().resolve("connectors/crm-source.md"));
        assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
        for (Map<String, String> example : examples) {
            Map<String, String> props = new HashMap<>(example);
            // What the worker's config provider would put in place of a reference.
            props.replaceAll((k, v) -> v.startsWith("${") ? "resolved-secret" : v);
            assertThat(new CrmSourceConfig(props).objects()).as(example.toString()).isNotEmpty();
            assertThat(RawSourceConverters.problems(props, "HubSpot")).as(example.toString()).isEmpty();
            assertThat(example.get("connector.class")).isEqualTo(CrmSourceConnector.class.getName());
        }
    }
}
