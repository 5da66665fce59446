package io.syncline.connect.payments;

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
 * docs/connectors/payments.md carries the reference of this connector's own keys and of the outbound defaults it
 * changes, generated from the ConfigDef (CONVENTIONS rule 2; the outbound keys themselves are in docs/http.md), and
 * every connector config it shows loads.
 */
class PaymentsConfigDocsTest {

    private static final ConfigDef SHARED = OutboundHttpConfig.configDef(OutboundHttpConfig.Defaults.SINK);

    @Test
    void theConfigReferenceInDocsIsUpToDate() {
        GeneratedSection.assertUpToDate(GeneratedSection.docsDir().resolve("connectors/payments.md"), "config",
                ConfigReference.markdown(PaymentsSourceConfig.CONFIG_DEF, SHARED.names()));
        GeneratedSection.assertUpToDate(GeneratedSection.docsDir().resolve("connectors/payments.md"),
                "outbound-defaults", ConfigReference.changedDefaults(PaymentsSourceConfig.CONFIG_DEF, SHARED));
    }

    @Test
    void everyConnectorConfigOnThePageLoads() {
        List<Map<String, String>> examples = ConfigExamples.connectorConfigs(
                GeneratedSection.docsDir().resolve("connectors/payments.md"));
        assertThat(examples).hasSizeGreaterThanOrEqualTo(2);
        for (Map<String, String> example : examples) {
            Map<String, String> props = new HashMap<>(example);
            // What the worker's config provider would put in place of a reference.
            props.replaceAll((k, v) -> v.startsWith("${") ? "sk_test_resolved" : v);
            assertThat(new PaymentsSourceConfig(props).objects()).isNotEmpty();
            assertThat(PaymentsSourceConfig.converterProblems(props)).as(example.toString()).isEmpty();
        }
    }
}
