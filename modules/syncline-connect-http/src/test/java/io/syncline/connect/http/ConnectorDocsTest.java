package io.syncline.connect.http;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.syncline.delivery.mapping.Transform;
import io.syncline.testsupport.docs.ConfigReference;
import io.syncline.testsupport.docs.GeneratedSection;
import org.junit.jupiter.api.Test;

/** The HTTP sink's page's reference sections are generated from its ConfigDef and the transform enum. */
class ConnectorDocsTest {

    @Test
    void theHttpSinkPageListsEveryConfigKeyAndTransform() {
        GeneratedSection.assertUpToDate(GeneratedSection.docsDir().resolve("connectors/http-sink.md"), "config",
                ConfigReference.markdown(HttpSinkConfig.configDef()));
        GeneratedSection.assertUpToDate(GeneratedSection.docsDir().resolve("connectors/http-sink.md"), "transforms",
                "| transform | what it does |\n|---|---|\n" + Arrays.stream(Transform.values())
                        .map(t -> "| `" + t.label() + "` | " + t.description() + " |")
                        .collect(Collectors.joining("\n")));
    }
}
