package io.syncline.connect.payments;

import io.syncline.testsupport.docs.ConfigReference;
import io.syncline.testsupport.docs.GeneratedSection;
import org.junit.jupiter.api.Test;

/** docs/connectors/payments.md carries the config reference generated from the ConfigDef (CONVENTIONS rule 2). */
class PaymentsConfigDocsTest {

    static final String UPDATE_COMMAND = "./mvnw -q -pl modules/syncline-connect-payments test "
            + "-Dtest=PaymentsConfigDocsTest -Dsyncline.docs.update=true";

    @Test
    void theConfigReferenceInDocsIsUpToDate() {
        GeneratedSection.assertUpToDate(GeneratedSection.docsDir().resolve("connectors/payments.md"), "config",
                ConfigReference.markdown(PaymentsSourceConfig.CONFIG_DEF), UPDATE_COMMAND);
    }
}
