package io.syncline.connect.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.syncline.testsupport.docs.ConfigReference;
import io.syncline.testsupport.docs.GeneratedSection;
import org.junit.jupiter.api.Test;

/**
 * The HTTP sink's page's reference section is generated from its ConfigDef; its mappings are documented once, by the
 * transform reference of docs/mappings.md, which the page links to instead of keeping a table of its own.
 */
class ConnectorDocsTest {

    @Test
    void theHttpSinkPageListsEveryConfigKeyAndLinksTheOneTransformReference() throws Exception {
        Path page = GeneratedSection.docsDir().resolve("connectors/http-sink.md");
        GeneratedSection.assertUpToDate(page, "config", ConfigReference.markdown(HttpSinkConfig.configDef()));
        String text = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(text).contains("](../mappings.md#transforms)").doesNotContain("<!-- transforms:");
    }
}
