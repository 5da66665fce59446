package io.syncline.connect.common;

import io.syncline.testsupport.docs.ConfigReference;
import io.syncline.testsupport.docs.GeneratedSection;
import org.junit.jupiter.api.Test;

/** docs/http.md documents the outbound keys once, generated from the shared ConfigDef fragment. */
class OutboundHttpDocsTest {

    @Test
    void theHttpPageListsEveryOutboundKeyWithTheGenericDefaults() {
        GeneratedSection.assertUpToDate(GeneratedSection.docsDir().resolve("http.md"), "outbound-config",
                ConfigReference.markdown(OutboundHttpConfig.configDef(OutboundHttpConfig.Defaults.SINK)));
    }
}
