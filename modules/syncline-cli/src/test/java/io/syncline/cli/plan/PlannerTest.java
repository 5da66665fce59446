package io.syncline.cli.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When a topic setting on the cluster already is what syncline.yaml declares. */
class PlannerTest {

    @ParameterizedTest(name = "{0}: {1} vs {2}")
    @CsvSource(nullValues = "none", delimiter = '|', value = {
            "cleanup.policy | compact,delete | delete,compact | true",
            "cleanup.policy | compact, delete| compact,delete | true",
            "cleanup.policy | delete         | compact,delete | false",
            "retention.ms   | 604800000      | 604800000      | true",
            "retention.ms   | 604800000      | 86400000       | false",
            "retention.ms   | none           | 86400000       | false"})
    void listsCompareAsSetsAndOtherSettingsAsText(String key, String current, String wanted, boolean same) {
        assertThat(Planner.sameSetting(key, current, wanted)).isEqualTo(same);
    }
}
