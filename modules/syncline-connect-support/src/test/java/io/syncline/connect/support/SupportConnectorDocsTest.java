package io.syncline.connect.support;

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
 * docs/connectors/support.md carries the reference of the support source's and sink's own keys and of the outbound
 * defaults they change, generated from their ConfigDefs (the outbound keys themselves are in docs/http.md), and every
 * connector config it shows loads.
 */
class SupportConnectorDocsTest {

    private static final ConfigDef SHARED = OutboundHttpConfig.configDef(OutboundHttpConfig.Defaults.SINK);

    @Test
    void theSourceConfigReferenceInDocsIsUpToDate() {
        var page = GeneratedSection.docsDir().resolve("connectors/support.md");
        GeneratedSection.assertUpToDate(page, "source-config",
                ConfigReference.markdown(SupportSourceConfig.CONFIG_DEF, SHARED.names()));
        GeneratedSection.assertUpToDate(page, "source-outbound-defaults",
                ConfigReference.changedDefaults(SupportSourceConfig.CONFIG_DEF, SHARED));
    }

    @Test
    void theSinkConfigReferenceInDocsIsUpToDate() {
        var page = GeneratedSection.docsDir().resolve("connectors/support.md");
        GeneratedSection.assertUpToDate(page, "sink-config",
                ConfigReference.markdown(SupportSinkConfig.configDef(), SHARED.names()));
        GeneratedSection.assertUpToDate(page, "sink-outbound-defaults",
                ConfigReference.changedDefaults(SupportSinkConfig.configDef(), SHARED));
    }

    @Test
    void everySinkConfigOnThePageLoads() {
        List<Map<String, String>> examples = ConfigExamples.connectorConfigs(
                GeneratedSection.docsDir().resolve("connectors/support.md")).stream()
                .filter(c -> SupportSinkConnector.class.getName().equals(c.get("connector.class"))).toList();
        assertThat(examples).isNotEmpty();
        for (Map<String, String> example : examples) {
            Map<String, String> props = new HashMap<>(example);
            props.replaceAll((k, v) -> v.startsWith("${") ? "resolved-token" : v);
            assertThat(SupportSinkConfig.problems(props)).as(example.toString()).isEmpty();
            assertThat(new SupportSinkConfig(props).baseUrl()).startsWith("http");
        }
    }

    @Test
    void everySourceConfigOnThePageLoads() {
        List<Map<String, String>> examples = ConfigExamples.connectorConfigs(
                GeneratedSection.docsDir().resolve("connectors/support.md")).stream()
                .filter(c -> SupportSourceConnector.class.getName().equals(c.get("connector.class"))).toList();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(2);
        for (Map<String, String> example : examples) {
            Map<String, String> props = new HashMap<>(example);
            // What the worker's config provider would put in place of a reference.
            props.replaceAll((k, v) -> v.startsWith("${") ? "resolved-token" : v);
            assertThat(new SupportSourceConfig(props).objects()).as(example.toString()).isNotEmpty();
            assertThat(SupportSourceConfig.converterProblems(props)).as(example.toString()).isEmpty();
        }
    }
}
