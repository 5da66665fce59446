package io.syncline.sandbox.payments;

import static io.syncline.sandbox.payments.StripeObjects.metadata;
import static io.syncline.sandbox.payments.StripeObjects.replace;
import static io.syncline.sandbox.payments.StripeObjects.text;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.payments.PaymentsEngine.Origin;

/** Refunds of a charge (or of a payment intent's charge), pending ones settled later to succeeded or failed. */
final class Refunds {

    private final StripeLedger ledger;
    private final StripeStore store;
    private final StripeEvents events;

    Refunds(StripeLedger ledger) {
        this.ledger = ledger;
        this.store = ledger.store();
        this.events = ledger.events();
    }

    ObjectNode create(Origin o, String chargeId, String intentId, Long amount, String reason,
                            Map<String, String> metadata, boolean pending) {
        return ledger.write(() -> {
            StripeStore.Entry charge;
            if (chargeId != null) {
                charge = ledger.require("charge", "charge", chargeId, "charge", false);
                if (intentId != null && !intentId.equals(charge.object.path("payment_intent").asText())) {
                    throw StripeErrors.invalid(null, "The charge " + chargeId + " does not belong to the "
                            + "PaymentIntent " + intentId + ".", "charge");
                }
            } else if (intentId != null) {
                StripeStore.Entry pi = ledger.require("payment_intent", "payment_intent", intentId, "payment_intent",
                        false);
                JsonNode latest = pi.object.path("latest_charge");
                if (!latest.isTextual() || !"succeeded".equals(pi.object.path("status").asText())) {
                    throw StripeErrors.invalid(null, "This PaymentIntent (" + intentId + ") does not have a "
                            + "successful charge to refund.", "payment_intent");
                }
                charge = ledger.require("charge", "charge", latest.asText(), "payment_intent", false);
            } else {
                throw StripeErrors.invalid(null, "One of the following params should be provided for this request: "
                        + "payment_intent or charge.", null);
            }
            ObjectNode ch = charge.object;
            if (!"succeeded".equals(ch.path("status").asText())) {
                throw StripeErrors.invalid(null, "This charge " + charge.id + " cannot be refunded because it has "
                        + "not succeeded.", "charge");
            }
            long remaining = ch.get("amount_captured").asLong() - ch.get("amount_refunded").asLong();
            if (remaining <= 0) {
                throw StripeErrors.invalid("charge_already_refunded", "Charge " + charge.id
                        + " has already been refunded.", "charge");
            }
            long refundAmount = amount == null ? remaining : amount;
            if (refundAmount > remaining) {
                throw StripeErrors.invalid("amount_too_large", "Refund amount (" + refundAmount + ") is greater than "
                        + "unrefunded amount on charge (" + remaining + ")", "amount");
            }
            ObjectNode re = Json.object();
            re.put("id", o.ids().next("re_3", 23));
            re.put("object", "refund");
            re.put("amount", refundAmount);
            re.put("balance_transaction", o.ids().next("txn_3", 23));
            re.put("charge", charge.id);
            re.put("created", ledger.now());
            re.put("currency", ch.get("currency").asText());
            ObjectNode dest = re.putObject("destination_details");
            ObjectNode card = dest.putObject("card");
            card.put("reference_status", pending ? "pending" : "available");
            card.put("reference_type", "acquirer_reference_number");
            card.put("type", "refund");
            dest.put("type", "card");
            re.set("metadata", metadata(metadata));
            re.set("payment_intent", ch.get("payment_intent"));
            text(re, "reason", reason);
            re.set("receipt_number", NullNode.instance);
            re.set("source_transfer_reversal", NullNode.instance);
            re.put("status", pending ? "pending" : "succeeded");
            re.set("transfer_reversal", NullNode.instance);
            store.insert("refund", re);
            replace(charge, n -> {
                long refunded = n.get("amount_refunded").asLong() + refundAmount;
                n.put("amount_refunded", refunded);
                n.put("refunded", refunded == n.get("amount_captured").asLong());
            });
            events.emit(o, "charge.refunded", charge.object, null);
            events.emit(o, "refund.created", re, null);
            return re;
        });
    }

    /** Moves a pending refund to {@code succeeded} or {@code failed}, emitting {@code refund.updated}. */
    ObjectNode settle(Origin o, String id, boolean succeeded) {
        return ledger.write(() -> {
            StripeStore.Entry e = ledger.require("refund", "refund", id, "id", true);
            if (!"pending".equals(e.object.path("status").asText())) {
                return e.object;
            }
            ObjectNode before = replace(e, n -> {
                n.put("status", succeeded ? "succeeded" : "failed");
                if (!succeeded) {
                    n.put("failure_reason", "expired_or_canceled_card");
                }
                n.withObjectProperty("destination_details").withObjectProperty("card")
                        .put("reference_status", "available");
            });
            events.emit(o, "refund.updated", e.object, Json.previousAttributes(before, e.object));
            if (!succeeded) {
                StripeStore.Entry charge = store.find("charge", e.object.get("charge").asText());
                if (charge != null) {
                    long amt = e.object.get("amount").asLong();
                    ObjectNode cb = replace(charge, n -> {
                        n.put("amount_refunded", n.get("amount_refunded").asLong() - amt);
                        n.put("refunded", false);
                    });
                    events.emit(o, "charge.updated", charge.object, Json.previousAttributes(cb, charge.object));
                }
            }
            return e.object;
        });
    }
}
