package io.syncline.normalizer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** mappings/stripe/invoice.yaml: Stripe invoices with their lines → canonical.finance.invoice.v1. */
class InvoiceMappingTest extends StripeMappingTestSupport {

    private static final String TOPIC = "canonical.finance.invoice.v1";

    @Test
    void anInvoiceWithManyLinesKeepsEveryLineInOrder() {
        pipe("invoice", "finalized-with-40-lines.json");

        GenericRecord inv = out(TOPIC).get(0).value();
        assertThat(str(inv.get("status"))).isEqualTo("OPEN");
        assertThat(str(inv.get("number"))).isEqualTo("A1B2C3D4-0007");
        assertThat(str(inv.get("customer_id"))).isEqualTo("stripe:cus_Q1w2E3r4T5y6U7");
        assertThat(str(inv.get("subscription_id"))).isEqualTo("stripe:sub_1PkLsubAbCdEf");
        assertThat(inv.get("payment_id")).isNull();
        assertThat(amount(inv, "total")).isEqualTo(1500L * 820);
        assertThat(currency(inv, "total")).isEqualTo("USD");
        assertThat(inv.get("tax")).isNull();
        assertThat(inv.get("finalized_at")).isEqualTo(1_717_171_300_000L);
        assertThat(inv.get("due_at")).isNull();
        List<?> lines = (List<?>) inv.get("lines");
        assertThat(lines).hasSize(40);
        GenericRecord seventh = rec(lines.get(6));
        assertThat(str(seventh.get("id"))).isEqualTo("il_1PkLinv0007");
        assertThat(str(seventh.get("description"))).isEqualTo("7 × Seat (Tier 2)");
        assertThat(seventh.get("quantity")).isEqualTo(7L);
        assertThat(amount(seventh, "unit_amount")).isEqualTo(1500L);
        assertThat(amount(seventh, "amount")).isEqualTo(10500L);
        assertThat(currency(seventh, "amount")).isEqualTo("USD");
        assertThat(str(seventh.get("product_id"))).isEqualTo("stripe:prod_PkLprod002");
        assertThat(str(seventh.get("price_id"))).isEqualTo("stripe:price_1PkLpr0007");
        assertThat(seventh.get("period_start")).isEqualTo(1_717_171_200_000L);
        assertThat(seventh.get("proration")).isEqualTo(true);
        assertThat(strings(seventh.get("properties"))).isEqualTo(Map.of("line", "7"));
    }

    @Test
    void aPaidInvoiceReferencesItsPaymentAndCarriesTheFirstPageOfLines() {
        pipe("invoice", "finalized-with-40-lines.json");
        pipe("invoice", "paid-first-page-of-lines.json");

        GenericRecord inv = out(TOPIC).get(1).value();
        assertThat(str(inv.get("status"))).isEqualTo("PAID");
        assertThat(str(inv.get("payment_id"))).isEqualTo("stripe:ch_3PkL2mLkdIwHu7ix0snN0B15");
        assertThat(amount(inv, "amount_remaining")).isZero();
        assertThat(inv.get("paid_at")).isEqualTo(1_717_171_400_000L);
        assertThat((List<?>) inv.get("lines")).hasSize(10);
    }

    @Test
    void aDraftSnapshotWithoutLinesHasAnEmptyLineList() {
        pipe("invoice", "draft-snapshot-no-lines.json", "syncline.received-at", "1717171250000");

        GenericRecord inv = out(TOPIC).get(0).value();
        assertThat(str(inv.get("status"))).isEqualTo("DRAFT");
        assertThat(inv.get("number")).isNull();
        assertThat((List<?>) inv.get("lines")).isEmpty();
        assertThat(amount(inv, "total")).isZero();
    }
}
