package io.syncline.sandbox.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CrmSchemaTest {

    private static CrmSchema.Prop prop(String type, String name) {
        return CrmSchema.TYPES.get(type).prop(name);
    }

    @Test
    void datesAcceptEpochMillisIsoInstantsAndDatesAndStoreIsoMillis() {
        CrmSchema.Prop closedate = prop("deals", "closedate");
        assertThat(CrmSchema.normalize(closedate, "1767225600000")).isEqualTo("2026-01-01T00:00:00.000Z");
        assertThat(CrmSchema.normalize(closedate, "2026-01-01T12:30:00Z")).isEqualTo("2026-01-01T12:30:00.000Z");
        assertThat(CrmSchema.normalize(closedate, "2026-01-02")).isEqualTo("2026-01-02T00:00:00.000Z");
        assertThatThrownBy(() -> CrmSchema.normalize(closedate, "next week"))
                .isInstanceOf(CrmSchema.InvalidValue.class).hasMessageContaining("next week");
    }

    @Test
    void emailsAreLowerCasedAndValidatedEnumsAndNumbersChecked() {
        assertThat(CrmSchema.normalize(prop("contacts", "email"), "Ada@Example.COM")).isEqualTo("ada@example.com");
        assertThatThrownBy(() -> CrmSchema.normalize(prop("contacts", "email"), "ada"))
                .extracting(e -> ((CrmSchema.InvalidValue) e).invalid().error()).isEqualTo("INVALID_EMAIL");
        assertThatThrownBy(() -> CrmSchema.normalize(prop("deals", "dealstage"), "won"))
                .extracting(e -> ((CrmSchema.InvalidValue) e).invalid().error()).isEqualTo("INVALID_OPTION");
        assertThat(CrmSchema.normalize(prop("deals", "amount"), " 1500.50 ")).isEqualTo("1500.50");
        assertThat(CrmSchema.normalize(prop("deals", "amount"), "")).isEmpty();
    }

    @Test
    void valuesCompareByTheirPropertyType() {
        assertThat(CrmEngine.compareValues(prop("deals", "amount"), "900", "1000")).isNegative();
        assertThat(CrmEngine.compareValues(prop("deals", "closedate"), "2026-01-01T00:00:00.000Z", "1767225600000"))
                .isZero();
        assertThat(CrmEngine.compareValues(prop("contacts", "email"), "A@x.io", "a@x.io")).isZero();
        assertThat(CrmEngine.compareValues(prop("contacts", "phone"), null, "1")).isNegative();
    }
}
