package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.syncline.ops.PipelineStats;
import org.junit.jupiter.api.Test;

/** status shows each provider account's shared request budget: its limit, what the window spent, waits and 429s. */
class StatusCommandTest {

    @Test
    void everyAccountBudgetGetsARowWithItsLimitUseWaitsAnd429sAndWhoSharesIt() {
        Table t = StatusCommand.accountBudgets(List.of(
                new PipelineStats.AccountBudgetStats("http://localhost:12112 sha256:0123456789ab", 90, 10_000, 37, 4,
                        1, List.of("demo-crm-0", "demo-crm-contacts-0", "demo-crm-contacts-1")),
                new PipelineStats.AccountBudgetStats("https://api.hubapi.com sha256:ba9876543210", 100, 2_500, 0, 0,
                        0, List.of("crm-source-0"))));

        assertThat(t.render()).isEqualTo("""
                ACCOUNT                                     LIMIT            USED (window)  WAITS  429s  SHARED BY
                http://localhost:12112 sha256:0123456789ab  90 per 10 s      37             4      1     demo-crm-0, demo-crm-contacts-0, demo-crm-contacts-1
                https://api.hubapi.com sha256:ba9876543210  100 per 2500 ms  0              0      0     crm-source-0
                """);
    }
}
