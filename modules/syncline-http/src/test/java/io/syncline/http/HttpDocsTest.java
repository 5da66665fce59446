package io.syncline.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps the tables in {@code docs/http.md} equal to the code they describe; run with
 * {@code -Dsyncline.docs.write=true} to regenerate them.
 */
class HttpDocsTest {
    private static final Path DOC = Path.of("..", "..", "docs", "http.md");

    @Test
    void failureTableInTheDocsMatchesTheCode() throws IOException {
        check("failure-table", HttpFailureClassifier.markdownTable());
    }

    @Test
    void ssrfRangesInTheDocsMatchTheCode() throws IOException {
        check("ssrf-ranges", InternalAddresses.markdownTable());
    }

    private static void check(String section, String generated) throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        String begin = "<!-- " + section + ":begin -->\n";
        String end = "<!-- " + section + ":end -->";
        int from = doc.indexOf(begin);
        int to = doc.indexOf(end);
        assertThat(from).as("%s has a %s section", DOC, section).isGreaterThanOrEqualTo(0);
        assertThat(to).isGreaterThan(from);
        String current = doc.substring(from + begin.length(), to);
        if (Boolean.getBoolean("syncline.docs.write")) {
            Files.writeString(DOC, doc.substring(0, from + begin.length()) + generated + doc.substring(to),
                    StandardCharsets.UTF_8);
            return;
        }
        assertThat(current).as("the %s section of %s is stale: regenerate with -Dsyncline.docs.write=true",
                section, DOC).isEqualTo(generated);
    }
}
