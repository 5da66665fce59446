package io.syncline.connect.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The HTTP sink's page's reference sections are generated from its ConfigDef (its own and the delivery keys, and the
 * outbound defaults it changes: the outbound keys are documented once, in docs/http.md); its mappings are documented
 * once, by the transform reference of docs/mappings.md, which the page links to instead of keeping a table of its
 * own; and every connector config it shows loads.
 */
class ConnectorDocsTest {

    private static final ConfigDef SHARED = OutboundHttpConfig.configDef(OutboundHttpConfig.Defaults.SINK);

    @Test
    void theHttpSinkPageListsEveryConfigKeyAndLinksTheOneTransformReference() throws Exception {
        Path page = GeneratedSection.docsDir().resolve("connectors/http-sink.md");
        GeneratedSection.assertUpToDate(page, "config", ConfigReference.markdown(HttpSinkConfig.configDef(),
                SHARED.names()));
        GeneratedSection.assertUpToDate(page, "outbound-defaults",
                ConfigReference.changedDefaults(HttpSinkConfig.configDef(), SHARED));
        String text = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(text).contains("](../mappings.md#transforms)").doesNotContain("<!-- transforms:")
                .contains("](../http.md#connector-keys)");
    }

    @Test
    void everyConnectorConfigOnThePageLoads() {
        List<Map<String, String>> examples = ConfigExamples.connectorConfigs(
                GeneratedSection.docsDir().resolve("connectors/http-sink.md"));
        assertThat(examples).isNotEmpty();
        for (Map<String, String> example : examples) {
            Map<String, String> props = new HashMap<>(example);
            props.replaceAll((k, v) -> v.startsWith("${") ? "resolved-secret" : v);
            assertThat(HttpSinkConfig.problems(props)).as(example.toString()).isEmpty();
            assertThat(new HttpSinkConfig(props).url()).isNotNull();
        }
    }
}
