package io.syncline.connect.crm;

import io.syncline.testsupport.docs.ConfigReference;
import io.syncline.testsupport.docs.GeneratedSection;
import org.junit.jupiter.api.Test;

/** The CRM connectors' page's reference section is generated from the ConfigDef. */
class CrmConnectorDocsTest {

    @Test
    void theCrmSinkPageListsEveryConfigKey() {
        GeneratedSection.assertUpToDate(GeneratedSection.docsDir().resolve("connectors/crm.md"), "config",
                ConfigReference.markdown(CrmContactSinkConfig.configDef()));
    }
}
