package io.syncline.sandbox.payments;

import static io.syncline.sandbox.payments.StripeObjects.metadata;
import static io.syncline.sandbox.payments.StripeObjects.replace;
import static io.syncline.sandbox.payments.StripeObjects.text;
import static io.syncline.sandbox.payments.StripeObjects.tombstone;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.payments.PaymentsEngine.Origin;
import io.syncline.sandbox.payments.PaymentsEngine.Patch;
import io.syncline.sandbox.payments.PaymentsEngine.Result;

/**
 * Invoices and invoice items: drafts collect items, finalizing numbers them, paying charges the customer through a
 * payment intent ({@link Charges}) or records an out-of-band payment, and voiding or deleting ends them.
 */
final class Invoices {

    private final StripeLedger ledger;
    private final StripeStore store;
    private final StripeEvents events;
    private final Charges charges;

    Invoices(StripeLedger ledger, Charges charges) {
        this.ledger = ledger;
        this.store = ledger.store();
        this.events = ledger.events();
        this.charges = charges;
    }

    /** Inputs of a new invoice. */
    record InvoiceInput(String customer, String description, Map<String, String> metadata, boolean autoAdvance,
                        String collectionMethod, Long daysUntilDue, String currency, boolean includePendingItems) {
    }

    ObjectNode create(Origin o, InvoiceInput in) {
        return ledger.write(() -> {
            StripeStore.Entry customer = ledger.require("customer", "customer", in.customer(), "customer", false);
            if ("send_invoice".equals(in.collectionMethod()) && in.daysUntilDue() == null) {
                throw StripeErrors.invalid(null, "Invoices with `collection_method=send_invoice` must have a "
                        + "`days_until_due` or `due_date`.", "days_until_due");
            }
            long now = ledger.now();
            ObjectNode c = customer.object;
            ObjectNode inv = Json.object();
            String id = o.ids().next("in_1", 23);
            inv.put("id", id);
            inv.put("object", "invoice");
            inv.put("account_country", "US");
            inv.put("account_name", "Syncline Sandbox");
            inv.set("account_tax_ids", NullNode.instance);
            inv.put("amount_due", 0);
            inv.put("amount_paid", 0);
            inv.put("amount_remaining", 0);
            inv.put("amount_shipping", 0);
            inv.set("application", NullNode.instance);
            inv.set("application_fee_amount", NullNode.instance);
            inv.put("attempt_count", 0);
            inv.put("attempted", false);
            inv.put("auto_advance", in.autoAdvance());
            ObjectNode tax = inv.putObject("automatic_tax");
            tax.put("enabled", false);
            tax.set("liability", NullNode.instance);
            tax.set("status", NullNode.instance);
            inv.put("billing_reason", "manual");
            inv.set("charge", NullNode.instance);
            inv.put("collection_method", in.collectionMethod());
            inv.put("created", now);
            inv.put("currency", in.currency() != null ? in.currency()
                    : c.path("currency").isTextual() ? c.get("currency").asText() : "usd");
            inv.set("custom_fields", NullNode.instance);
            inv.put("customer", customer.id);
            inv.set("customer_address", c.path("address"));
            inv.set("customer_email", c.path("email"));
            inv.set("customer_name", c.path("name"));
            inv.set("customer_phone", c.path("phone"));
            inv.set("customer_shipping", NullNode.instance);
            inv.put("customer_tax_exempt", c.path("tax_exempt").asText("none"));
            inv.putArray("customer_tax_ids");
            inv.set("default_payment_method", NullNode.instance);
            inv.set("default_source", NullNode.instance);
            inv.putArray("default_tax_rates");
            text(inv, "description", in.description());
            inv.set("discount", NullNode.instance);
            inv.putArray("discounts");
            if (in.daysUntilDue() != null) {
                inv.put("due_date", now + in.daysUntilDue() * 86_400L);
            } else {
                inv.set("due_date", NullNode.instance);
            }
            inv.set("effective_at", NullNode.instance);
            inv.set("ending_balance", NullNode.instance);
            inv.set("footer", NullNode.instance);
            inv.set("hosted_invoice_url", NullNode.instance);
            inv.set("invoice_pdf", NullNode.instance);
            inv.putObject("issuer").put("type", "self");
            inv.set("last_finalization_error", NullNode.instance);
            ObjectNode lines = inv.putObject("lines");
            lines.put("object", "list");
            lines.putArray("data");
            lines.put("has_more", false);
            lines.put("total_count", 0);
            lines.put("url", "/v1/invoices/" + id + "/lines");
            inv.put("livemode", ledger.livemode());
            inv.set("metadata", metadata(in.metadata()));
            inv.set("next_payment_attempt", NullNode.instance);
            inv.set("number", NullNode.instance);
            inv.set("on_behalf_of", NullNode.instance);
            inv.put("paid", false);
            inv.put("paid_out_of_band", false);
            inv.set("payment_intent", NullNode.instance);
            inv.put("period_end", now);
            inv.put("period_start", now);
            inv.put("post_payment_credit_notes_amount", 0);
            inv.put("pre_payment_credit_notes_amount", 0);
            inv.set("receipt_number", NullNode.instance);
            inv.put("starting_balance", 0);
            inv.set("statement_descriptor", NullNode.instance);
            inv.put("status", "draft");
            ObjectNode transitions = inv.putObject("status_transitions");
            transitions.set("finalized_at", NullNode.instance);
            transitions.set("marked_uncollectible_at", NullNode.instance);
            transitions.set("paid_at", NullNode.instance);
            transitions.set("voided_at", NullNode.instance);
            inv.set("subscription", NullNode.instance);
            inv.put("subtotal", 0);
            inv.put("subtotal_excluding_tax", 0);
            inv.set("tax", NullNode.instance);
            inv.set("test_clock", NullNode.instance);
            inv.put("total", 0);
            inv.putArray("total_discount_amounts");
            inv.put("total_excluding_tax", 0);
            inv.putArray("total_tax_amounts");
            inv.set("webhooks_delivered_at", NullNode.instance);
            if (in.includePendingItems()) {
                for (ObjectNode item : store.all("invoiceitem")) {
                    if (item.path("invoice").isNull() && customer.id.equals(item.path("customer").asText())
                            && inv.get("currency").asText().equals(item.path("currency").asText())) {
                        StripeStore.Entry ie = store.find(item.get("id").asText());
                        replace(ie, n -> n.put("invoice", id));
                        addLine(o, inv, ie.object);
                    }
                }
            }
            store.insert("invoice", inv);
            events.emit(o, "invoice.created", inv, null);
            return inv;
        });
    }

    private void addLine(Origin o, ObjectNode invoice, ObjectNode item) {
        ObjectNode line = Json.object();
        line.put("id", o.ids().next("il_1", 23));
        line.put("object", "line_item");
        line.put("amount", item.get("amount").asLong());
        line.put("amount_excluding_tax", item.get("amount").asLong());
        line.put("currency", item.get("currency").asText());
        line.set("description", item.get("description"));
        line.putArray("discount_amounts");
        line.put("discountable", true);
        line.putArray("discounts");
        line.put("invoice", invoice.get("id").asText());
        line.put("invoice_item", item.get("id").asText());
        line.put("livemode", ledger.livemode());
        line.set("metadata", item.get("metadata").deepCopy());
        line.set("period", item.get("period").deepCopy());
        line.set("price", NullNode.instance);
        line.put("proration", false);
        line.put("quantity", item.get("quantity").asLong());
        line.putArray("tax_amounts");
        line.putArray("tax_rates");
        line.put("type", "invoiceitem");
        ObjectNode lines = (ObjectNode) invoice.get("lines");
        ((ArrayNode) lines.get("data")).add(line);
        lines.put("total_count", lines.get("data").size());
        long subtotal = 0;
        for (JsonNode l : lines.get("data")) {
            subtotal += l.get("amount").asLong();
        }
        invoice.put("subtotal", subtotal);
        invoice.put("subtotal_excluding_tax", subtotal);
        invoice.put("total", subtotal);
        invoice.put("total_excluding_tax", subtotal);
        invoice.put("amount_due", subtotal);
        invoice.put("amount_remaining", subtotal - invoice.get("amount_paid").asLong());
    }

    /** Inputs of a new invoice item. */
    record ItemInput(String customer, long amount, long quantity, String currency, String description,
                     String invoice, Map<String, String> metadata) {
    }

    ObjectNode createItem(Origin o, ItemInput in) {
        return ledger.write(() -> {
            StripeStore.Entry customer = ledger.require("customer", "customer", in.customer(), "customer", false);
            StripeStore.Entry invoice = null;
            if (in.invoice() != null) {
                invoice = ledger.require("invoice", "invoice", in.invoice(), "invoice", false);
                if (!"draft".equals(invoice.object.get("status").asText())) {
                    throw StripeErrors.invalid("invoice_not_editable", "Invoice " + in.invoice() + " is no longer "
                            + "editable: only draft invoices can get new items.", "invoice");
                }
                if (!customer.id.equals(invoice.object.get("customer").asText())) {
                    throw StripeErrors.invalid(null, "The invoice " + in.invoice() + " belongs to another customer.",
                            "invoice");
                }
                if (in.currency() != null && !invoice.object.get("currency").asText().equals(in.currency())) {
                    throw StripeErrors.invalid(null, "The currency of the invoice item (" + in.currency() + ") must "
                            + "match the invoice currency (" + invoice.object.get("currency").asText() + ").",
                            "currency");
                }
            }
            String currency = in.currency() != null ? in.currency()
                    : invoice != null ? invoice.object.get("currency").asText()
                    : customer.object.path("currency").isTextual() ? customer.object.get("currency").asText() : "usd";
            long now = ledger.now();
            ObjectNode item = Json.object();
            item.put("id", o.ids().next("ii_1", 23));
            item.put("object", "invoiceitem");
            item.put("amount", in.amount());
            item.put("currency", currency);
            item.put("customer", customer.id);
            item.put("date", now);
            text(item, "description", in.description());
            item.put("discountable", true);
            item.putArray("discounts");
            text(item, "invoice", in.invoice());
            item.put("livemode", ledger.livemode());
            item.set("metadata", metadata(in.metadata()));
            ObjectNode period = item.putObject("period");
            period.put("end", now);
            period.put("start", now);
            item.set("price", NullNode.instance);
            item.put("proration", false);
            item.put("quantity", in.quantity());
            item.set("subscription", NullNode.instance);
            item.putArray("tax_rates");
            item.set("test_clock", NullNode.instance);
            item.put("unit_amount", in.amount() / Math.max(1, in.quantity()));
            item.put("unit_amount_decimal", Long.toString(in.amount() / Math.max(1, in.quantity())));
            store.insert("invoiceitem", item);
            events.emit(o, "invoiceitem.created", item, null);
            if (invoice != null) {
                ObjectNode before = replace(invoice, n -> addLine(o, n, item));
                events.emit(o, "invoice.updated", invoice.object, Json.previousAttributes(before, invoice.object));
            }
            return item;
        });
    }

    ObjectNode update(Origin o, String id, Patch patch) {
        return ledger.write(() -> {
            StripeStore.Entry e = ledger.require("invoice", "invoice", id, "invoice", true);
            String status = e.object.get("status").asText();
            if (status.equals("void") || status.equals("paid") && patch.set().keySet().stream()
                    .anyMatch(k -> !k.equals("description") && !k.equals("footer"))) {
                throw StripeErrors.invalid("invoice_not_editable", "This invoice is no longer editable.", null);
            }
            return events.patched(o, e, patch, "invoice.updated");
        });
    }

    ObjectNode finalizeInvoice(Origin o, String id) {
        return ledger.write(() -> {
            StripeStore.Entry e = ledger.require("invoice", "invoice", id, "invoice", true);
            if (!"draft".equals(e.object.get("status").asText())) {
                throw StripeErrors.invalid("invoice_unexpected_state", "This invoice is already finalized, you can't "
                        + "re-finalize a non-draft invoice.", null);
            }
            finalizeLocked(o, e);
            return e.object;
        });
    }

    private void finalizeLocked(Origin o, StripeStore.Entry e) {
        StripeStore.Entry customer = store.find(e.object.get("customer").asText());
        String prefix = customer.object.path("invoice_prefix").asText("SANDBOX");
        long sequence = customer.object.path("next_invoice_sequence").asLong(1);
        replace(customer, n -> n.put("next_invoice_sequence", sequence + 1));
        long now = ledger.now();
        String token = o.ids().next("test_", 40);
        ObjectNode before = replace(e, n -> {
            n.put("number", prefix + "-" + String.format(Locale.ROOT, "%04d", sequence));
            n.put("status", "open");
            n.put("effective_at", now);
            n.put("ending_balance", 0);
            n.put("hosted_invoice_url", "https://invoice.stripe.com/i/" + ledger.accountId() + "/" + token);
            n.put("invoice_pdf", "https://pay.stripe.com/invoice/" + ledger.accountId() + "/" + token + "/pdf");
            n.withObjectProperty("status_transitions").put("finalized_at", now);
            if ("charge_automatically".equals(n.get("collection_method").asText()) && n.get("auto_advance")
                    .asBoolean()) {
                n.put("next_payment_attempt", now + 3600);
            }
            if (n.get("amount_due").asLong() == 0) {
                n.put("status", "paid");
                n.put("paid", true);
                n.set("next_payment_attempt", NullNode.instance);
                n.withObjectProperty("status_transitions").put("paid_at", now);
            }
        });
        events.emit(o, "invoice.finalized", e.object, null);
        if ("paid".equals(e.object.get("status").asText())) {
            events.emit(o, "invoice.paid", e.object, null);
            events.emit(o, "invoice.payment_succeeded", e.object, null);
        }
        events.emit(o, "invoice.updated", e.object, Json.previousAttributes(before, e.object));
    }

    Result pay(Origin o, String id, Cards.Card card, boolean outOfBand) {
        return ledger.write(() -> {
            StripeStore.Entry e = ledger.require("invoice", "invoice", id, "invoice", true);
            String status = e.object.get("status").asText();
            if (status.equals("paid")) {
                throw StripeErrors.invalid("invoice_payment_intent_requires_action", "Invoice is already paid", null);
            }
            if (status.equals("void") || status.equals("uncollectible") && outOfBand) {
                throw StripeErrors.invalid("invoice_unexpected_state", "This invoice can no longer be paid because "
                        + "it has a status of " + status + ".", null);
            }
            if (status.equals("draft")) {
                finalizeLocked(o, e);
                if ("paid".equals(e.object.get("status").asText())) {
                    return new Result(e.object, null);
                }
            }
            long now = ledger.now();
            if (outOfBand) {
                ObjectNode before = replace(e, n -> {
                    n.put("status", "paid");
                    n.put("paid", true);
                    n.put("paid_out_of_band", true);
                    n.put("amount_paid", n.get("amount_due").asLong());
                    n.put("amount_remaining", 0);
                    n.set("next_payment_attempt", NullNode.instance);
                    n.withObjectProperty("status_transitions").put("paid_at", now);
                });
                events.emit(o, "invoice.paid", e.object, null);
                events.emit(o, "invoice.updated", e.object, Json.previousAttributes(before, e.object));
                return new Result(e.object, null);
            }
            ObjectNode inv = e.object;
            Charges.PaymentInput payment = new Charges.PaymentInput(inv.get("amount_remaining").asLong(),
                    inv.get("currency").asText(), inv.get("customer").asText(), "Payment for Invoice", Map.of(), "pm",
                    card == null ? Cards.VISA : card, true, null);
            Result paid = charges.createIntentLocked(o, payment, id);
            ObjectNode pi = paid.object();
            boolean ok = paid.declineError() == null;
            ObjectNode before = replace(e, n -> {
                n.put("attempt_count", n.get("attempt_count").asInt() + 1);
                n.put("attempted", true);
                n.put("charge", pi.get("latest_charge").asText());
                n.put("payment_intent", pi.get("id").asText());
                if (ok) {
                    n.put("status", "paid");
                    n.put("paid", true);
                    n.put("amount_paid", n.get("amount_due").asLong());
                    n.put("amount_remaining", 0);
                    n.set("next_payment_attempt", NullNode.instance);
                    n.withObjectProperty("status_transitions").put("paid_at", now);
                } else if (n.get("auto_advance").asBoolean()) {
                    n.put("next_payment_attempt", now + 3 * 86_400L);
                }
            });
            if (ok) {
                events.emit(o, "invoice.paid", e.object, null);
                events.emit(o, "invoice.payment_succeeded", e.object, null);
            } else {
                events.emit(o, "invoice.payment_failed", e.object, null);
            }
            events.emit(o, "invoice.updated", e.object, Json.previousAttributes(before, e.object));
            return new Result(e.object, paid.declineError());
        });
    }

    ObjectNode voidInvoice(Origin o, String id) {
        return ledger.write(() -> {
            StripeStore.Entry e = ledger.require("invoice", "invoice", id, "invoice", true);
            String status = e.object.get("status").asText();
            if (!status.equals("open") && !status.equals("uncollectible")) {
                throw StripeErrors.invalid("invoice_unexpected_state", "You can only pass in open or uncollectible "
                        + "invoices. This invoice has a status of " + status + ".", null);
            }
            long now = ledger.now();
            ObjectNode before = replace(e, n -> {
                n.put("status", "void");
                n.set("next_payment_attempt", NullNode.instance);
                n.withObjectProperty("status_transitions").put("voided_at", now);
            });
            events.emit(o, "invoice.voided", e.object, null);
            events.emit(o, "invoice.updated", e.object, Json.previousAttributes(before, e.object));
            return e.object;
        });
    }

    ObjectNode delete(Origin o, String id) {
        return ledger.write(() -> {
            StripeStore.Entry e = ledger.require("invoice", "invoice", id, "invoice", true);
            if (!"draft".equals(e.object.get("status").asText())) {
                throw StripeErrors.invalid("invoice_not_editable", "You can only delete draft invoices. This invoice "
                        + "has a status of " + e.object.get("status").asText() + "; void it instead.", null);
            }
            store.remove(e);
            events.emit(o, "invoice.deleted", e.object, null);
            return tombstone(e.id, "invoice");
        });
    }

    /** The lines of an invoice as a Stripe list, paged by line id. */
    ObjectNode lines(String id, int limit, String startingAfter, String endingBefore) {
        return ledger.read(() -> {
            StripeStore.Entry e = ledger.require("invoice", "invoice", id, "invoice", true);
            List<JsonNode> lines = new ArrayList<>();
            e.object.get("lines").get("data").forEach(lines::add);
            int from = 0;
            int to = lines.size();
            if (startingAfter != null) {
                from = indexOf(lines, startingAfter, "starting_after") + 1;
                to = Math.min(lines.size(), from + limit);
            } else if (endingBefore != null) {
                to = indexOf(lines, endingBefore, "ending_before");
                from = Math.max(0, to - limit);
            } else {
                to = Math.min(lines.size(), limit);
            }
            ObjectNode out = Json.object();
            out.put("object", "list");
            ArrayNode data = out.putArray("data");
            lines.subList(from, to).forEach(data::add);
            out.put("has_more", endingBefore != null ? from > 0 : to < lines.size());
            out.put("total_count", lines.size());
            out.put("url", "/v1/invoices/" + id + "/lines");
            return out;
        });
    }

    private static int indexOf(List<JsonNode> lines, String id, String param) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).get("id").asText().equals(id)) {
                return i;
            }
        }
        throw StripeErrors.noSuch("line item", id, param, false);
    }
}
