package io.syncline.registry.connect;

import io.syncline.testsupport.docs.ConfigReference;
import io.syncline.testsupport.docs.GeneratedSection;
import org.junit.jupiter.api.Test;

/** The configuration reference in docs/serde.md is generated from the ConfigDef and must match it. */
class ConfigReferenceDocsTest {

    @Test
    void theConfigurationReferenceInDocsIsFresh() {
        GeneratedSection.assertUpToDate(GeneratedSection.docsDir().resolve("serde.md"), "config-reference",
                ConfigReference.markdown(AvroConverterConfig.configDef()));
    }
}
