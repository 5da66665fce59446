package io.syncline.sandbox.payments;

import static io.syncline.sandbox.payments.StripeObjects.tombstone;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.Json;

/**
 * Reads of the payments sandbox: retrieve by id (with {@code expand}), Stripe's list pages (cursors, {@code created}
 * ranges, filters), and snapshots for the activity generator and the admin endpoints.
 */
final class StripeQueries {

    private static final Map<String, Set<String>> EXPANDABLE = Map.of(
            "charge", Set.of("customer", "payment_intent", "invoice"),
            "payment_intent", Set.of("customer", "latest_charge", "invoice"),
            "invoice", Set.of("customer", "charge", "payment_intent"),
            "refund", Set.of("charge", "payment_intent"),
            "invoiceitem", Set.of("customer", "invoice"));

    private final StripeLedger ledger;
    private final StripeStore store;

    StripeQueries(StripeLedger ledger) {
        this.ledger = ledger;
        this.store = ledger.store();
    }

    /** Retrieve by id; deleted customers come back as Stripe's tombstone. */
    ObjectNode retrieve(String type, String what, String id, List<String> expand) {
        return ledger.read(() -> {
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

    /** A list page as Stripe renders it. */
    ObjectNode list(String type, String url, int limit, String startingAfter, String endingBefore,
                    StripeStore.CreatedRange created, Predicate<ObjectNode> filter, List<String> expand) {
        return ledger.read(() -> {
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

    /** Ids of live objects of a type (not deleted), oldest first. */
    List<String> liveIds(String type) {
        return ledger.read(() -> {
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
        return ledger.read(() -> {
            StripeStore.Entry e = store.find(id);
            return e == null ? null : e.object;
        });
    }

    /** All objects of a type, oldest first (snapshots). */
    List<ObjectNode> all(String type) {
        return ledger.read(() -> store.all(type));
    }

    Map<String, List<String>> idsByType() {
        return ledger.read(store::idsByType);
    }
}
