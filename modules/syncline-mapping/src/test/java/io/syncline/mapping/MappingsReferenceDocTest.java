package io.syncline.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncline.testsupport.docs.GeneratedSection;
import org.junit.jupiter.api.Test;

/** docs/mappings.md embeds the transform table generated from the registry; it must match the code. */
class MappingsReferenceDocTest {

    @Test
    void theTransformTableInDocsMappingsIsGeneratedFromTheRegistry() {
        String table = Transforms.markdownReference();
        for (Transform t : Transforms.ALL) {
            assertThat(table).contains("| `" + t.name() + "` |");
        }
        GeneratedSection.assertUpToDate(GeneratedSection.docsDir().resolve("mappings.md"), "transforms", table);
    }
}
