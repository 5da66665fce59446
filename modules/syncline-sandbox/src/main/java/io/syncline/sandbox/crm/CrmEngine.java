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

        Rec(long id, Instant createdAt) {
            this.id = id;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
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
    private long changes;

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
        props.forEach((k, v) -> {
            if (v.isEmpty()) {
                r.props.remove(k);
            } else {
                r.props.put(k, v);
            }
        });
        Instant now = clock.instant();
        r.updatedAt = now;
        r.props.put(type.modifiedProp(), CrmSchema.ISO_MILLIS.format(now));
        record(o, type, r, "UPDATE", props, operationPath);
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
        return locked(() -> {
            ObjectNode out = Json.object();
            ArrayNode results = out.putArray("results");
            Long next = null;
            for (Rec r : byType.get(type.path()).tailMap(after, true).values()) {
                if (r.archived != archived) {
                    continue;
                }
                if (results.size() == limit) {
                    next = r.id;
                    break;
                }
                results.add(json(type, r, properties));
            }
            if (next != null) {
                ObjectNode n = out.putObject("paging").putObject("next");
                n.put("after", Long.toString(next));
                n.put("link", linkBase + (linkBase.contains("?") ? "&" : "?") + "after=" + next);
            }
            return out;
        });
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
                if (!r.archived && matchesQuery(type, r, s.query()) && matchesGroups(type, r, s.groups())) {
                    matches.add(r);
                }
            }
            Comparator<Rec> byId = Comparator.comparingLong(r -> r.id);
            if (s.sortProperty() != null) {
                CrmSchema.Prop prop = type.prop(s.sortProperty());
                Comparator<Rec> byProp = (a, b) -> compareValues(prop, a.props.get(prop.name()),
                        b.props.get(prop.name()));
                matches.sort((s.descending() ? byProp.reversed() : byProp).thenComparing(byId));
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
