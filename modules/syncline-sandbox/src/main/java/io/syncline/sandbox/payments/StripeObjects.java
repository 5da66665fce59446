package io.syncline.sandbox.payments;

import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.payments.PaymentsEngine.Patch;

/** Small edits every payments resource makes to Stripe objects, in the store's copy-on-write style. */
final class StripeObjects {

    private StripeObjects() {
    }

    /** Replaces the entry's object with a changed copy and returns the object as it was (for previous_attributes). */
    static ObjectNode replace(StripeStore.Entry e, Consumer<ObjectNode> change) {
        ObjectNode before = e.object;
        ObjectNode next = before.deepCopy();
        change.accept(next);
        e.object = next;
        return before;
    }

    /** Applies a patch: field replacements, then the metadata patch (an empty value removes a key). */
    static void applyPatch(ObjectNode target, Patch patch) {
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

    /** A new object's metadata: the given values without the empty ones. */
    static ObjectNode metadata(Map<String, String> values) {
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

    /** What Stripe answers for a deleted object: its id, its type and {@code deleted: true}. */
    static ObjectNode tombstone(String id, String type) {
        ObjectNode t = Json.object();
        t.put("id", id);
        t.put("object", type);
        t.put("deleted", true);
        return t;
    }

    /** Sets a text field, or JSON null for a null value. */
    static void text(ObjectNode n, String field, String value) {
        n.set(field, value == null ? NullNode.instance : TextNode.valueOf(value));
    }
}
