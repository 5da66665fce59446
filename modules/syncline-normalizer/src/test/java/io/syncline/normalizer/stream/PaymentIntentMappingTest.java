package io.syncline.normalizer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** mappings/stripe/payment_intent.yaml: Stripe payment intents → canonical.finance.payment.v1. */
class PaymentIntentMappingTest extends StripeMappingTestSupport {

    private static final String TOPIC = "canonical.finance.payment.v1";

    @Test
    void aNewIntentWaitsForAPaymentMethod() {
        pipe("payment_intent", "created-requires-payment-method.json");

        GenericRecord p = out(TOPIC).get(0).value();
        assertThat(str(p.get("id"))).isEqualTo("stripe:pi_3PkL2mLkdIwHu7ix1a2b3c4d");
        assertThat(str(p.get("payment_intent_id"))).isEqualTo("stripe:pi_3PkL2mLkdIwHu7ix1a2b3c4d");
        assertThat(str(p.get("status"))).isEqualTo("REQUIRES_ACTION");
        assertThat(str(p.get("source_status"))).isEqualTo("requires_payment_method");
        assertThat(amount(p, "amount_captured")).isZero();
        assertThat(str(meta(p).get("source_object_type"))).isEqualTo("payment_intent");
    }

    @Test
    void aFailedAttemptCarriesTheLastPaymentError() {
        pipe("payment_intent", "failed-with-error.json");

        GenericRecord p = out(TOPIC).get(0).value();
        assertThat(str(p.get("failure_code"))).isEqualTo("card_declined");
        assertThat(str(p.get("failure_message"))).isEqualTo("Your card has insufficient funds.");
    }

    @Test
    void aSucceededIntentHasReceivedTheWholeAmount() {
        pipe("payment_intent", "created-requires-payment-method.json");
        pipe("payment_intent", "succeeded.json");

        GenericRecord p = out(TOPIC).get(1).value();
        assertThat(str(p.get("status"))).isEqualTo("SUCCEEDED");
        assertThat(amount(p, "amount_captured")).isEqualTo(2599L);
        assertThat(str(p.get("description"))).isEqualTo("Order #1042 — Kaffeemühle ☕");
    }
}
