package io.syncline.sandbox.payments;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.syncline.sandbox.core.ApiResponse;
import io.syncline.sandbox.core.IdGenerator;
import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.core.WebhookDispatcher;

/**
 * The payments domain: Stripe objects, their state changes and the events each change emits. Both the HTTP API and
 * the activity generator go through it. One lock guards everything; events are handed to the publisher (webhook
 * fan-out) after the lock is released, in the order they were created.
 */
final class PaymentsEngine {

    /** Who caused a change: the ids to draw from and, for API calls, the request id and idempotency key. */
    record Origin(IdGenerator ids, String requestId, String idempotencyKey, AtomicLong events) {
        Origin(IdGenerator ids, String requestId, String idempotencyKey) {
            this(ids, requestId, idempotencyKey, new AtomicLong());
        }

        static Origin automatic(IdGenerator ids) {
            return new Origin(ids, null, null);
        }
    }

    /** Field replacements (a JSON null clears a field) plus a metadata patch (an empty value removes a key). */
    record Patch(Map<String, JsonNode> set, Map<String, String> metadata) {
        static Patch of(Map<String, JsonNode> set, Map<String, String> metadata) {
            return new Patch(set, metadata);
        }
    }

    /** The object an operation produced, and a Stripe card error (HTTP 402 body) when a payment was declined. */
    record Result(ObjectNode object, ObjectNode declineError) {
        ApiResponse toResponse() {
            return declineError == null ? ApiResponse.ok(object) : ApiResponse.json(402, declineError);
        }
    }

    /** Receives each new event with the webhook endpoints that subscribed to it at creation time. */
    interface Publisher {
        void publish(ObjectNode event, List<WebhookDispatcher.Target> targets);
    }

    static final Set<String> LISTABLE = Set.of("customer", "charge", "payment_intent", "invoice", "refund", "event",
            "invoiceitem", "webhook_endpoint");

    private static final Map<String, Set<String>> EXPANDABLE = Map.of(
            "charge", Set.of("customer", "payment_intent", "invoice"),
            "payment_intent", Set.of("customer", "latest_charge", "invoice"),
            "invoice", Set.of("customer", "charge", "payment_intent"),
            "refund", Set.of("charge", "payment_intent"),
            "invoiceitem", Set.of("customer", "invoice"));

    private record Outgoing(ObjectNode event, List<WebhookDispatcher.Target> targets) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final StripeStore store = new StripeStore();
    private final Clock clock;
    private final boolean livemode;
    private final String accountId;
    private final Publisher publisher;
    private final Map<String, String> webhookSecrets = new HashMap<>();
    private final Map<String, Cards.Card> intentCards = new HashMap<>();
    private final List<Outgoing> outgoing = new ArrayList<>();
    private long eventCount;

    PaymentsEngine(Clock clock, boolean livemode, String accountId, Publisher publisher) {
        this.clock = clock;
        this.livemode = livemode;
        this.accountId = accountId;
        this.publisher = publisher;
    }

    // ------------------------------------------------------------------ locking

    <T> T read(Supplier<T> op) {
        lock.lock();
        try {
            return op.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs a change under the lock, then publishes the events it created (also when it failed halfway). */
    <T> T write(Supplier<T> op) {
        lock.lock();
        List<Outgoing> toPublish = List.of();
        try {
            return op.get();
        } finally {
            if (lock.getHoldCount() == 1 && !outgoing.isEmpty()) {
                toPublish = new ArrayList<>(outgoing);
                outgoing.clear();
            }
            lock.unlock();
            for (Outgoing o : toPublish) {
                publisher.publish(o.event, o.targets);
            }
        }
    }

    long eventCount() {
        return read(() -> eventCount);
    }

    Map<String, List<String>> idsByType() {
        return read(store::idsByType);
    }

    /** All objects of a type, oldest first (snapshots). */
    List<ObjectNode> all(String type) {
        return read(() -> store.all(type));
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    // ------------------------------------------------------------------ events

    private ObjectNode emit(Origin o, String type, ObjectNode object, ObjectNode previous) {
        List<WebhookDispatcher.Target> targets = new ArrayList<>();
        for (ObjectNode endpoint : store.all("webhook_endpoint")) {
            if (!"enabled".equals(endpoint.path("status").asText())) {
                continue;
            }
            for (JsonNode e : endpoint.path("enabled_events")) {
                if (e.asText().equals("*") || e.asText().equals(type)) {
                    String id = endpoint.get("id").asText();
                    targets.add(new WebhookDispatcher.Target(id, URI.create(endpoint.get("url").asText()),
                            webhookSecrets.get(id)));
                    break;
                }
            }
        }
        ObjectNode ev = Json.object();
        ev.put("id", o.ids().next("evt_", 24));
        ev.put("object", "event");
        ev.put("api_version", StripeDialect.API_VERSION);
        ev.put("created", now());
        ObjectNode data = ev.putObject("data");
        data.set("object", object);
        if (previous != null) {
            data.set("previous_attributes", previous);
        }
        ev.put("livemode", livemode);
        ev.put("pending_webhooks", targets.size());
        ObjectNode request = ev.putObject("request");
        request.put("id", o.requestId());
        request.put("idempotency_key", o.idempotencyKey());
        ev.put("type", type);
        store.insert("event", ev);
        eventCount++;
        o.events().incrementAndGet();
        outgoing.add(new Outgoing(ev, targets));
        return ev;
    }

    /** Lowers an event's {@code pending_webhooks} after a successful delivery. */
    void webhookDelivered(String eventId) {
        write(() -> {
            StripeStore.Entry e = store.find("event", eventId);
            if (e != null && e.object.path("pending_webhooks").asInt() > 0) {
                ObjectNode next = e.object.deepCopy();
                next.put("pending_webhooks", e.object.path("pending_webhooks").asInt() - 1);
                e.object = next;
            }
            return null;
        });
    }

    private static ObjectNode update(StripeStore.Entry e, java.util.function.Consumer<ObjectNode> change) {
        ObjectNode before = e.object;
        ObjectNode next = before.deepCopy();
        change.accept(next);
        e.object = next;
        return before;
    }

    private static void applyPatch(ObjectNode target, Patch patch) {
        if (patch == null) {
            return;
        }
        patch.set().forEach(target::set);
        if (patch.metadata() != null) {
            ObjectNode meta = target.withObject("/metadata");
            if (patch.metadata().isEmpty()) {
                meta.removeAll();
            }
            patch.metadata().forEach((k, v) -> {
                if (v.isEmpty()) {
                    meta.remove(k);
                } else {
                    meta.put(k, v);
                }
            });
        }
    }

    private static ObjectNode metadata(Map<String, String> values) {
        ObjectNode m = Json.object();
        if (values != null) {
            values.forEach((k, v) -> {
                if (!v.isEmpty()) {
                    m.put(k, v);
                }
            });
        }
        return m;
    }

    // ------------------------------------------------------------------ lookups

    private StripeStore.Entry require(String type, String what, String id, String param, boolean inPath) {
        StripeStore.Entry e = store.find(type, id);
        if (e == null || e.deleted) {
            throw StripeErrors.noSuch(what, id, param, inPath);
        }
        return e;
    }

    /** Retrieve by id; deleted customers come back as Stripe's tombstone. */
    ObjectNode retrieve(String type, String what, String id, List<String> expand) {
        return read(() -> {
            StripeStore.Entry e = store.find(type, id);
            if (e == null) {
                throw StripeErrors.noSuch(what, id, "id", true);
            }
            if (e.deleted) {
                return tombstone(e.id, type);
            }
            return expand(e.object, expand, false);
        });
    }

    private static ObjectNode tombstone(String id, String type) {
        ObjectNode t = Json.object();
        t.put("id", id);
        t.put("object", type);
        t.put("deleted", true);
        return t;
    }

    /** A list page as Stripe renders it. */
    ObjectNode list(String type, String url, int limit, String startingAfter, String endingBefore,
                    StripeStore.CreatedRange created, Predicate<ObjectNode> filter, List<String> expand) {
        return read(() -> {
            StripeStore.Entry after = cursor(type, startingAfter, "starting_after");
            StripeStore.Entry before = cursor(type, endingBefore, "ending_before");
            StripeStore.Page page = store.page(type, limit, after, before, created, filter);
            ObjectNode out = Json.object();
            out.put("object", "list");
            ArrayNode data = out.putArray("data");
            for (ObjectNode o : page.data()) {
                data.add(expand(o, expand, true));
            }
            out.put("has_more", page.hasMore());
            out.put("url", url);
            return out;
        });
    }

    private StripeStore.Entry cursor(String type, String id, String param) {
        if (id == null) {
            return null;
        }
        StripeStore.Entry e = store.find(type, id);
        if (e == null) {
            throw StripeErrors.noSuch(readable(type), id, param, false);
        }
        return e;
    }

    static String readable(String type) {
        return switch (type) {
            case "payment_intent" -> "payment_intent";
            case "webhook_endpoint" -> "webhook endpoint";
            default -> type;
        };
    }

    private ObjectNode expand(ObjectNode object, List<String> paths, boolean inList) {
        if (paths.isEmpty()) {
            return object;
        }
        ObjectNode copy = object.deepCopy();
        for (String path : paths) {
            String p = path;
            if (inList) {
                if (!p.startsWith("data.")) {
                    throw StripeErrors.invalid(null, "This property cannot be expanded (" + path + "). You may want "
                            + "to try expanding 'data." + path + "' instead.", "expand");
                }
                p = p.substring(5);
            }
            String[] parts = p.split("\\.");
            if (parts.length > 4) {
                throw StripeErrors.invalid(null, "You cannot expand more than 4 levels of a property. Property: "
                        + path, "expand");
            }
            expandPath(copy, parts, 0, path);
        }
        return copy;
    }

    private void expandPath(ObjectNode node, String[] parts, int i, String fullPath) {
        String field = parts[i];
        String type = node.path("object").asText();
        if (!EXPANDABLE.getOrDefault(type, Set.of()).contains(field) || !node.has(field)) {
            throw StripeErrors.invalid(null, "This property cannot be expanded (" + field + ").", "expand");
        }
        JsonNode value = node.get(field);
        if (value.isTextual()) {
            StripeStore.Entry target = store.find(value.asText());
            if (target != null) {
                value = target.deleted ? tombstone(target.id, target.type) : target.object.deepCopy();
                node.set(field, value);
            }
        }
        if (i + 1 < parts.length && value.isObject()) {
            expandPath((ObjectNode) value, parts, i + 1, fullPath);
        }
    }

    // ------------------------------------------------------------------ customers

    ObjectNode createCustomer(Origin o, Patch fields) {
        return write(() -> {
            ObjectNode c = Json.object();
            c.put("id", o.ids().next("cus_", 14));
            c.put("object", "customer");
            c.set("address", NullNode.instance);
            c.put("balance", 0);
            c.put("created", now());
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
            c.put("livemode", livemode);
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
            emit(o, "customer.created", c, null);
            return c;
        });
    }

    ObjectNode updateCustomer(Origin o, String id, Patch patch) {
        return write(() -> {
            StripeStore.Entry e = require("customer", "customer", id, "id", true);
            ObjectNode before = update(e, c -> applyPatch(c, patch));
            ObjectNode previous = Json.previousAttributes(before, e.object);
            if (!previous.isEmpty()) {
                emit(o, "customer.updated", e.object, previous);
            }
            return e.object;
        });
    }

    ObjectNode deleteCustomer(Origin o, String id) {
        return write(() -> {
            StripeStore.Entry e = require("customer", "customer", id, "id", true);
            store.markDeleted(e);
            emit(o, "customer.deleted", e.object, null);
            return tombstone(e.id, "customer");
        });
    }

    // ------------------------------------------------------------------ charges and payment intents

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
        ch.put("created", now());
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
        ch.put("livemode", livemode);
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

    private static void text(ObjectNode n, String field, String value) {
        n.set(field, value == null ? NullNode.instance : TextNode.valueOf(value));
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
        pm.put("created", now());
        text(pm, "customer", customer);
        pm.put("livemode", livemode);
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
        return id == null ? null : require("customer", "customer", id, param, false);
    }

    Result createPaymentIntent(Origin o, PaymentInput in) {
        return write(() -> createIntentLocked(o, in, null));
    }

    private Result createIntentLocked(Origin o, PaymentInput in, String invoiceId) {
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
        pi.put("created", now());
        pi.put("currency", in.currency());
        text(pi, "customer", customer == null ? null : customer.id);
        text(pi, "description", in.description());
        text(pi, "invoice", invoiceId);
        pi.set("last_payment_error", NullNode.instance);
        pi.set("latest_charge", NullNode.instance);
        pi.put("livemode", livemode);
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
        emit(o, "payment_intent.created", pi, null);
        if (in.confirm()) {
            return confirmLocked(o, entry, in.card(), in.receiptEmail());
        }
        return new Result(entry.object, null);
    }

    Result confirmPaymentIntent(Origin o, String id, Cards.Card card, String receiptEmail) {
        return write(() -> {
            StripeStore.Entry e = require("payment_intent", "payment_intent", id, "intent", true);
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
            update(intent, n -> {
                n.put("amount_received", n.get("amount").asLong());
                n.put("latest_charge", charge.get("id").asText());
                n.put("payment_method", pmId);
                n.set("last_payment_error", NullNode.instance);
                text(n, "receipt_email", email);
                n.put("status", "succeeded");
            });
            emit(o, "charge.succeeded", charge, null);
            emit(o, "payment_intent.succeeded", intent.object, null);
            return new Result(intent.object, null);
        }
        ObjectNode lastError = declineError(o, charge, null, card, pmId).get("error").deepCopy();
        lastError.remove("request_log_url");
        update(intent, n -> {
            n.put("latest_charge", charge.get("id").asText());
            n.set("payment_method", NullNode.instance);
            n.set("last_payment_error", lastError);
            n.put("status", "requires_payment_method");
        });
        emit(o, "charge.failed", charge, null);
        emit(o, "payment_intent.payment_failed", intent.object, null);
        return new Result(intent.object, declineError(o, charge, intent.object, card, pmId));
    }

    ObjectNode cancelPaymentIntent(Origin o, String id, String reason) {
        return write(() -> {
            StripeStore.Entry e = require("payment_intent", "payment_intent", id, "intent", true);
            String status = e.object.get("status").asText();
            if (status.equals("succeeded") || status.equals("canceled")) {
                throw StripeErrors.invalid("payment_intent_unexpected_state", "You cannot cancel this PaymentIntent "
                        + "because it has a status of " + status + ". Only a PaymentIntent with one of the following "
                        + "statuses may be canceled: requires_payment_method, requires_capture, "
                        + "requires_confirmation, requires_action, processing.", null);
            }
            update(e, n -> {
                n.put("canceled_at", now());
                text(n, "cancellation_reason", reason);
                n.put("status", "canceled");
            });
            emit(o, "payment_intent.canceled", e.object, null);
            return e.object;
        });
    }

    /** A charge made directly (the legacy Charges API) with a test token or the customer's default card. */
    Result createCharge(Origin o, PaymentInput in) {
        return write(() -> {
            StripeStore.Entry customer = optionalCustomer(in.customer(), "customer");
            Cards.Card card = in.card() != null ? in.card() : Cards.VISA;
            String pmId = o.ids().next("card_1", 23);
            ObjectNode charge = newCharge(o, in.amount(), in.currency(), customer, null, null, card, pmId,
                    in.description(), in.metadata(), in.receiptEmail());
            store.insert("charge", charge);
            if (card.succeeds()) {
                emit(o, "charge.succeeded", charge, null);
                return new Result(charge, null);
            }
            emit(o, "charge.failed", charge, null);
            return new Result(charge, declineError(o, charge, null, card, pmId));
        });
    }

    ObjectNode updateCharge(Origin o, String id, Patch patch) {
        return write(() -> {
            StripeStore.Entry e = require("charge", "charge", id, "id", true);
            ObjectNode before = update(e, c -> applyPatch(c, patch));
            ObjectNode previous = Json.previousAttributes(before, e.object);
            if (!previous.isEmpty()) {
                emit(o, "charge.updated", e.object, previous);
            }
            return e.object;
        });
    }

    // ------------------------------------------------------------------ refunds

    ObjectNode createRefund(Origin o, String chargeId, String intentId, Long amount, String reason,
                            Map<String, String> metadata, boolean pending) {
        return write(() -> {
            StripeStore.Entry charge;
            if (chargeId != null) {
                charge = require("charge", "charge", chargeId, "charge", false);
                if (intentId != null && !intentId.equals(charge.object.path("payment_intent").asText())) {
                    throw StripeErrors.invalid(null, "The charge " + chargeId + " does not belong to the "
                            + "PaymentIntent " + intentId + ".", "charge");
                }
            } else if (intentId != null) {
                StripeStore.Entry pi = require("payment_intent", "payment_intent", intentId, "payment_intent", false);
                JsonNode latest = pi.object.path("latest_charge");
                if (!latest.isTextual() || !"succeeded".equals(pi.object.path("status").asText())) {
                    throw StripeErrors.invalid(null, "This PaymentIntent (" + intentId + ") does not have a "
                            + "successful charge to refund.", "payment_intent");
                }
                charge = require("charge", "charge", latest.asText(), "payment_intent", false);
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
            re.put("created", now());
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
            update(charge, n -> {
                long refunded = n.get("amount_refunded").asLong() + refundAmount;
                n.put("amount_refunded", refunded);
                n.put("refunded", refunded == n.get("amount_captured").asLong());
            });
            emit(o, "charge.refunded", charge.object, null);
            emit(o, "refund.created", re, null);
            return re;
        });
    }

    /** Moves a pending refund to {@code succeeded} or {@code failed}, emitting {@code refund.updated}. */
    ObjectNode settleRefund(Origin o, String id, boolean succeeded) {
        return write(() -> {
            StripeStore.Entry e = require("refund", "refund", id, "id", true);
            if (!"pending".equals(e.object.path("status").asText())) {
                return e.object;
            }
            ObjectNode before = update(e, n -> {
                n.put("status", succeeded ? "succeeded" : "failed");
                if (!succeeded) {
                    n.put("failure_reason", "expired_or_canceled_card");
                }
                n.withObjectProperty("destination_details").withObjectProperty("card").put("reference_status", "available");
            });
            emit(o, "refund.updated", e.object, Json.previousAttributes(before, e.object));
            if (!succeeded) {
                StripeStore.Entry charge = store.find("charge", e.object.get("charge").asText());
                if (charge != null) {
                    long amt = e.object.get("amount").asLong();
                    ObjectNode cb = update(charge, n -> {
                        n.put("amount_refunded", n.get("amount_refunded").asLong() - amt);
                        n.put("refunded", false);
                    });
                    emit(o, "charge.updated", charge.object, Json.previousAttributes(cb, charge.object));
                }
            }
            return e.object;
        });
    }

    // ------------------------------------------------------------------ invoices

    /** Inputs of a new invoice. */
    record InvoiceInput(String customer, String description, Map<String, String> metadata, boolean autoAdvance,
                        String collectionMethod, Long daysUntilDue, String currency, boolean includePendingItems) {
    }

    ObjectNode createInvoice(Origin o, InvoiceInput in) {
        return write(() -> {
            StripeStore.Entry customer = require("customer", "customer", in.customer(), "customer", false);
            if ("send_invoice".equals(in.collectionMethod()) && in.daysUntilDue() == null) {
                throw StripeErrors.invalid(null, "Invoices with `collection_method=send_invoice` must have a "
                        + "`days_until_due` or `due_date`.", "days_until_due");
            }
            long now = now();
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
            inv.put("livemode", livemode);
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
                        update(ie, n -> n.put("invoice", id));
                        addLine(o, inv, ie.object);
                    }
                }
            }
            store.insert("invoice", inv);
            emit(o, "invoice.created", inv, null);
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
        line.put("livemode", livemode);
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

    ObjectNode createInvoiceItem(Origin o, ItemInput in) {
        return write(() -> {
            StripeStore.Entry customer = require("customer", "customer", in.customer(), "customer", false);
            StripeStore.Entry invoice = null;
            if (in.invoice() != null) {
                invoice = require("invoice", "invoice", in.invoice(), "invoice", false);
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
            long now = now();
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
            item.put("livemode", livemode);
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
            emit(o, "invoiceitem.created", item, null);
            if (invoice != null) {
                ObjectNode before = update(invoice, n -> addLine(o, n, item));
                emit(o, "invoice.updated", invoice.object, Json.previousAttributes(before, invoice.object));
            }
            return item;
        });
    }

    ObjectNode updateInvoice(Origin o, String id, Patch patch) {
        return write(() -> {
            StripeStore.Entry e = require("invoice", "invoice", id, "invoice", true);
            String status = e.object.get("status").asText();
            if (status.equals("void") || status.equals("paid") && patch.set().keySet().stream()
                    .anyMatch(k -> !k.equals("description") && !k.equals("footer"))) {
                throw StripeErrors.invalid("invoice_not_editable", "This invoice is no longer editable.", null);
            }
            ObjectNode before = update(e, n -> applyPatch(n, patch));
            ObjectNode previous = Json.previousAttributes(before, e.object);
            if (!previous.isEmpty()) {
                emit(o, "invoice.updated", e.object, previous);
            }
            return e.object;
        });
    }

    ObjectNode finalizeInvoice(Origin o, String id) {
        return write(() -> {
            StripeStore.Entry e = require("invoice", "invoice", id, "invoice", true);
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
        update(customer, n -> n.put("next_invoice_sequence", sequence + 1));
        long now = now();
        String token = o.ids().next("test_", 40);
        ObjectNode before = update(e, n -> {
            n.put("number", prefix + "-" + String.format(Locale.ROOT, "%04d", sequence));
            n.put("status", "open");
            n.put("effective_at", now);
            n.put("ending_balance", 0);
            n.put("hosted_invoice_url", "https://invoice.stripe.com/i/" + accountId + "/" + token);
            n.put("invoice_pdf", "https://pay.stripe.com/invoice/" + accountId + "/" + token + "/pdf");
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
        emit(o, "invoice.finalized", e.object, null);
        if ("paid".equals(e.object.get("status").asText())) {
            emit(o, "invoice.paid", e.object, null);
            emit(o, "invoice.payment_succeeded", e.object, null);
        }
        emit(o, "invoice.updated", e.object, Json.previousAttributes(before, e.object));
    }

    Result payInvoice(Origin o, String id, Cards.Card card, boolean outOfBand) {
        return write(() -> {
            StripeStore.Entry e = require("invoice", "invoice", id, "invoice", true);
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
            long now = now();
            if (outOfBand) {
                ObjectNode before = update(e, n -> {
                    n.put("status", "paid");
                    n.put("paid", true);
                    n.put("paid_out_of_band", true);
                    n.put("amount_paid", n.get("amount_due").asLong());
                    n.put("amount_remaining", 0);
                    n.set("next_payment_attempt", NullNode.instance);
                    n.withObjectProperty("status_transitions").put("paid_at", now);
                });
                emit(o, "invoice.paid", e.object, null);
                emit(o, "invoice.updated", e.object, Json.previousAttributes(before, e.object));
                return new Result(e.object, null);
            }
            ObjectNode inv = e.object;
            PaymentInput payment = new PaymentInput(inv.get("amount_remaining").asLong(), inv.get("currency").asText(),
                    inv.get("customer").asText(), "Payment for Invoice", Map.of(), "pm", card == null ? Cards.VISA
                    : card, true, null);
            Result paid = createIntentLocked(o, payment, id);
            ObjectNode pi = paid.object();
            boolean ok = paid.declineError() == null;
            ObjectNode before = update(e, n -> {
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
                emit(o, "invoice.paid", e.object, null);
                emit(o, "invoice.payment_succeeded", e.object, null);
            } else {
                emit(o, "invoice.payment_failed", e.object, null);
            }
            emit(o, "invoice.updated", e.object, Json.previousAttributes(before, e.object));
            return new Result(e.object, paid.declineError());
        });
    }

    ObjectNode voidInvoice(Origin o, String id) {
        return write(() -> {
            StripeStore.Entry e = require("invoice", "invoice", id, "invoice", true);
            String status = e.object.get("status").asText();
            if (!status.equals("open") && !status.equals("uncollectible")) {
                throw StripeErrors.invalid("invoice_unexpected_state", "You can only pass in open or uncollectible "
                        + "invoices. This invoice has a status of " + status + ".", null);
            }
            long now = now();
            ObjectNode before = update(e, n -> {
                n.put("status", "void");
                n.set("next_payment_attempt", NullNode.instance);
                n.withObjectProperty("status_transitions").put("voided_at", now);
            });
            emit(o, "invoice.voided", e.object, null);
            emit(o, "invoice.updated", e.object, Json.previousAttributes(before, e.object));
            return e.object;
        });
    }

    ObjectNode deleteInvoice(Origin o, String id) {
        return write(() -> {
            StripeStore.Entry e = require("invoice", "invoice", id, "invoice", true);
            if (!"draft".equals(e.object.get("status").asText())) {
                throw StripeErrors.invalid("invoice_not_editable", "You can only delete draft invoices. This invoice "
                        + "has a status of " + e.object.get("status").asText() + "; void it instead.", null);
            }
            store.remove(e);
            emit(o, "invoice.deleted", e.object, null);
            return tombstone(e.id, "invoice");
        });
    }

    /** The lines of an invoice as a Stripe list, paged by line id. */
    ObjectNode invoiceLines(String id, int limit, String startingAfter, String endingBefore) {
        return read(() -> {
            StripeStore.Entry e = require("invoice", "invoice", id, "invoice", true);
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

    // ------------------------------------------------------------------ webhook endpoints

    ObjectNode createWebhookEndpoint(Origin o, String url, List<String> events, String description,
                                     Map<String, String> metadata) {
        return write(() -> {
            ObjectNode we = Json.object();
            String id = o.ids().next("we_1", 23);
            we.put("id", id);
            we.put("object", "webhook_endpoint");
            we.set("api_version", NullNode.instance);
            we.set("application", NullNode.instance);
            we.put("created", now());
            text(we, "description", description);
            ArrayNode ev = we.putArray("enabled_events");
            events.forEach(ev::add);
            we.put("livemode", livemode);
            we.set("metadata", metadata(metadata));
            we.put("status", "enabled");
            we.put("url", url);
            store.insert("webhook_endpoint", we);
            String secret = "whsec_" + o.ids().next("", 32);
            webhookSecrets.put(id, secret);
            ObjectNode withSecret = we.deepCopy();
            withSecret.put("secret", secret);
            return withSecret;
        });
    }

    ObjectNode updateWebhookEndpoint(String id, Patch patch) {
        return write(() -> {
            StripeStore.Entry e = require("webhook_endpoint", "webhook endpoint", id, "id", true);
            update(e, n -> applyPatch(n, patch));
            return e.object;
        });
    }

    ObjectNode deleteWebhookEndpoint(String id) {
        return write(() -> {
            StripeStore.Entry e = require("webhook_endpoint", "webhook endpoint", id, "id", true);
            store.remove(e);
            webhookSecrets.remove(id);
            return tombstone(id, "webhook_endpoint");
        });
    }

    /** Ids of live objects of a type (not deleted), oldest first. */
    List<String> liveIds(String type) {
        return read(() -> {
            List<String> out = new ArrayList<>();
            for (Iterator<ObjectNode> it = store.all(type).iterator(); it.hasNext();) {
                String id = it.next().get("id").asText();
                StripeStore.Entry e = store.find(id);
                if (e != null && !e.deleted) {
                    out.add(id);
                }
            }
            return out;
        });
    }

    ObjectNode snapshot(String id) {
        return read(() -> {
            StripeStore.Entry e = store.find(id);
            return e == null ? null : e.object;
        });
    }
}
