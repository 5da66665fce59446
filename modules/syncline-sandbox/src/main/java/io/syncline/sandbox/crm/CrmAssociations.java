package io.syncline.sandbox.crm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.Json;

/**
 * Associations between contacts, companies and deals, as HubSpot keeps them: always in both directions, with
 * HubSpot's default association type ids, and a <em>primary</em> company per contact and per deal (the first company
 * associated; HubSpot mirrors the contact's in its {@code associatedcompanyid} property). Guarded by the engine's lock.
 *
 * <p>Two renderings: the v3 {@code associations} member of an object read with {@code ?associations=companies}
 * ({@code {"companies":{"results":[{"id":"7","type":"contact_to_company"}, ...]}}}, the primary first, then one
 * {@code _unlabeled} entry per company) and the v4 batch-read result ({@code {"from":{"id"},"to":[{"toObjectId",
 * "associationTypes":[{"category":"HUBSPOT_DEFINED","typeId","label"}]}]}}).
 */
final class CrmAssociations {

    /**
     * HubSpot's default association type between two object types.
     *
     * @param typeId the unlabeled (or only) type id
     * @param primaryTypeId the "Primary" label's type id, or 0 when the pair has no primary (deal to contact)
     */
    record Kind(String from, String to, int typeId, int primaryTypeId) {
        String name() {
            return CrmSchema.TYPES.get(from).singular() + "_to_" + CrmSchema.TYPES.get(to).singular();
        }

        boolean hasPrimary() {
            return primaryTypeId != 0;
        }
    }

    /** The default types HubSpot defines between the sandbox's object types (HUBSPOT_DEFINED category). */
    static final Map<String, Kind> KINDS = Map.of(
            "contacts>companies", new Kind("contacts", "companies", 279, 1),
            "companies>contacts", new Kind("companies", "contacts", 280, 2),
            "deals>contacts", new Kind("deals", "contacts", 3, 0),
            "contacts>deals", new Kind("contacts", "deals", 4, 0),
            "deals>companies", new Kind("deals", "companies", 341, 5),
            "companies>deals", new Kind("companies", "deals", 342, 6));

    /** type → id → associated type → associated ids in the order they were associated. */
    private final Map<String, Map<Long, Map<String, LinkedHashSet<Long>>>> links = new HashMap<>();

    static Kind kind(String from, String to) {
        return KINDS.get(from + ">" + to);
    }

    /** Associates both ways; false when they already were. */
    boolean add(String fromType, long fromId, String toType, long toId) {
        boolean added = ids(fromType, fromId, toType).add(toId);
        ids(toType, toId, fromType).add(fromId);
        return added;
    }

    /** Removes the association both ways; false when there was none. */
    boolean remove(String fromType, long fromId, String toType, long toId) {
        boolean removed = ids(fromType, fromId, toType).remove(toId);
        ids(toType, toId, fromType).remove(fromId);
        return removed;
    }

    /** The ids of {@code toType} associated with the object, oldest association first. */
    List<Long> of(String fromType, long fromId, String toType) {
        Map<String, LinkedHashSet<Long>> byType = links.getOrDefault(fromType, Map.of()).get(fromId);
        LinkedHashSet<Long> ids = byType == null ? null : byType.get(toType);
        return ids == null ? List.of() : new ArrayList<>(ids);
    }

    /**
     * Whether the association from {@code fromId} to {@code toId} carries the primary label: the first company of a
     * contact or deal, and, the other way round, a company that is its contact's or deal's first company.
     */
    boolean primary(String fromType, long fromId, String toType, long toId) {
        if (toType.equals("companies")) {
            List<Long> companies = of(fromType, fromId, "companies");
            return !companies.isEmpty() && companies.get(0) == toId;
        }
        if (fromType.equals("companies")) {
            List<Long> companies = of(toType, toId, "companies");
            return !companies.isEmpty() && companies.get(0) == fromId;
        }
        return false;
    }

    /** Every association of {@code id}, by associated type (for merges). */
    Map<String, List<Long>> all(String type, long id) {
        Map<String, List<Long>> out = new HashMap<>();
        Map<String, LinkedHashSet<Long>> byType = links.getOrDefault(type, Map.of()).get(id);
        if (byType != null) {
            byType.forEach((t, ids) -> out.put(t, new ArrayList<>(ids)));
        }
        return out;
    }

    /** Forgets every association of {@code id} both ways (for merges: the merged-away objects). */
    void removeAll(String type, long id) {
        all(type, id).forEach((toType, ids) -> ids.forEach(to -> remove(type, id, toType, to)));
    }

    private Set<Long> ids(String type, long id, String toType) {
        return links.computeIfAbsent(type, t -> new HashMap<>()).computeIfAbsent(id, i -> new HashMap<>())
                .computeIfAbsent(toType, t -> new LinkedHashSet<>());
    }

    /** The v3 {@code associations} member for {@code toTypes} (types without associations are left out). */
    ObjectNode v3(String fromType, long fromId, List<String> toTypes) {
        ObjectNode out = Json.object();
        for (String toType : toTypes) {
            Kind kind = kind(fromType, toType);
            List<Long> ids = of(fromType, fromId, toType);
            if (kind == null || ids.isEmpty()) {
                continue;
            }
            ArrayNode results = out.putObject(toType).putArray("results");
            for (long id : ids) {
                if (kind.hasPrimary() && primary(fromType, fromId, toType, id)) {
                    results.addObject().put("id", Long.toString(id)).put("type", kind.name());
                }
            }
            for (long id : ids) {
                results.addObject().put("id", Long.toString(id))
                        .put("type", kind.hasPrimary() ? kind.name() + "_unlabeled" : kind.name());
            }
        }
        return out;
    }

    /** One v4 batch-read result: {@code {"from":{"id"},"to":[...]}}, or null when the object has none. */
    ObjectNode v4(String fromType, long fromId, String toType) {
        Kind kind = kind(fromType, toType);
        List<Long> ids = of(fromType, fromId, toType);
        if (kind == null || ids.isEmpty()) {
            return null;
        }
        ObjectNode out = Json.object();
        out.putObject("from").put("id", Long.toString(fromId));
        ArrayNode to = out.putArray("to");
        for (long id : ids) {
            ObjectNode t = to.addObject();
            t.put("toObjectId", id);
            ArrayNode types = t.putArray("associationTypes");
            if (kind.hasPrimary() && primary(fromType, fromId, toType, id)) {
                types.addObject().put("category", "HUBSPOT_DEFINED").put("typeId", kind.primaryTypeId())
                        .put("label", "Primary");
            }
            types.addObject().put("category", "HUBSPOT_DEFINED").put("typeId", kind.typeId()).putNull("label");
        }
        return out;
    }
}
