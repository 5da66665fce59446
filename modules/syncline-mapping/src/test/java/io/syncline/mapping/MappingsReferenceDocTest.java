package io.syncline.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** docs/mappings.md embeds the transform table generated from the registry; it must match the code. */
class MappingsReferenceDocTest {

    private static final Path DOC = Path.of("../../docs/mappings.md");
    private static final String START = "<!-- transforms:start -->\n";
    private static final String END = "<!-- transforms:end -->";

    @Test
    void theTransformTableInDocsMappingsIsGeneratedFromTheRegistry() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int from = doc.indexOf(START);
        int to = doc.indexOf(END);
        assertThat(from).as("markers in " + DOC).isNotNegative();
        String expected = Transforms.markdownReference();
        String actual = doc.substring(from + START.length(), to);
        if (Boolean.getBoolean("syncline.docs.write") && !actual.equals(expected)) {
            Files.writeString(DOC, doc.substring(0, from + START.length()) + expected + doc.substring(to),
                    StandardCharsets.UTF_8);
            actual = expected;
        }
        assertThat(actual).as("docs/mappings.md is stale: rerun with -Dsyncline.docs.write=true").isEqualTo(expected);
        for (Transform t : Transforms.ALL) {
            assertThat(actual).contains("| `" + t.name() + "` |");
        }
    }
}
