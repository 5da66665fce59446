package io.syncline.http;

import io.syncline.testsupport.docs.GeneratedSection;
import org.junit.jupiter.api.Test;

/** Keeps the tables in {@code docs/http.md} equal to the code they describe. */
class HttpDocsTest {

    @Test
    void failureTableInTheDocsMatchesTheCode() {
        GeneratedSection.assertUpToDate(GeneratedSection.docsDir().resolve("http.md"), "failure-table",
                HttpFailureClassifier.markdownTable());
    }

    @Test
    void ssrfRangesInTheDocsMatchTheCode() {
        GeneratedSection.assertUpToDate(GeneratedSection.docsDir().resolve("http.md"), "ssrf-ranges",
                InternalAddresses.markdownTable());
    }
}
