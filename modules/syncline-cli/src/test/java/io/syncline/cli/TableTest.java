package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void alignsColumnsToTheWidestCellAndTrimsTrailingSpace() {
        String table = Table.of("TOPIC", "PARTITIONS", "RECORDS")
                .row("raw.stripe.charge", 12, 1500)
                .row("lines", 1, null)
                .render();
        assertThat(table).isEqualTo("""
                TOPIC              PARTITIONS  RECORDS
                raw.stripe.charge  12          1500
                lines              1
                """);
    }
}
