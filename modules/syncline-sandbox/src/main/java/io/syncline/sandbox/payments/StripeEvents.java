package io.syncline.sandbox.payments;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.core.WebhookDispatcher;
import io.syncline.sandbox.payments.PaymentsEngine.Origin;
import io.syncline.sandbox.payments.PaymentsEngine.Publisher;

/**
 * The event emitter: every change a resource makes becomes a Stripe event, stored (so {@code /v1/events} lists it)
 * and queued with the webhook endpoints subscribed to its type at that moment. The queue is handed to the publisher
 * only after the lock is released ({@link StripeLedger#write}), in creation order.
 *
 * <p>Not thread-safe by itself: called under the ledger's lock.
 */
final class StripeEvents {

    /** An event waiting to be published, with the endpoints that subscribed to it when it was created. */
    record Outgoing(ObjectNode event, List<WebhookDispatcher.Target> targets) {
    }

    private final StripeStore store;
    private final Clock clock;
    private final boolean livemode;
    private final Publisher publisher;
    private final Map<String, String> webhookSecrets = new HashMap<>();
    private final List<Outgoing> outgoing = new ArrayList<>();

    StripeEvents(StripeStore store, Clock clock, boolean livemode, Publisher publisher) {
        this.store = store;
        this.clock = clock;
        this.livemode = livemode;
        this.publisher = publisher;
    }

    /** Creates, stores and queues the event {@code type} about {@code object} ({@code previous}: changed fields). */
    ObjectNode emit(Origin o, String type, ObjectNode object, ObjectNode previous) {
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
        ev.put("created", clock.instant().getEpochSecond());
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
        o.events().incrementAndGet();
        outgoing.add(new Outgoing(ev, targets));
        return ev;
    }

    /**
     * Applies {@code patch} to a stored object and emits {@code eventType} with the fields it changed, if it changed
     * any (Stripe sends no event for an update that changes nothing).
     */
    ObjectNode patched(PaymentsEngine.Origin o, StripeStore.Entry e, PaymentsEngine.Patch patch, String eventType) {
        ObjectNode before = StripeObjects.replace(e, n -> StripeObjects.applyPatch(n, patch));
        ObjectNode previous = Json.previousAttributes(before, e.object);
        if (!previous.isEmpty()) {
            emit(o, eventType, e.object, previous);
        }
        return e.object;
    }

    /** Remembers the signing secret of a new webhook endpoint, for the events it will receive. */
    void registerSecret(String endpointId, String secret) {
        webhookSecrets.put(endpointId, secret);
    }

    void forgetSecret(String endpointId) {
        webhookSecrets.remove(endpointId);
    }

    /** Lowers an event's {@code pending_webhooks} after a successful delivery. */
    void delivered(String eventId) {
        StripeStore.Entry e = store.find("event", eventId);
        if (e != null && e.object.path("pending_webhooks").asInt() > 0) {
            ObjectNode next = e.object.deepCopy();
            next.put("pending_webhooks", e.object.path("pending_webhooks").asInt() - 1);
            e.object = next;
        }
    }

    /** Takes the queued events (empty when none), to publish once the lock is released. */
    List<Outgoing> drain() {
        if (outgoing.isEmpty()) {
            return List.of();
        }
        List<Outgoing> taken = new ArrayList<>(outgoing);
        outgoing.clear();
        return taken;
    }

    /** Hands drained events to the publisher (webhook fan-out); called without the lock. */
    void publish(List<Outgoing> events) {
        for (Outgoing o : events) {
            publisher.publish(o.event(), o.targets());
        }
    }
}
