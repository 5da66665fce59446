package io.syncline.connect.payments;

import io.syncline.testsupport.docs.ConfigReference;
import io.syncline.testsupport.docs.GeneratedSection;
import org.junit.jupiter.api.Test;

/** docs/connectors/payments.md carries the config reference generated from the ConfigDef (CONVENTIONS rule 2). */
class PaymentsConfigDocsTest {

    @Test
    void theConfigReferenceInDocsIsUpToDate() {
        GeneratedSection.assertUpToDate(GeneratedSection.docsDir().resolve("connectors/payments.md"), "config",
                ConfigReference.markdown(PaymentsSourceConfig.CONFIG_DEF));
    }
}
