package io.syncline.normalizer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.syncline.normalizer.stream.NormalizerDriver.Canonical;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** mappings/stripe/refund.yaml: Stripe refunds → canonical.finance.refund.v1. */
class RefundMappingTest extends StripeMappingTestSupport {

    private static final String TOPIC = "canonical.finance.refund.v1";

    @Test
    void twoPartialRefundsOfOneChargeAreTwoRefundsOfTheSamePayment() {
        pipe("refund", "partial-refund-of-charge.json");
        pipe("refund", "second-partial-refund-pending.json");

        List<Canonical> out = out(TOPIC);
        assertThat(out).extracting(Canonical::key).containsExactly("stripe:re_3PkL9xLkdIwHu7ix1Rf00001",
                "stripe:re_3PkL9xLkdIwHu7ix1Rf00002");
        GenericRecord first = out.get(0).value();
        assertThat(amount(first, "amount")).isEqualTo(1000L);
        assertThat(currency(first, "amount")).isEqualTo("EUR");
        assertThat(str(first.get("payment_id"))).isEqualTo("stripe:ch_3PkL2mLkdIwHu7ix0snN0B15");
        assertThat(str(first.get("payment_intent_id"))).isEqualTo("stripe:pi_3PkL2mLkdIwHu7ix1a2b3c4d");
        assertThat(str(first.get("status"))).isEqualTo("SUCCEEDED");
        assertThat(str(first.get("reason"))).isEqualTo("REQUESTED_BY_CUSTOMER");
        GenericRecord second = out.get(1).value();
        assertThat(amount(second, "amount")).isEqualTo(599L);
        assertThat(str(second.get("payment_id"))).isEqualTo("stripe:ch_3PkL2mLkdIwHu7ix0snN0B15");
        assertThat(str(second.get("status"))).isEqualTo("PENDING");
        assertThat(second.get("reason")).as("no reason given").isNull();
    }

    @Test
    void aFailedRefundKeepsTheFailureReason() {
        pipe("refund", "second-partial-refund-pending.json");
        pipe("refund", "failed-refund-update.json");

        GenericRecord r = out(TOPIC).get(1).value();
        assertThat(str(r.get("status"))).isEqualTo("FAILED");
        assertThat(str(r.get("failure_reason"))).isEqualTo("expired_or_canceled_card");
        assertThat(str(r.get("reason"))).isEqualTo("EXPIRED_UNCAPTURED_CHARGE");
        assertThat(str(meta(r).get("source_event_type"))).isEqualTo("refund.updated");
    }
}
