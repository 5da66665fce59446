package io.syncline.normalizer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.syncline.normalizer.stream.NormalizerDriver.Canonical;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** mappings/stripe/charge.yaml: Stripe charges (snapshots and charge.* events) → canonical.finance.payment.v1. */
class ChargeMappingTest extends StripeMappingTestSupport {

    private static final String TOPIC = "canonical.finance.payment.v1";

    @Test
    void aSucceededChargeEventWithUnicodeBecomesAPayment() {
        pipe("charge", "succeeded-event-unicode.json", "syncline.event-id", "evt_3PkL2nLkdIwHu7ix0aaa0001",
                "syncline.received-at", "1717171719000", "syncline.trace-id", "4bf92f3577b34da6a3ce929d0e0e4736");

        Canonical c = out(TOPIC).get(0);
        GenericRecord p = c.value();
        assertThat(c.key()).isEqualTo("stripe:ch_3PkL2mLkdIwHu7ix0snN0B15");
        assertThat(str(p.get("id"))).isEqualTo("stripe:ch_3PkL2mLkdIwHu7ix0snN0B15");
        assertThat(amount(p, "amount")).isEqualTo(2599L);
        assertThat(currency(p, "amount")).isEqualTo("EUR");
        assertThat(amount(p, "amount_refunded")).isZero();
        assertThat(str(p.get("status"))).isEqualTo("SUCCEEDED");
        assertThat(str(p.get("source_status"))).isEqualTo("succeeded");
        assertThat(p.get("paid")).isEqualTo(true);
        assertThat(str(p.get("customer_id"))).isEqualTo("stripe:cus_Q1w2E3r4T5y6U7");
        assertThat(str(p.get("payment_intent_id"))).isEqualTo("stripe:pi_3PkL2mLkdIwHu7ix1a2b3c4d");
        assertThat(str(p.get("invoice_id"))).isEqualTo("stripe:in_1PkL2kLkdIwHu7ixAbCdEf12");
        assertThat(str(p.get("card_brand"))).isEqualTo("visa");
        assertThat(str(p.get("card_last4"))).isEqualTo("4242");
        assertThat(str(p.get("payment_method_type"))).isEqualTo("card");
        assertThat(str(p.get("description"))).isEqualTo("Order #1042 — Kaffeemühle ☕");
        assertThat(str(p.get("billing_name"))).isEqualTo("Jürgen Groß");
        assertThat(str(p.get("billing_email"))).isEqualTo("jürgen.groß@example.de");
        GenericRecord address = rec(p.get("billing_address"));
        assertThat(str(address.get("city"))).isEqualTo("München");
        assertThat(str(address.get("line1"))).isEqualTo("Leopoldstraße 12");
        assertThat(str(address.get("region"))).isEqualTo("BY");
        assertThat(str(address.get("country"))).isEqualTo("DE");
        assertThat(p.get("created_at")).isEqualTo(1_717_171_717_000L);
        assertThat(p.get("updated_at")).isEqualTo(1_717_171_718_000L);
        assertThat(strings(p.get("properties"))).isEqualTo(Map.of("order_id", "1042", "channel", "web"));
        GenericRecord m = meta(p);
        assertThat(str(m.get("source_system"))).isEqualTo("stripe");
        assertThat(str(m.get("source_object_type"))).isEqualTo("charge");
        assertThat(str(m.get("source_id"))).isEqualTo("ch_3PkL2mLkdIwHu7ix0snN0B15");
        assertThat(str(m.get("operation"))).isEqualTo("UPSERT");
        assertThat(m.get("source_updated_at")).isEqualTo(1_717_171_718_000L);
        assertThat(str(m.get("event_id"))).isEqualTo("evt_3PkL2nLkdIwHu7ix0aaa0001");
        assertThat(str(m.get("source_event_type"))).isEqualTo("charge.succeeded");
        assertThat(str(m.get("trace_id"))).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void aBackfillSnapshotIsAsOfWhenItWasReceived() {
        pipe("charge", "backfill-snapshot.json", "syncline.event-id", "ch_3Backfill0001@1717180000000",
                "syncline.received-at", "1717180000000");

        GenericRecord p = out(TOPIC).get(0).value();
        assertThat(meta(p).get("source_updated_at")).isEqualTo(1_717_180_000_000L);
        assertThat(str(meta(p).get("event_id"))).isEqualTo("ch_3Backfill0001@1717180000000");
        assertThat(meta(p).get("source_event_type")).isNull();
        assertThat(p.get("updated_at")).isNull();
        assertThat((Map<?, ?>) p.get("properties")).isEmpty();
    }

    @Test
    void zeroDecimalCurrenciesKeepTheirUnit() {
        pipe("charge", "zero-decimal-jpy.json");

        GenericRecord p = out(TOPIC).get(0).value();
        assertThat(amount(p, "amount")).isEqualTo(5000L);
        assertThat(currency(p, "amount")).isEqualTo("JPY");
        assertThat(str(p.get("billing_name"))).isEqualTo("山田 花子");
        assertThat(str(rec(p.get("billing_address")).get("city"))).isEqualTo("東京");
    }

    @Test
    void veryLargeAmountsAreKeptExactly() {
        pipe("charge", "very-large-amount.json");

        assertThat(amount(out(TOPIC).get(0).value(), "amount")).isEqualTo(99_999_999_999_999L);
    }

    @Test
    void nullsStayNullAndAFailedChargeKeepsItsReason() {
        pipe("charge", "nulls.json");

        GenericRecord p = out(TOPIC).get(0).value();
        assertThat(str(p.get("status"))).isEqualTo("FAILED");
        assertThat(str(p.get("failure_code"))).isEqualTo("card_declined");
        assertThat(p.get("customer_id")).isNull();
        assertThat(p.get("payment_intent_id")).isNull();
        assertThat(p.get("invoice_id")).isNull();
        assertThat(p.get("description")).isNull();
        assertThat(p.get("billing_email")).isNull();
        assertThat(p.get("card_brand")).isNull();
        assertThat(p.get("payment_method_type")).isNull();
        assertThat(amount(p, "amount_captured")).isZero();
    }

    @Test
    void aPartiallyRefundedChargeShowsTheRefundedAmountButIsNotRefunded() {
        pipe("charge", "succeeded-event-unicode.json");
        pipe("charge", "partially-refunded.json");

        var out = out(TOPIC);
        assertThat(out).hasSize(2);
        GenericRecord p = out.get(1).value();
        assertThat(amount(p, "amount_refunded")).isEqualTo(1000L);
        assertThat(p.get("refunded")).isEqualTo(false);
        assertThat(str(meta(p).get("source_event_type"))).isEqualTo("charge.refunded");
    }

    @Test
    void anExpandedCustomerObjectStillGivesTheCustomerReference() {
        pipe("charge", "expanded-customer.json");

        assertThat(str(out(TOPIC).get(0).value().get("customer_id"))).isEqualTo("stripe:cus_Q1w2E3r4T5y6U7");
    }

    @Test
    void aStatusThisVersionDoesNotKnowIsUnknownWithTheSourceStatusKept() {
        pipe("charge", "unknown-status.json");

        GenericRecord p = out(TOPIC).get(0).value();
        assertThat(str(p.get("status"))).isEqualTo("UNKNOWN");
        assertThat(str(p.get("source_status"))).isEqualTo("on_hold");
    }

    @Test
    void anInvalidCurrencyIsDeadLetteredNamingTheMappingFile() {
        pipe("charge", "bad-currency.json");

        assertThat(out(TOPIC)).isEmpty();
        assertThat(driver.deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.headers().get("syncline.mapping.file")).endsWith("mappings/stripe/charge.yaml");
            assertThat(d.headers().get("syncline.error.message")).isEqualTo(
                    "currency: text \"euro\" is not an ISO-4217 currency code");
        });
    }

    /** What checks: in charge.yaml refuse, each named in the dead letter; the case's name says what is wrong. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> implausibleCharges() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("created 9e15 seconds: 285 million years ahead",
                        (java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode>)
                                o -> o.put("created", 9_000_000_000_000_000L),
                        "checks.created_at: +285200616-07-24T16:00:00Z is more than P1D after the received-at time"),
                org.junit.jupiter.params.provider.Arguments.of("no amount",
                        (java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode>)
                                o -> o.remove("amount"),
                        "checks.amount: required, but the mapping produced no value"),
                org.junit.jupiter.params.provider.Arguments.of("a negative amount",
                        (java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode>)
                                o -> o.put("amount", -2599),
                        "checks.amount.amount: -2599 is below the minimum 0"),
                org.junit.jupiter.params.provider.Arguments.of("created before Stripe existed",
                        (java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode>)
                                o -> o.put("created", 86_400),
                        "checks.created_at: 1970-01-02T00:00:00Z is more than P7300D before the received-at"
                                + " time 2024-05-31T16:10:00Z"));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("implausibleCharges")
    void aChargeWhoseValuesBreakTheMappingsChecksIsDeadLetteredWithTheCheckNamed(String scenario,
            java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> edit, String message) {
        pipeJson("charge", edited("charge/succeeded-event-unicode.json", edit));

        assertThat(out(TOPIC)).as(scenario).isEmpty();
        assertThat(driver.deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.headers()).containsEntry("syncline.error.reason", "check")
                    .containsEntry("syncline.mapping.file", "mappings/stripe/charge.yaml");
            assertThat(d.headers().get("syncline.error.message")).startsWith(message);
        });
    }

    @Test
    void anEventDatedFarAheadOfItsReceiptCannotPinTheNewestVersionGuard() {
        String future = fixture("charge/succeeded-event-unicode.json").replace("\"created\":1717171718",
                "\"created\":1817171718");
        pipeJson("charge", future);
        pipe("charge", "succeeded-event-unicode.json");

        assertThat(driver.deadLetters()).singleElement().satisfies(d -> assertThat(d.headers()
                .get("syncline.error.message")).startsWith("checks.updated-at: 2027-"));
        assertThat(out(TOPIC)).as("the genuine event is not stale behind the implausible one").hasSize(1);
    }
}
