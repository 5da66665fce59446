package io.syncline.sandbox.payments;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.ApiResponse;
import io.syncline.sandbox.core.IdGenerator;
import io.syncline.sandbox.core.WebhookDispatcher;

/**
 * The payments domain: Stripe objects, their state changes and the events each change emits. Both the HTTP API and
 * the activity generator go through it, one resource at a time ({@link #customers()}, {@link #charges()},
 * {@link #refunds()}, {@link #invoices()}, {@link #webhookEndpoints()}, reads through {@link #queries()}), over one
 * {@link StripeLedger}: the shared store, the event emitter and the one lock.
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

    private final StripeLedger ledger;
    private final StripeQueries queries;
    private final Customers customers;
    private final Charges charges;
    private final Refunds refunds;
    private final Invoices invoices;
    private final WebhookEndpoints webhookEndpoints;

    PaymentsEngine(Clock clock, boolean livemode, String accountId, Publisher publisher) {
        this.ledger = new StripeLedger(clock, livemode, accountId, publisher);
        this.queries = new StripeQueries(ledger);
        this.customers = new Customers(ledger);
        this.charges = new Charges(ledger);
        this.refunds = new Refunds(ledger);
        this.invoices = new Invoices(ledger, charges);
        this.webhookEndpoints = new WebhookEndpoints(ledger);
    }

    StripeQueries queries() {
        return queries;
    }

    Customers customers() {
        return customers;
    }

    Charges charges() {
        return charges;
    }

    Refunds refunds() {
        return refunds;
    }

    Invoices invoices() {
        return invoices;
    }

    WebhookEndpoints webhookEndpoints() {
        return webhookEndpoints;
    }

    /** Lowers an event's {@code pending_webhooks} after a successful delivery. */
    void webhookDelivered(String eventId) {
        ledger.write(() -> {
            ledger.events().delivered(eventId);
            return null;
        });
    }
}
