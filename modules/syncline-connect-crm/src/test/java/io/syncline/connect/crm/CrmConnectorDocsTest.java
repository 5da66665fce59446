package io.syncline.connect.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.testsupport.docs.ConfigExamples;
import io.syncline.testsupport.docs.ConfigReference;
import io.syncline.testsupport.docs.GeneratedSection;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * The CRM connectors' page's reference sections are generated from the ConfigDef (its own and the delivery keys, and
 * the outbound defaults it changes; the outbound keys are in docs/http.md), and every connector config it shows loads.
 */
class CrmConnectorDocsTest {

    private static final ConfigDef SHARED = OutboundHttpConfig.configDef(OutboundHttpConfig.Defaults.SINK);

    @Test
    void theCrmSinkPageListsEveryConfigKey() {
        var page = GeneratedSection.docsDir().resolve("connectors/crm.md");
        GeneratedSection.assertUpToDate(page, "config", ConfigReference.markdown(CrmContactSinkConfig.configDef(),
                SHARED.names()));
        GeneratedSection.assertUpToDate(page, "outbound-defaults",
                ConfigReference.changedDefaults(CrmContactSinkConfig.configDef(), SHARED));
    }

    @Test
    void everyConnectorConfigOnThePageLoads() {
        List<Map<String, String>> examples = ConfigExamples.connectorConfigs(
                GeneratedSection.docsDir().resolve("connectors/crm.md"));
        assertThat(examples).isNotEmpty();
        for (Map<String, String> example : examples) {
            Map<String, String> props = new HashMap<>(example);
            props.replaceAll((k, v) -> v.startsWith("${") ? "resolved-secret" : v);
            assertThat(CrmContactSinkConfig.problems(props)).as(example.toString()).isEmpty();
            assertThat(new CrmContactSinkConfig(props).upsertUrl()).endsWith("/crm/v3/objects/contacts/batch/upsert");
        }
    }
}
