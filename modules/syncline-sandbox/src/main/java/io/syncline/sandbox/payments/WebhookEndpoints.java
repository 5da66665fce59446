package io.syncline.sandbox.payments;

import static io.syncline.sandbox.payments.StripeObjects.applyPatch;
import static io.syncline.sandbox.payments.StripeObjects.metadata;
import static io.syncline.sandbox.payments.StripeObjects.replace;
import static io.syncline.sandbox.payments.StripeObjects.text;
import static io.syncline.sandbox.payments.StripeObjects.tombstone;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.payments.PaymentsEngine.Origin;
import io.syncline.sandbox.payments.PaymentsEngine.Patch;

/** Webhook endpoints: where events are delivered, and the secret each one's deliveries are signed with. */
final class WebhookEndpoints {

    private final StripeLedger ledger;
    private final StripeStore store;

    WebhookEndpoints(StripeLedger ledger) {
        this.ledger = ledger;
        this.store = ledger.store();
    }

    ObjectNode create(Origin o, String url, List<String> events, String description,
                                     Map<String, String> metadata) {
        return create(o, url, events, description, metadata, null);
    }

    /** As {@link #create(Origin, String, List, String, Map)}, signing with {@code givenSecret} unless it is null. */
    ObjectNode create(Origin o, String url, List<String> events, String description,
                                     Map<String, String> metadata, String givenSecret) {
        return ledger.write(() -> {
            ObjectNode we = Json.object();
            String id = o.ids().next("we_1", 23);
            we.put("id", id);
            we.put("object", "webhook_endpoint");
            we.set("api_version", NullNode.instance);
            we.set("application", NullNode.instance);
            we.put("created", ledger.now());
            text(we, "description", description);
            ArrayNode ev = we.putArray("enabled_events");
            events.forEach(ev::add);
            we.put("livemode", ledger.livemode());
            we.set("metadata", metadata(metadata));
            we.put("status", "enabled");
            we.put("url", url);
            store.insert("webhook_endpoint", we);
            // Drawn either way, so that the ids after it are the same with or without a given secret.
            String generated = "whsec_" + o.ids().next("", 32);
            String secret = givenSecret == null ? generated : givenSecret;
            ledger.events().registerSecret(id, secret);
            ObjectNode withSecret = we.deepCopy();
            withSecret.put("secret", secret);
            return withSecret;
        });
    }

    ObjectNode update(String id, Patch patch) {
        return ledger.write(() -> {
            StripeStore.Entry e = ledger.require("webhook_endpoint", "webhook endpoint", id, "id", true);
            replace(e, n -> applyPatch(n, patch));
            return e.object;
        });
    }

    ObjectNode delete(String id) {
        return ledger.write(() -> {
            StripeStore.Entry e = ledger.require("webhook_endpoint", "webhook endpoint", id, "id", true);
            store.remove(e);
            ledger.events().forgetSecret(id);
            return tombstone(id, "webhook_endpoint");
        });
    }
}
