package io.syncline.sandbox.payments;

import static io.syncline.sandbox.payments.StripeObjects.applyPatch;
import static io.syncline.sandbox.payments.StripeObjects.tombstone;

import java.util.Locale;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.payments.PaymentsEngine.Origin;
import io.syncline.sandbox.payments.PaymentsEngine.Patch;

/** Customers: create, update (emitting only what changed) and delete, which leaves a tombstone. */
final class Customers {

    private final StripeLedger ledger;
    private final StripeStore store;
    private final StripeEvents events;

    Customers(StripeLedger ledger) {
        this.ledger = ledger;
        this.store = ledger.store();
        this.events = ledger.events();
    }

    ObjectNode create(Origin o, Patch fields) {
        return ledger.write(() -> {
            ObjectNode c = Json.object();
            c.put("id", o.ids().next("cus_", 14));
            c.put("object", "customer");
            c.set("address", NullNode.instance);
            c.put("balance", 0);
            c.put("created", ledger.now());
            c.set("currency", NullNode.instance);
            c.set("default_source", NullNode.instance);
            c.put("delinquent", false);
            c.set("description", NullNode.instance);
            c.set("discount", NullNode.instance);
            c.set("email", NullNode.instance);
            c.put("invoice_prefix", o.ids().hex(8).toUpperCase(Locale.ROOT));
            ObjectNode inv = c.putObject("invoice_settings");
            inv.set("custom_fields", NullNode.instance);
            inv.set("default_payment_method", NullNode.instance);
            inv.set("footer", NullNode.instance);
            inv.set("rendering_options", NullNode.instance);
            c.put("livemode", ledger.livemode());
            c.putObject("metadata");
            c.set("name", NullNode.instance);
            c.put("next_invoice_sequence", 1);
            c.set("phone", NullNode.instance);
            c.putArray("preferred_locales");
            c.set("shipping", NullNode.instance);
            c.put("tax_exempt", "none");
            c.set("test_clock", NullNode.instance);
            applyPatch(c, fields);
            store.insert("customer", c);
            events.emit(o, "customer.created", c, null);
            return c;
        });
    }

    ObjectNode update(Origin o, String id, Patch patch) {
        return ledger.write(() -> {
            StripeStore.Entry e = ledger.require("customer", "customer", id, "id", true);
            return events.patched(o, e, patch, "customer.updated");
        });
    }

    ObjectNode delete(Origin o, String id) {
        return ledger.write(() -> {
            StripeStore.Entry e = ledger.require("customer", "customer", id, "id", true);
            store.markDeleted(e);
            events.emit(o, "customer.deleted", e.object, null);
            return tombstone(e.id, "customer");
        });
    }
}
