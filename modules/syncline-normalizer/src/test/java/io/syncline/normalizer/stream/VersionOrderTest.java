package io.syncline.normalizer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Versions of one Stripe object made in the same second (Stripe's {@code created} has one-second resolution) arrive
 * in either order; the shipped mappings' {@code version:} ranks decide which is newer, so the canonical topic ends on
 * the same state whichever arrives last.
 */
class VersionOrderTest extends StripeMappingTestSupport {

    private static final long T = 1_717_000_000L;
    private int events;

    private void intent(String type, String status) {
        events++;
        pipeJson("payment_intent", "{\"id\":\"evt_" + events + "\",\"object\":\"event\","
                + "\"type\":\"" + type + "\",\"created\":" + T + ",\"data\":{\"object\":{\"id\":\"pi_1\",\"object\":"
                + "\"payment_intent\",\"amount\":1000,\"currency\":\"usd\",\"status\":\"" + status + "\",\"created\":"
                + T + ",\"metadata\":{}}}}");
    }

    /** A charge event; {@code previousRefunded} >= 0 adds previous_attributes.amount_refunded (a reverted refund). */
    private void charge(String type, long refunded, long previousRefunded, String note) {
        events++;
        pipeJson("charge", "{\"id\":\"evt_" + events + "\",\"object\":\"event\",\"type\":\""
                + type + "\",\"created\":" + T + ",\"data\":{\"object\":{\"id\":\"ch_1\",\"object\":\"charge\","
                + "\"amount\":1000,\"amount_captured\":1000,\"amount_refunded\":" + refunded + ",\"currency\":\"usd\","
                + "\"status\":\"succeeded\",\"created\":" + T + ",\"metadata\":{\"note\":\"" + note + "\"}}"
                + (previousRefunded >= 0 ? ",\"previous_attributes\":{\"amount_refunded\":" + previousRefunded + "}"
                : "") + "}}");
    }

    private GenericRecord last() {
        List<NormalizerDriver.Canonical> out = out("canonical.finance.payment.v1");
        assertThat(out).isNotEmpty();
        return out.get(out.size() - 1).value();
    }

    @ParameterizedTest(name = "{0} then {2}")
    @CsvSource({
        "payment_intent.created, requires_confirmation, payment_intent.succeeded, succeeded",
        "payment_intent.succeeded, succeeded, payment_intent.created, requires_confirmation",
        "payment_intent.payment_failed, requires_payment_method, payment_intent.succeeded, succeeded",
        "payment_intent.succeeded, succeeded, payment_intent.payment_failed, requires_payment_method"})
    void aPaymentIntentEndsSucceededWhicheverEventOfTheSecondComesLast(String first, String firstStatus,
            String second, String secondStatus) {
        intent(first, firstStatus);
        intent(second, secondStatus);

        GenericRecord last = last();
        assertThat(str(last.get("status"))).isEqualTo("SUCCEEDED");
        assertThat(str(last.get("source_status"))).isEqualTo("succeeded");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "created then refunded, charge.succeeded, 0, -1, charge.refunded, 400, -1, 400",
        "refunded then created, charge.refunded, 400, -1, charge.succeeded, 0, -1, 400",
        "two refunds in either order, charge.refunded, 700, -1, charge.refunded, 400, -1, 700",
        "refund then its reversal, charge.refunded, 400, -1, charge.updated, 0, 400, 0",
        "reversal then its refund, charge.updated, 0, 400, charge.refunded, 400, -1, 0",
        "annotation then refund, charge.updated, 0, -1, charge.refunded, 400, -1, 400",
        "refund then annotation, charge.refunded, 400, -1, charge.updated, 0, -1, 400"})
    void aChargeEndsOnItsNewestRefundedAmountWhicheverEventOfTheSecondComesLast(String name, String firstType,
            long firstRefunded, long firstPrevious, String secondType, long secondRefunded, long secondPrevious,
            long expected) {
        charge(firstType, firstRefunded, firstPrevious, "first");
        charge(secondType, secondRefunded, secondPrevious, "second");

        assertThat(amount(last(), "amount_refunded")).isEqualTo(expected);
        assertThat(driver.metrics().total("syncline.normalizer.version.ties")).isZero();
    }

    @org.junit.jupiter.api.Test
    void aFullTieIsEmittedAndCountedSoTheLaterArrivalWins() {
        charge("charge.updated", 0, -1, "first");
        charge("charge.updated", 0, -1, "second"); // same second, same rank, same amount: nothing orders them

        assertThat(out("canonical.finance.payment.v1")).hasSize(2);
        assertThat(driver.metrics().count("syncline.normalizer.version.ties", "stripe/charge")).isEqualTo(1);
        assertThat(driver.metrics().count("syncline.normalizer.dropped.stale", "stripe/charge")).isZero();
    }
}
