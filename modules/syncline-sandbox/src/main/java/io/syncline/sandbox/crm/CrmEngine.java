package io.syncline.sandbox.crm;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.ApiException;
import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.core.WriteLog;
import io.syncline.sandbox.core.WriteRecord;

/**
 * The CRM data: contacts, companies and deals with HubSpot's property semantics, lookups, search and batch
 * operations. One lock guards everything. Writes made by API clients go to the {@link WriteLog}; the generator's
 * do not.
 */
final class CrmEngine {

    /**
     * Who writes: for API calls the correlation id, method, path, idempotency key and the batch input's
     * {@code objectWriteTraceId}; null fields for the generator.
     */
    record Origin(String requestId, String method, String path, String idempotencyKey, String writeTraceId) {
        static final Origin GENERATOR = new Origin(null, null, null, null, null);

        Origin(String requestId, String method, String path, String idempotencyKey) {
            this(requestId, method, path, idempotencyKey, null);
        }

        boolean isClient() {
            return method != null;
        }

        /** The same origin for one batch input with this trace id (null or empty: none). */
        Origin withWriteTraceId(String traceId) {
            return new Origin(requestId, method, path, idempotencyKey, traceId == null || traceId.isEmpty() ? null
                    : traceId);
        }
    }

    /**
     * Most {@code objectWriteTraceId}s remembered as applied; the oldest are forgotten first. A sink repeats a trace id
     * within minutes of its first write (a batch rebuilt after a restart), never after a million other writes.
     */
    static final int MAX_TRACE_IDS = 1_000_000;

    /** One stored object. */
    static final class Rec {
        final long id;
        final Map<String, String> props = new LinkedHashMap<>();
        final Instant createdAt;
        Instant updatedAt;
        boolean archived;
        Instant archivedAt;
        /** Set once merged away: the id of the object it became (HubSpot keeps routing the old id there). */
        Long mergedInto;

        Rec(long id, Instant createdAt) {
            this.id = id;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    /**
     * A change as HubSpot's webhooks report it: {@code kind} is the part of the subscription type after the dot
     * ({@code creation}, {@code propertyChange}, {@code deletion}, {@code merge}, {@code associationChange}).
     *
     * @param property the changed property and its new value ("" when cleared), for propertyChange
     * @param detail merge and association details (HubSpot's extra event fields), else null
     */
    record Change(CrmSchema.Type type, long objectId, String kind, String property, String value, Instant at,
                  ObjectNode detail) {
    }

    /** The largest {@code after} offset a search accepts, as HubSpot: at most 10,000 results per query. */
    static final int SEARCH_RESULT_CAP = 10_000;

    private final ReentrantLock lock = new ReentrantLock();
    private final Clock clock;
    private final WriteLog writes;
    private final SplittableRandom idSteps;
    private final Map<String, TreeMap<Long, Rec>> byType = new HashMap<>();
    private final Map<String, Long> lastId = new HashMap<>();
    private final Map<String, Long> emails = new HashMap<>();
    private final Set<String> appliedTraceIds = java.util.Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_TRACE_IDS;
        }
    });
    private final CrmAssociations associations = new CrmAssociations();
    private java.util.function.Consumer<Change> changeListener = c -> { };
    private long changes;
    private volatile int searchResultCap = SEARCH_RESULT_CAP;

    CrmEngine(Clock clock, WriteLog writes, long seed) {
        this.clock = clock;
        this.writes = writes;
        this.idSteps = new SplittableRandom(seed);
        long base = 100 + idSteps.nextInt(900);
        for (String type : CrmSchema.TYPES.keySet()) {
            byType.put(type, new TreeMap<>());
            lastId.put(type, base * (1 + idSteps.nextInt(9)));
        }
    }

    <T> T locked(Supplier<T> op) {
        lock.lock();
        try {
            return op.get();
        } finally {
            lock.unlock();
        }
    }

    long changes() {
        return locked(() -> changes);
    }

    /** Who hears of every change (the webhooks); called under the engine's lock, so it must only queue. */
    void onChange(java.util.function.Consumer<Change> listener) {
        this.changeListener = listener;
    }

    CrmAssociations associations() {
        return associations;
    }

    /** The most results one search query can page to (HubSpot: 10,000; tests lower it to make a backlog exceed it). */
    int searchResultCap() {
        return searchResultCap;
    }

    void searchResultCap(int cap) {
        this.searchResultCap = cap;
    }

    private void emit(CrmSchema.Type type, long id, String kind, String property, String value, Instant at,
                      ObjectNode detail) {
        changeListener.accept(new Change(type, id, kind, property, value, at, detail));
    }

    // ------------------------------------------------------------------ validation and rendering

    /**
     * Validates a {@code properties} object against the type's schema and returns the stored forms (empty string =
     * clear). Throws HubSpot's 400 listing every bad property.
     */
    Map<String, String> validate(String correlationId, CrmSchema.Type type, JsonNode properties) {
        if (properties == null || properties.isMissingNode() || properties.isNull()) {
            return Map.of();
        }
        if (!properties.isObject()) {
            throw HubSpotErrors.validation(correlationId, "Invalid input JSON: 'properties' must be an object of "
                    + "property names to string values.");
        }
        Map<String, String> out = new LinkedHashMap<>();
        List<CrmSchema.Invalid> invalid = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            CrmSchema.Prop prop = type.prop(f.getKey());
            if (prop == null) {
                invalid.add(new CrmSchema.Invalid(f.getKey(), "PROPERTY_DOESNT_EXIST",
                        "Property \"" + f.getKey() + "\" does not exist"));
                continue;
            }
            if (prop.readOnly()) {
                invalid.add(new CrmSchema.Invalid(f.getKey(), "READ_ONLY_VALUE",
                        f.getKey() + " is a read only property; its value cannot be set."));
                continue;
            }
            JsonNode v = f.getValue();
            if (v.isContainerNode()) {
                invalid.add(new CrmSchema.Invalid(f.getKey(), "INVALID_VALUE",
                        "Property values must be strings, numbers or booleans."));
                continue;
            }
            try {
                out.put(f.getKey(), CrmSchema.normalize(prop, v.isNull() ? "" : v.asText()));
            } catch (CrmSchema.InvalidValue e) {
                invalid.add(e.invalid());
            }
        }
        if (!invalid.isEmpty()) {
            throw HubSpotErrors.invalidProperties(correlationId, invalid);
        }
        return out;
    }

    /** HubSpot's object JSON; {@code requested} null means the type's default properties. */
    ObjectNode json(CrmSchema.Type type, Rec r, Collection<String> requested) {
        return json(type, r, requested, List.of());
    }

    /** HubSpot's object JSON with the {@code associations} of {@code associationTypes} (paths) when it has any. */
    ObjectNode json(CrmSchema.Type type, Rec r, Collection<String> requested, List<String> associationTypes) {
        ObjectNode n = Json.object();
        n.put("id", Long.toString(r.id));
        ObjectNode props = n.putObject("properties");
        Set<String> names = new TreeSet<>();
        if (requested == null) {
            names.addAll(type.defaults());
        } else {
            for (String p : requested) {
                if (type.prop(p) != null) {
                    names.add(p);
                }
            }
            names.add("createdate");
            names.add("hs_object_id");
            names.add(type.modifiedProp());
        }
        for (String name : names) {
            String v = r.props.get(name);
            if (v == null) {
                props.putNull(name);
            } else {
                props.put(name, v);
            }
        }
        n.put("createdAt", CrmSchema.ISO_MILLIS.format(r.createdAt));
        n.put("updatedAt", CrmSchema.ISO_MILLIS.format(r.updatedAt));
        n.put("archived", r.archived);
        if (r.archived) {
            n.put("archivedAt", CrmSchema.ISO_MILLIS.format(r.archivedAt));
        }
        if (!associationTypes.isEmpty()) {
            ObjectNode a = associations.v3(type.path(), r.id, associationTypes);
            if (!a.isEmpty()) {
                n.set("associations", a);
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ lookups

    /**
     * The object {@code id} names ({@code idProperty} null: the numeric id; {@code email}: a contact's address), or
     * null. Only archived objects when {@code archived}, only live ones otherwise.
     */
    Rec find(CrmSchema.Type type, String id, String idProperty, boolean archived) {
        Rec r = null;
        if (idProperty == null || idProperty.equals("hs_object_id")) {
            try {
                r = byType.get(type.path()).get(Long.parseLong(id.trim()));
            } catch (NumberFormatException e) {
                return null;
            }
            // A merged-away id still routes to the object it became, as HubSpot's do.
            for (int hops = 0; r != null && r.mergedInto != null && hops < 100; hops++) {
                r = byType.get(type.path()).get(r.mergedInto);
            }
        } else if (idProperty.equals(type.uniqueProp())) {
            if (archived) {
                for (Rec candidate : byType.get(type.path()).values()) {
                    if (candidate.archived && id.equalsIgnoreCase(candidate.props.get(idProperty))) {
                        r = candidate;
                    }
                }
            } else {
                Long found = emails.get(id.toLowerCase(Locale.ROOT));
                r = found == null ? null : byType.get(type.path()).get(found);
            }
        }
        return r == null || r.archived != archived ? null : r;
    }

    /** Checks an {@code idProperty} parameter; only unique properties can identify objects. */
    static void requireUniqueProperty(String correlationId, CrmSchema.Type type, String idProperty) {
        if (idProperty != null && !idProperty.equals("hs_object_id") && !idProperty.equals(type.uniqueProp())) {
            throw HubSpotErrors.validation(correlationId, "Property " + idProperty + " is not a unique identifier "
                    + "property for " + type.path() + (type.uniqueProp() == null ? "." : "; use "
                    + type.uniqueProp() + " or hs_object_id."));
        }
    }

    Map<String, List<String>> idsByType() {
        return locked(() -> {
            Map<String, List<String>> out = new LinkedHashMap<>();
            byType.forEach((type, recs) -> out.put(type, recs.keySet().stream().map(String::valueOf).toList()));
            return out;
        });
    }

    /** The ids of {@code type} merged away, each with the id it became (for tests: ids no list shows any more). */
    Map<String, String> mergedInto(String type) {
        return locked(() -> {
            Map<String, String> out = new LinkedHashMap<>();
            byType.getOrDefault(type, new TreeMap<>()).values().forEach(r -> {
                if (r.mergedInto != null) {
                    Rec end = find(CrmSchema.TYPES.get(type), Long.toString(r.id), null, false);
                    out.put(Long.toString(r.id), end == null ? Long.toString(r.mergedInto) : Long.toString(end.id));
                }
            });
            return out;
        });
    }

    /** Every property of an object (including archived ones) with the envelope, or null. */
    ObjectNode snapshot(String type, String id) {
        return locked(() -> {
            CrmSchema.Type t = CrmSchema.TYPES.get(type);
            if (t == null) {
                return null;
            }
            Rec r;
            try {
                r = byType.get(type).get(Long.parseLong(id));
            } catch (NumberFormatException e) {
                return null;
            }
            return r == null ? null : json(t, r, t.props().keySet());
        });
    }

    // ------------------------------------------------------------------ writes

    Rec create(Origin o, CrmSchema.Type type, Map<String, String> props, String operationPath) {
        String email = type.uniqueProp() == null ? null : props.get(type.uniqueProp());
        if (email != null && !email.isEmpty() && emails.containsKey(email)) {
            throw HubSpotErrors.error(409, o.requestId() == null ? "generator" : o.requestId(), "CONFLICT",
                    "Contact already exists. Existing ID: " + emails.get(email));
        }
        Instant now = clock.instant();
        long id = lastId.merge(type.path(), 1L + idSteps.nextInt(7), Long::sum);
        Rec r = new Rec(id, now);
        props.forEach((k, v) -> {
            if (!v.isEmpty()) {
                r.props.put(k, v);
            }
        });
        r.props.put("hs_object_id", Long.toString(id));
        r.props.put("createdate", CrmSchema.ISO_MILLIS.format(now));
        r.props.put(type.modifiedProp(), CrmSchema.ISO_MILLIS.format(now));
        if (type.path().equals("deals")) {
            r.props.putIfAbsent("pipeline", "default");
        }
        byType.get(type.path()).put(id, r);
        if (email != null && !email.isEmpty()) {
            emails.put(email, id);
        }
        record(o, type, r, "CREATE", props, operationPath);
        emit(type, id, "creation", null, null, now, null);
        r.props.forEach((k, v) -> emit(type, id, "propertyChange", k, v, now, null));
        return r;
    }

    Rec update(Origin o, CrmSchema.Type type, Rec r, Map<String, String> props, String operationPath) {
        String unique = type.uniqueProp();
        if (unique != null && props.containsKey(unique)) {
            String next = props.get(unique);
            Long holder = next.isEmpty() ? null : emails.get(next);
            if (holder != null && holder != r.id) {
                throw HubSpotErrors.error(409, o.requestId() == null ? "generator" : o.requestId(), "CONFLICT",
                        "Contact already exists. Existing ID: " + holder);
            }
            String previous = r.props.get(unique);
            if (previous != null) {
                emails.remove(previous);
            }
            if (!next.isEmpty()) {
                emails.put(next, r.id);
            }
        }
        Map<String, String> changed = new LinkedHashMap<>();
        props.forEach((k, v) -> {
            String before = v.isEmpty() ? r.props.remove(k) : r.props.put(k, v);
            if (!v.equals(before == null ? "" : before)) {
                changed.put(k, v);
            }
        });
        Instant now = clock.instant();
        r.updatedAt = now;
        r.props.put(type.modifiedProp(), CrmSchema.ISO_MILLIS.format(now));
        record(o, type, r, "UPDATE", props, operationPath);
        changed.forEach((k, v) -> emit(type, r.id, "propertyChange", k, v, now, null));
        return r;
    }

    void archive(Origin o, CrmSchema.Type type, Rec r) {
        if (r.archived) {
            return;
        }
        Instant now = clock.instant();
        r.archived = true;
        r.archivedAt = now;
        r.updatedAt = now;
        String unique = type.uniqueProp() == null ? null : r.props.get(type.uniqueProp());
        if (unique != null) {
            emails.remove(unique);
        }
        record(o, type, r, "ARCHIVE", Map.of(), null);
        emit(type, r.id, "deletion", null, null, now, null);
        // An archived object leaves its associations (HubSpot restores them with the object).
        dissociateAll(type, r, now);
    }

    // ------------------------------------------------------------------ associations and merges

    /**
     * Associates two objects with their default association type (both directions), keeping HubSpot's calculated
     * properties in step: a contact's {@code associatedcompanyid} (its primary company) and the
     * {@code num_associated_contacts} of companies and deals. The sandbox counts an association change as a change of
     * both objects (their last-modified dates move), so that a poller re-reads them; HubSpot does so at least where a
     * calculated property changes.
     *
     * @return false when they were associated already
     */
    boolean associate(Origin o, CrmSchema.Type fromType, Rec from, CrmSchema.Type toType, Rec to) {
        if (CrmAssociations.kind(fromType.path(), toType.path()) == null) {
            throw HubSpotErrors.validation(o.requestId() == null ? "generator" : o.requestId(), "No default "
                    + "association type from " + fromType.path() + " to " + toType.path());
        }
        if (!associations.add(fromType.path(), from.id, toType.path(), to.id)) {
            return false;
        }
        Instant now = clock.instant();
        changes++;
        if (o.isClient()) {
            writes.add(new WriteRecord(now, o.requestId(), o.method(), o.path(), fromType.path(),
                    Long.toString(from.id), "ASSOCIATE", Map.of("to", toType.path() + "/" + to.id),
                    o.idempotencyKey()));
        }
        associationChanged(fromType, from, toType, to, false, now);
        recalculate(fromType, from, now, true);
        recalculate(toType, to, now, true);
        return true;
    }

    private void associationChanged(CrmSchema.Type fromType, Rec from, CrmSchema.Type toType, Rec to,
                                    boolean removed, Instant now) {
        ObjectNode detail = Json.object();
        detail.put("fromObjectId", from.id);
        detail.put("toObjectId", to.id);
        detail.put("associationType", CrmAssociations.kind(fromType.path(), toType.path()).name()
                .toUpperCase(Locale.ROOT));
        detail.put("associationRemoved", removed);
        detail.put("isPrimaryAssociation", associations.primary(fromType.path(), from.id, toType.path(), to.id));
        emit(fromType, from.id, "associationChange", null, null, now, detail);
    }

    private void dissociateAll(CrmSchema.Type type, Rec r, Instant now) {
        associations.all(type.path(), r.id).forEach((toPath, ids) -> {
            CrmSchema.Type toType = CrmSchema.TYPES.get(toPath);
            for (long id : ids) {
                associations.remove(type.path(), r.id, toPath, id);
                Rec other = byType.get(toPath).get(id);
                if (other != null) {
                    associationChanged(type, r, toType, other, true, now);
                    recalculate(toType, other, now, true);
                }
            }
        });
    }

    /**
     * Sets the calculated association properties of {@code r}; a change of one (or {@code touched}: its associations
     * changed) updates its last-modified date.
     */
    private void recalculate(CrmSchema.Type type, Rec r, Instant now, boolean touched) {
        if (r.archived || r.mergedInto != null) {
            return;
        }
        Map<String, String> calculated = new LinkedHashMap<>();
        if (type.path().equals("contacts")) {
            List<Long> companies = associations.of("contacts", r.id, "companies");
            calculated.put("associatedcompanyid", companies.isEmpty() ? "" : Long.toString(companies.get(0)));
        } else {
            int contacts = associations.of(type.path(), r.id, "contacts").size();
            calculated.put("num_associated_contacts", contacts == 0 ? "" : Integer.toString(contacts));
        }
        Map<String, String> changed = new LinkedHashMap<>();
        calculated.forEach((k, v) -> {
            String before = r.props.getOrDefault(k, "");
            if (!before.equals(v)) {
                changed.put(k, v);
                if (v.isEmpty()) {
                    r.props.remove(k);
                } else {
                    r.props.put(k, v);
                }
            }
        });
        if (!changed.isEmpty() || touched) {
            r.updatedAt = now;
            r.props.put(type.modifiedProp(), CrmSchema.ISO_MILLIS.format(now));
            changes++;
            changed.forEach((k, v) -> emit(type, r.id, "propertyChange", k, v, now, null));
        }
    }

    /**
     * Merges {@code secondary} into {@code primary} as HubSpot does since its 2024 change for contacts and
     * companies: a <em>new</em> object with a new id takes the primary's values (the secondary's fill what the
     * primary lacks; a contact's other e-mail goes to {@code hs_additional_emails}) and both objects' associations,
     * {@code hs_merged_object_ids} lists every id merged into it (semicolon-separated), and both old ids keep routing
     * to it while they leave lists and search. Deals merge the older way: the primary keeps its id.
     *
     * @return the object that remains
     */
    Rec merge(Origin o, CrmSchema.Type type, Rec primary, Rec secondary) {
        String cid = o.requestId() == null ? "generator" : o.requestId();
        if (primary.id == secondary.id) {
            throw HubSpotErrors.validation(cid, "Cannot merge an object with itself: " + primary.id);
        }
        if (primary.archived || secondary.archived) {
            throw HubSpotErrors.validation(cid, "Cannot merge archived objects");
        }
        Instant now = clock.instant();
        List<String> merged = new ArrayList<>();
        for (Rec r : List.of(primary, secondary)) {
            String earlier = r.props.get("hs_merged_object_ids");
            if (earlier != null && !earlier.isEmpty()) {
                merged.addAll(List.of(earlier.split(";")));
            }
        }
        boolean newObject = !type.path().equals("deals");
        Rec survivor;
        if (newObject) {
            long id = lastId.merge(type.path(), 1L + idSteps.nextInt(7), Long::sum);
            survivor = new Rec(id, primary.createdAt);
            survivor.props.putAll(secondary.props);
            survivor.props.putAll(primary.props);
            merged.add(Long.toString(primary.id));
            merged.add(Long.toString(secondary.id));
            survivor.props.put("hs_object_id", Long.toString(id));
        } else {
            survivor = primary;
            secondary.props.forEach(survivor.props::putIfAbsent);
            merged.add(Long.toString(secondary.id));
        }
        survivor.props.put("hs_merged_object_ids", String.join(";", merged));
        String unique = type.uniqueProp();
        if (unique != null) {
            String kept = primary.props.get(unique);
            String other = secondary.props.get(unique);
            emails.remove(primary.props.getOrDefault(unique, ""));
            emails.remove(secondary.props.getOrDefault(unique, ""));
            if (kept == null && other != null) {
                kept = other;
                other = null;
            }
            if (kept != null) {
                survivor.props.put(unique, kept);
                emails.put(kept, survivor.id);
            }
            if (other != null && !other.equals(kept)) {
                String additional = survivor.props.get("hs_additional_emails");
                survivor.props.put("hs_additional_emails", additional == null || additional.isEmpty() ? other
                        : additional + ";" + other);
            }
        }
        survivor.updatedAt = now;
        survivor.props.put(type.modifiedProp(), CrmSchema.ISO_MILLIS.format(now));
        // The survivor takes every association of both, the primary's first (so its primary company stays).
        Map<String, List<Long>> moved = new LinkedHashMap<>();
        for (Rec r : List.of(primary, secondary)) {
            associations.all(type.path(), r.id).forEach((toType, ids) ->
                    moved.computeIfAbsent(toType, t -> new ArrayList<>()).addAll(ids));
            if (r != survivor) {
                associations.removeAll(type.path(), r.id);
            }
        }
        if (newObject) {
            byType.get(type.path()).put(survivor.id, survivor);
            primary.mergedInto = survivor.id;
        }
        secondary.mergedInto = survivor.id;
        moved.forEach((toType, ids) -> ids.forEach(id -> associations.add(type.path(), survivor.id, toType, id)));
        changes++;
        if (o.isClient()) {
            writes.add(new WriteRecord(now, o.requestId(), o.method(), o.path(), type.path(),
                    Long.toString(survivor.id), "MERGE", Map.of("primaryObjectId", Long.toString(primary.id),
                    "objectIdToMerge", Long.toString(secondary.id)), o.idempotencyKey()));
        }
        ObjectNode detail = Json.object();
        detail.put("primaryObjectId", primary.id);
        ArrayNode mergedIds = detail.putArray("mergedObjectIds");
        mergedIds.add(secondary.id);
        detail.put("newObjectId", survivor.id);
        detail.put("numberOfPropertiesMoved", secondary.props.size());
        emit(type, survivor.id, "merge", null, null, now, detail);
        moved.forEach((toType, ids) -> ids.forEach(id -> {
            Rec other = byType.get(toType).get(id);
            if (other != null) {
                recalculate(CrmSchema.TYPES.get(toType), other, now, true);
            }
        }));
        recalculate(type, survivor, now, false);
        return survivor;
    }

    private void record(Origin o, CrmSchema.Type type, Rec r, String operation, Map<String, String> props,
                        String operationPath) {
        changes++;
        if (o.isClient()) {
            writes.add(new WriteRecord(clock.instant(), o.requestId(), o.method(),
                    operationPath != null ? operationPath : o.path(), type.path(), Long.toString(r.id), operation,
                    Map.copyOf(props), o.idempotencyKey(), o.writeTraceId()));
            if (o.writeTraceId() != null) {
                appliedTraceIds.add(o.writeTraceId());
            }
        }
    }

    /**
     * Sandbox-only witness of per-change idempotency: whether a write with this {@code objectWriteTraceId} was applied
     * before (HubSpot itself only echoes the id). A repeat is counted in the write log and must not be applied again.
     */
    boolean alreadyApplied(String writeTraceId) {
        if (writeTraceId == null || writeTraceId.isEmpty() || !appliedTraceIds.contains(writeTraceId)) {
            return false;
        }
        writes.repeated();
        return true;
    }

    // ------------------------------------------------------------------ list and search

    /** One page of a list: ids ascending from {@code after} (inclusive), HubSpot's cursor being the next id. */
    ObjectNode list(CrmSchema.Type type, int limit, long after, Collection<String> properties, boolean archived,
                    String linkBase) {
        return list(type, limit, after, properties, List.of(), archived, linkBase);
    }

    /** {@link #list} with the {@code associations} of {@code associationTypes}. Merged-away objects are in neither. */
    ObjectNode list(CrmSchema.Type type, int limit, long after, Collection<String> properties,
                    List<String> associationTypes, boolean archived, String linkBase) {
        return locked(() -> {
            ObjectNode out = Json.object();
            ArrayNode results = out.putArray("results");
            Long next = null;
            for (Rec r : byType.get(type.path()).tailMap(after, true).values()) {
                if (r.archived != archived || r.mergedInto != null) {
                    continue;
                }
                if (results.size() == limit) {
                    next = r.id;
                    break;
                }
                results.add(json(type, r, properties, associationTypes));
            }
            if (next != null) {
                ObjectNode n = out.putObject("paging").putObject("next");
                n.put("after", Long.toString(next));
                n.put("link", linkBase + (linkBase.contains("?") ? "&" : "?") + "after=" + next);
            }
            return out;
        });
    }

    /** A search match with its sort value and, for a datetime property, that value's instant (null: none). */
    private record Sorted(Rec rec, String value, Instant instant) {
    }

    /** A parsed search filter. */
    record Filter(String property, String operator, String value, String highValue, List<String> values) {
    }

    /** A parsed search request. */
    record Search(List<List<Filter>> groups, String sortProperty, boolean descending, List<String> properties,
                  int limit, int after, String query) {
    }

    ObjectNode search(CrmSchema.Type type, Search s) {
        return locked(() -> {
            List<Rec> matches = new ArrayList<>();
            for (Rec r : byType.get(type.path()).values()) {
                if (!r.archived && r.mergedInto == null && matchesQuery(type, r, s.query())
                        && matchesGroups(type, r, s.groups())) {
                    matches.add(r);
                }
            }
            Comparator<Rec> byId = Comparator.comparingLong(r -> r.id);
            if (s.sortProperty() != null) {
                CrmSchema.Prop prop = type.prop(s.sortProperty());
                // Each value's instant is read once, not twice per comparison: parsing in the comparator made a
                // search over 2,000 contacts take ~100 ms, which the CRM source's benchmark then measured.
                List<Sorted> sorted = new ArrayList<>(matches.size());
                for (Rec r : matches) {
                    String v = r.props.get(prop.name());
                    sorted.add(new Sorted(r, v, v != null && prop.kind() == CrmSchema.Kind.DATETIME
                            ? CrmSchema.instant(v) : null));
                }
                Comparator<Sorted> byProp = (a, b) -> a.instant != null && b.instant != null
                        ? a.instant.compareTo(b.instant) : compareValues(prop, a.value, b.value);
                sorted.sort((s.descending() ? byProp.reversed() : byProp).thenComparingLong(x -> x.rec.id));
                matches.clear();
                sorted.forEach(x -> matches.add(x.rec));
            } else {
                matches.sort(byId);
            }
            ObjectNode out = Json.object();
            out.put("total", matches.size());
            ArrayNode results = out.putArray("results");
            int end = Math.min(matches.size(), s.after() + s.limit());
            for (int i = s.after(); i < end; i++) {
                results.add(json(type, matches.get(i), s.properties()));
            }
            if (end < matches.size()) {
                out.putObject("paging").putObject("next").put("after", Integer.toString(end));
            }
            return out;
        });
    }

    private static boolean matchesQuery(CrmSchema.Type type, Rec r, String query) {
        if (query == null || query.isBlank()) {
            return true;
        }
        String q = query.trim().toLowerCase(Locale.ROOT);
        for (String p : type.searchable()) {
            String v = r.props.get(p);
            if (v != null && v.toLowerCase(Locale.ROOT).contains(q)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesGroups(CrmSchema.Type type, Rec r, List<List<Filter>> groups) {
        if (groups.isEmpty()) {
            return true;
        }
        for (List<Filter> group : groups) {
            boolean all = true;
            for (Filter f : group) {
                if (!matches(type.prop(f.property()), r.props.get(f.property()), f)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(CrmSchema.Prop prop, String actual, Filter f) {
        return switch (f.operator()) {
            case "HAS_PROPERTY" -> actual != null;
            case "NOT_HAS_PROPERTY" -> actual == null;
            case "EQ" -> actual != null && compareValues(prop, actual, f.value()) == 0;
            case "NEQ" -> actual == null || compareValues(prop, actual, f.value()) != 0;
            case "LT" -> actual != null && compareValues(prop, actual, f.value()) < 0;
            case "LTE" -> actual != null && compareValues(prop, actual, f.value()) <= 0;
            case "GT" -> actual != null && compareValues(prop, actual, f.value()) > 0;
            case "GTE" -> actual != null && compareValues(prop, actual, f.value()) >= 0;
            case "BETWEEN" -> actual != null && compareValues(prop, actual, f.value()) >= 0
                    && compareValues(prop, actual, f.highValue()) <= 0;
            case "IN" -> actual != null && f.values().stream().anyMatch(v -> compareValues(prop, actual, v) == 0);
            case "NOT_IN" -> actual == null || f.values().stream().noneMatch(v -> compareValues(prop, actual, v) == 0);
            case "CONTAINS_TOKEN" -> actual != null && containsToken(actual, f.value());
            case "NOT_CONTAINS_TOKEN" -> actual == null || !containsToken(actual, f.value());
            default -> false;
        };
    }

    private static boolean containsToken(String actual, String token) {
        return actual.toLowerCase(Locale.ROOT).contains(token.replace("*", "").toLowerCase(Locale.ROOT));
    }

    /** Orders two values the way the property's type does; unset values sort first. */
    static int compareValues(CrmSchema.Prop prop, String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        switch (prop.kind()) {
            case DATETIME -> {
                Instant x = CrmSchema.instant(a);
                Instant y = CrmSchema.instant(b);
                if (x != null && y != null) {
                    return x.compareTo(y);
                }
            }
            case NUMBER -> {
                try {
                    return new BigDecimal(a.trim()).compareTo(new BigDecimal(b.trim()));
                } catch (NumberFormatException e) {
                    // fall through to text
                }
            }
            default -> {
                // text below
            }
        }
        return a.compareToIgnoreCase(b);
    }

    // ------------------------------------------------------------------ batch

    /** The outcome of one batch: results, per-input errors, and whether any input failed. */
    record BatchOutcome(ArrayNode results, ArrayNode errors) {
    }

    static ObjectNode batchError(ApiException e, ObjectNode context) {
        JsonNode body = e.response().body();
        ObjectNode err = Json.object();
        err.put("status", "error");
        err.put("category", body.path("category").asText("VALIDATION_ERROR"));
        err.put("message", body.path("message").asText());
        err.set("context", context);
        return err;
    }

    static ObjectNode idsContext(String... ids) {
        ObjectNode c = Json.object();
        ArrayNode arr = c.putArray("ids");
        for (String id : ids) {
            arr.add(id);
        }
        return c;
    }

    /** Rejects duplicates in a batch as HubSpot does (the whole batch fails). */
    static void requireDistinct(String correlationId, List<String> ids) {
        Set<String> seen = new LinkedHashSet<>();
        Set<String> dups = new TreeSet<>();
        for (String id : ids) {
            if (!seen.add(id.toLowerCase(Locale.ROOT))) {
                dups.add(id);
            }
        }
        if (!dups.isEmpty()) {
            throw HubSpotErrors.validation(correlationId, "Duplicate IDs found in batch input: " + dups
                    + ". IDs must be unique");
        }
    }
}
