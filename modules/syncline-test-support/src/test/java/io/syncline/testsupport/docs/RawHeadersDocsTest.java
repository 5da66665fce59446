package io.syncline.testsupport.docs;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.syncline.raw.RawHeader;
import org.junit.jupiter.api.Test;

/**
 * docs/raw-records.md carries the header table generated from {@link RawHeader}, the raw-record contract's one
 * declaration; the gateway's and the connectors' pages link to it instead of describing the headers again. It lives
 * here because syncline-raw cannot use this module (this module depends on it).
 */
class RawHeadersDocsTest {

    @Test
    void theHeaderTableInDocsIsUpToDate() {
        GeneratedSection.assertUpToDate(GeneratedSection.docsDir().resolve("raw-records.md"), "headers",
                markdown());
    }

    static String markdown() {
        return "| header | carried by | meaning |\n|---|---|---|\n" + Arrays.stream(RawHeader.values())
                .map(h -> "| `" + h.key() + "` | " + (h.onEveryRecord() ? "every raw record" : "gateway records")
                        + " | " + h.meaning() + " |")
                .collect(Collectors.joining("\n"));
    }
}
