package io.syncline.sandbox.payments;

import static io.syncline.sandbox.payments.StripeObjects.metadata;
import static io.syncline.sandbox.payments.StripeObjects.replace;
import static io.syncline.sandbox.payments.StripeObjects.text;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.payments.PaymentsEngine.Origin;
import io.syncline.sandbox.payments.PaymentsEngine.Patch;
import io.syncline.sandbox.payments.PaymentsEngine.Result;

/**
 * Charges and the payment intents that create them: a confirmation charges the intent's card through the test-card
 * table ({@link Cards}), and a decline answers with Stripe's card error (HTTP 402) while the objects and events stay.
 */
final class Charges {

    private final StripeLedger ledger;
    private final StripeStore store;
    private final StripeEvents events;
    /** The card each payment intent was last given, to confirm it with later. */
    private final Map<String, Cards.Card> intentCards = new HashMap<>();

    Charges(StripeLedger ledger) {
        this.ledger = ledger;
        this.store = ledger.store();
        this.events = ledger.events();
    }

    /** Inputs of a payment, from the API or the generator. */
    record PaymentInput(long amount, String currency, String customer, String description, Map<String, String> metadata,
                        String paymentMethod, Cards.Card card, boolean confirm, String receiptEmail) {
    }

    private ObjectNode newCharge(Origin o, long amount, String currency, StripeStore.Entry customer, String intentId,
                                 String invoiceId, Cards.Card card, String paymentMethodId, String description,
                                 Map<String, String> metadata, String receiptEmail) {
        boolean ok = card.succeeds();
        ObjectNode ch = Json.object();
        String id = o.ids().next("ch_3", 23);
        ch.put("id", id);
        ch.put("object", "charge");
        ch.put("amount", amount);
        ch.put("amount_captured", ok ? amount : 0);
        ch.put("amount_refunded", 0);
        ch.set("application", NullNode.instance);
        ch.set("application_fee", NullNode.instance);
        ch.set("application_fee_amount", NullNode.instance);
        if (ok) {
            ch.put("balance_transaction", o.ids().next("txn_3", 23));
        } else {
            ch.set("balance_transaction", NullNode.instance);
        }
        ObjectNode billing = ch.putObject("billing_details");
        ObjectNode address = billing.putObject("address");
        JsonNode custAddress = customer == null ? NullNode.instance : customer.object.path("address");
        for (String f : List.of("city", "country", "line1", "line2", "postal_code", "state")) {
            JsonNode v = custAddress.path(f);
            address.set(f, v.isMissingNode() ? NullNode.instance : v);
        }
        billing.set("email", customer == null ? NullNode.instance : customer.object.path("email"));
        billing.set("name", customer == null ? NullNode.instance : customer.object.path("name"));
        billing.set("phone", NullNode.instance);
        ch.put("calculated_statement_descriptor", "SYNCLINE SANDBOX");
        ch.put("captured", ok);
        ch.put("created", ledger.now());
        ch.put("currency", currency);
        text(ch, "customer", customer == null ? null : customer.id);
        text(ch, "description", description);
        ch.set("destination", NullNode.instance);
        ch.set("dispute", NullNode.instance);
        ch.put("disputed", false);
        ch.set("failure_balance_transaction", NullNode.instance);
        text(ch, "failure_code", card.failureCode());
        text(ch, "failure_message", card.message());
        ch.putObject("fraud_details");
        text(ch, "invoice", invoiceId);
        ch.put("livemode", ledger.livemode());
        ch.set("metadata", metadata(metadata));
        ch.set("on_behalf_of", NullNode.instance);
        ObjectNode outcome = ch.putObject("outcome");
        outcome.put("network_status", ok ? "approved_by_network" : "declined_by_network");
        text(outcome, "reason", ok ? null : card.declineCode());
        outcome.put("risk_level", "normal");
        outcome.put("risk_score", o.ids().nextInt(65));
        outcome.put("seller_message", ok ? "Payment complete."
                : "The bank did not return any further details with this decline.");
        outcome.put("type", ok ? "authorized" : "issuer_declined");
        ch.put("paid", ok);
        text(ch, "payment_intent", intentId);
        ch.put("payment_method", paymentMethodId);
        ObjectNode details = ch.putObject("payment_method_details");
        ObjectNode cardDetails = details.putObject("card");
        cardDetails.put("amount_authorized", ok ? amount : 0);
        cardDetails.put("brand", card.brand());
        ObjectNode checks = cardDetails.putObject("checks");
        checks.set("address_line1_check", NullNode.instance);
        checks.set("address_postal_code_check", NullNode.instance);
        checks.put("cvc_check", "incorrect_cvc".equals(card.failureCode()) ? "fail" : "pass");
        cardDetails.put("country", "US");
        cardDetails.put("exp_month", 1 + o.ids().nextInt(12));
        cardDetails.put("exp_year", 2027 + o.ids().nextInt(5));
        cardDetails.put("fingerprint", o.ids().next("", 16));
        cardDetails.put("funding", card.funding());
        cardDetails.put("last4", card.last4());
        cardDetails.put("network", card.brand());
        cardDetails.set("three_d_secure", NullNode.instance);
        cardDetails.set("wallet", NullNode.instance);
        details.put("type", "card");
        ch.putObject("radar_options");
        text(ch, "receipt_email", receiptEmail);
        ch.set("receipt_number", NullNode.instance);
        ch.put("receipt_url", "https://pay.stripe.com/receipts/payment/" + o.ids().next("", 48));
        ch.put("refunded", false);
        ch.set("review", NullNode.instance);
        ch.set("shipping", NullNode.instance);
        ch.set("source", NullNode.instance);
        ch.set("source_transfer", NullNode.instance);
        ch.set("statement_descriptor", NullNode.instance);
        ch.set("statement_descriptor_suffix", NullNode.instance);
        ch.put("status", ok ? "succeeded" : "failed");
        ch.set("transfer_data", NullNode.instance);
        ch.set("transfer_group", NullNode.instance);
        return ch;
    }

    private ObjectNode paymentMethodObject(Origin o, String pmId, Cards.Card card, String customer) {
        ObjectNode pm = Json.object();
        pm.put("id", pmId);
        pm.put("object", "payment_method");
        ObjectNode c = pm.putObject("card");
        c.put("brand", card.brand());
        c.put("country", "US");
        c.put("funding", card.funding());
        c.put("last4", card.last4());
        pm.put("created", ledger.now());
        text(pm, "customer", customer);
        pm.put("livemode", ledger.livemode());
        pm.putObject("metadata");
        pm.put("type", "card");
        return pm;
    }

    private ObjectNode declineError(Origin o, ObjectNode charge, ObjectNode intent, Cards.Card card, String pmId) {
        ObjectNode err = Json.object();
        text(err, "charge", charge.get("id").asText());
        err.put("code", card.failureCode());
        text(err, "decline_code", card.declineCode());
        err.put("doc_url", "https://stripe.com/docs/error-codes/" + card.failureCode().replace('_', '-'));
        err.put("message", card.message());
        if (intent != null) {
            err.set("payment_intent", intent);
        }
        err.set("payment_method", paymentMethodObject(o, pmId, card, intent == null ? null
                : intent.path("customer").isNull() ? null : intent.path("customer").asText()));
        err.put("request_log_url", "https://dashboard.stripe.com/test/logs/" + o.requestId());
        err.put("type", StripeErrors.CARD_ERROR);
        ObjectNode root = Json.object();
        root.set("error", err);
        return root;
    }

    private StripeStore.Entry optionalCustomer(String id, String param) {
        return id == null ? null : ledger.require("customer", "customer", id, param, false);
    }

    Result createPaymentIntent(Origin o, PaymentInput in) {
        return ledger.write(() -> createIntentLocked(o, in, null));
    }

    /** Creates (and, when asked, confirms) a payment intent; the caller holds the lock (an invoice payment). */
    Result createIntentLocked(Origin o, PaymentInput in, String invoiceId) {
        StripeStore.Entry customer = optionalCustomer(in.customer(), "customer");
        if (in.confirm() && in.card() == null) {
            throw StripeErrors.invalid("payment_intent_unexpected_state", "You cannot confirm this PaymentIntent "
                    + "because it's missing a payment method. To confirm the PaymentIntent with " + "a payment "
                    + "method, pass payment_method.", "payment_method");
        }
        ObjectNode pi = Json.object();
        String id = o.ids().next("pi_3", 23);
        pi.put("id", id);
        pi.put("object", "payment_intent");
        pi.put("amount", in.amount());
        pi.put("amount_capturable", 0);
        pi.putObject("amount_details").putObject("tip");
        pi.put("amount_received", 0);
        pi.set("application", NullNode.instance);
        pi.set("application_fee_amount", NullNode.instance);
        pi.set("automatic_payment_methods", NullNode.instance);
        pi.set("canceled_at", NullNode.instance);
        pi.set("cancellation_reason", NullNode.instance);
        pi.put("capture_method", "automatic");
        pi.put("client_secret", id + "_secret_" + o.ids().next("", 25));
        pi.put("confirmation_method", "automatic");
        pi.put("created", ledger.now());
        pi.put("currency", in.currency());
        text(pi, "customer", customer == null ? null : customer.id);
        text(pi, "description", in.description());
        text(pi, "invoice", invoiceId);
        pi.set("last_payment_error", NullNode.instance);
        pi.set("latest_charge", NullNode.instance);
        pi.put("livemode", ledger.livemode());
        pi.set("metadata", metadata(in.metadata()));
        pi.set("next_action", NullNode.instance);
        pi.set("on_behalf_of", NullNode.instance);
        if (in.card() != null) {
            pi.put("payment_method", o.ids().next("pm_1", 23));
            intentCards.put(id, in.card());
        } else {
            pi.set("payment_method", NullNode.instance);
        }
        pi.set("payment_method_configuration_details", NullNode.instance);
        ObjectNode options = pi.putObject("payment_method_options").putObject("card");
        options.set("installments", NullNode.instance);
        options.set("mandate_options", NullNode.instance);
        options.set("network", NullNode.instance);
        options.put("request_three_d_secure", "automatic");
        pi.putArray("payment_method_types").add("card");
        pi.set("processing", NullNode.instance);
        text(pi, "receipt_email", in.receiptEmail());
        pi.set("review", NullNode.instance);
        pi.set("setup_future_usage", NullNode.instance);
        pi.set("shipping", NullNode.instance);
        pi.set("source", NullNode.instance);
        pi.set("statement_descriptor", NullNode.instance);
        pi.set("statement_descriptor_suffix", NullNode.instance);
        pi.put("status", in.card() == null ? "requires_payment_method" : "requires_confirmation");
        pi.set("transfer_data", NullNode.instance);
        pi.set("transfer_group", NullNode.instance);
        StripeStore.Entry entry = store.insert("payment_intent", pi);
        events.emit(o, "payment_intent.created", pi, null);
        if (in.confirm()) {
            return confirmLocked(o, entry, in.card(), in.receiptEmail());
        }
        return new Result(entry.object, null);
    }

    Result confirmPaymentIntent(Origin o, String id, Cards.Card card, String receiptEmail) {
        return ledger.write(() -> {
            StripeStore.Entry e = ledger.require("payment_intent", "payment_intent", id, "intent", true);
            String status = e.object.get("status").asText();
            if (!status.equals("requires_payment_method") && !status.equals("requires_confirmation")) {
                throw StripeErrors.invalid("payment_intent_unexpected_state", "You cannot confirm this "
                        + "PaymentIntent because it has a status of " + status + ".", null);
            }
            Cards.Card use = card != null ? card
                    : status.equals("requires_confirmation") ? intentCards.get(id) : null;
            if (use == null) {
                throw StripeErrors.invalid("payment_intent_unexpected_state", "You cannot confirm this "
                        + "PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with "
                        + "a payment method, pass payment_method.", "payment_method");
            }
            return confirmLocked(o, e, use, receiptEmail);
        });
    }

    private Result confirmLocked(Origin o, StripeStore.Entry intent, Cards.Card card, String receiptEmail) {
        ObjectNode pi = intent.object;
        String pmId = card.equals(intentCards.get(intent.id)) && pi.path("payment_method").isTextual()
                ? pi.get("payment_method").asText() : o.ids().next("pm_1", 23);
        intentCards.put(intent.id, card);
        StripeStore.Entry customer = pi.path("customer").isTextual() ? store.find(pi.get("customer").asText()) : null;
        String email = receiptEmail != null ? receiptEmail
                : pi.path("receipt_email").isTextual() ? pi.get("receipt_email").asText() : null;
        Map<String, String> meta = new LinkedHashMap<>();
        pi.path("metadata").fields().forEachRemaining(f -> meta.put(f.getKey(), f.getValue().asText()));
        ObjectNode charge = newCharge(o, pi.get("amount").asLong(), pi.get("currency").asText(), customer, intent.id,
                pi.path("invoice").isTextual() ? pi.get("invoice").asText() : null, card, pmId,
                pi.path("description").isTextual() ? pi.get("description").asText() : null, meta, email);
        store.insert("charge", charge);
        if (card.succeeds()) {
            replace(intent, n -> {
                n.put("amount_received", n.get("amount").asLong());
                n.put("latest_charge", charge.get("id").asText());
                n.put("payment_method", pmId);
                n.set("last_payment_error", NullNode.instance);
                text(n, "receipt_email", email);
                n.put("status", "succeeded");
            });
            events.emit(o, "charge.succeeded", charge, null);
            events.emit(o, "payment_intent.succeeded", intent.object, null);
            return new Result(intent.object, null);
        }
        ObjectNode lastError = declineError(o, charge, null, card, pmId).get("error").deepCopy();
        lastError.remove("request_log_url");
        replace(intent, n -> {
            n.put("latest_charge", charge.get("id").asText());
            n.set("payment_method", NullNode.instance);
            n.set("last_payment_error", lastError);
            n.put("status", "requires_payment_method");
        });
        events.emit(o, "charge.failed", charge, null);
        events.emit(o, "payment_intent.payment_failed", intent.object, null);
        return new Result(intent.object, declineError(o, charge, intent.object, card, pmId));
    }

    ObjectNode cancelPaymentIntent(Origin o, String id, String reason) {
        return ledger.write(() -> {
            StripeStore.Entry e = ledger.require("payment_intent", "payment_intent", id, "intent", true);
            String status = e.object.get("status").asText();
            if (status.equals("succeeded") || status.equals("canceled")) {
                throw StripeErrors.invalid("payment_intent_unexpected_state", "You cannot cancel this PaymentIntent "
                        + "because it has a status of " + status + ". Only a PaymentIntent with one of the following "
                        + "statuses may be canceled: requires_payment_method, requires_capture, "
                        + "requires_confirmation, requires_action, processing.", null);
            }
            replace(e, n -> {
                n.put("canceled_at", ledger.now());
                text(n, "cancellation_reason", reason);
                n.put("status", "canceled");
            });
            events.emit(o, "payment_intent.canceled", e.object, null);
            return e.object;
        });
    }

    /** A charge made directly (the legacy Charges API) with a test token or the customer's default card. */
    Result create(Origin o, PaymentInput in) {
        return ledger.write(() -> {
            StripeStore.Entry customer = optionalCustomer(in.customer(), "customer");
            Cards.Card card = in.card() != null ? in.card() : Cards.VISA;
            String pmId = o.ids().next("card_1", 23);
            ObjectNode charge = newCharge(o, in.amount(), in.currency(), customer, null, null, card, pmId,
                    in.description(), in.metadata(), in.receiptEmail());
            store.insert("charge", charge);
            if (card.succeeds()) {
                events.emit(o, "charge.succeeded", charge, null);
                return new Result(charge, null);
            }
            events.emit(o, "charge.failed", charge, null);
            return new Result(charge, declineError(o, charge, null, card, pmId));
        });
    }

    ObjectNode update(Origin o, String id, Patch patch) {
        return ledger.write(() -> {
            StripeStore.Entry e = ledger.require("charge", "charge", id, "id", true);
            return events.patched(o, e, patch, "charge.updated");
        });
    }
}
