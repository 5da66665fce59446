package io.syncline.metrics;

import io.syncline.testsupport.docs.GeneratedSection;
import org.junit.jupiter.api.Test;

/** docs/metrics.md's table is the catalogue in {@link SynclineMetrics}. */
class MetricsDocsTest {

    @Test
    void theMetricsTableIsCurrent() {
        GeneratedSection.assertUpToDate(GeneratedSection.docsDir().resolve("metrics.md"), "metrics",
                SynclineMetrics.markdown());
    }
}
