package io.syncline.sandbox.crm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.ApiException;
import io.syncline.sandbox.core.ApiHandler;
import io.syncline.sandbox.core.ApiRequest;
import io.syncline.sandbox.core.ApiResponse;
import io.syncline.sandbox.core.IdempotencyCache;
import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.core.RollingWindowRateLimiter;
import io.syncline.sandbox.core.SandboxServer;

/** HubSpot CRM v3 object endpoints: list, read, create, update, archive, search and batch operations. */
final class CrmApi {

    static final int MAX_LIST_LIMIT = 100;
    static final int MAX_SEARCH_LIMIT = 200;
    static final int MAX_FILTER_GROUPS = 5;
    static final int MAX_FILTERS = 25;
    static final int MAX_BATCH = 100;
    static final int MAX_ASSOCIATION_BATCH = 1_000;
    private static final Set<String> OPERATORS = Set.of("EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN",
            "NOT_IN", "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN");

    private final CrmEngine engine;
    private final IdempotencyCache idempotency;
    private final RollingWindowRateLimiter searchLimiter;
    private final java.time.Clock clock;

    CrmApi(CrmEngine engine, IdempotencyCache idempotency, RollingWindowRateLimiter searchLimiter,
           java.time.Clock clock) {
        this.engine = engine;
        this.idempotency = idempotency;
        this.searchLimiter = searchLimiter;
        this.clock = clock;
    }

    void register(SandboxServer.Routes r) {
        String base = "/crm/v3/objects/{type}";
        r.get(base, this::list);
        r.post(base, idempotent(this::create));
        r.get(base + "/{id}", this::read);
        r.patch(base + "/{id}", idempotent(this::update));
        r.delete(base + "/{id}", idempotent(this::archive));
        r.post(base + "/search", this::search);
        r.post(base + "/batch/read", this::batchRead);
        r.post(base + "/batch/create", idempotent(this::batchCreate));
        r.post(base + "/batch/update", idempotent(this::batchUpdate));
        r.post(base + "/batch/upsert", idempotent(this::batchUpsert));
        r.post(base + "/batch/archive", idempotent(this::batchArchive));
        r.post(base + "/merge", idempotent(this::merge));
        r.post("/crm/v4/associations/{fromType}/{toType}/batch/read", this::associationsBatchRead);
        r.put("/crm/v4/objects/{type}/{id}/associations/default/{toType}/{toId}", idempotent(this::associateDefault));
    }

    // ------------------------------------------------------------------ plumbing

    private static CrmSchema.Type type(ApiRequest req) {
        return type(req, req.pathParam("type"));
    }

    /** An object type by its path ({@code contacts}), singular ({@code contact}) or type id ({@code 0-1}). */
    private static CrmSchema.Type type(ApiRequest req, String name) {
        for (CrmSchema.Type t : CrmSchema.TYPES.values()) {
            if (t.path().equals(name) || t.objectTypeId().equals(name) || t.singular().equals(name)) {
                return t;
            }
        }
        throw HubSpotErrors.validation(req.requestId(), "Unable to infer object type from: " + name);
    }

    /** The {@code associations} query parameter as type paths (comma-separated and/or repeated); empty when absent. */
    private static List<String> associationTypes(ApiRequest req, CrmSchema.Type from) {
        List<String> out = new ArrayList<>();
        for (String v : req.queryValues("associations")) {
            for (String name : v.split(",")) {
                if (name.isBlank()) {
                    continue;
                }
                CrmSchema.Type to = type(req, name.trim());
                if (CrmAssociations.kind(from.path(), to.path()) == null) {
                    throw HubSpotErrors.validation(req.requestId(), "There is no association type between "
                            + from.path() + " and " + to.path());
                }
                if (!out.contains(to.path())) {
                    out.add(to.path());
                }
            }
        }
        return out;
    }

    private static CrmEngine.Origin origin(ApiRequest req) {
        return new CrmEngine.Origin(req.requestId(), req.method(), req.path(), req.header("Idempotency-Key"));
    }

    /**
     * Sandbox-only: a repeated {@code Idempotency-Key} on a write gets the first answer again instead of a second
     * application. Real HubSpot ignores this header; our sink must not rely on it outside tests.
     */
    private ApiHandler idempotent(ApiHandler handler) {
        return req -> {
            String key = req.header("Idempotency-Key");
            if (key == null || key.isEmpty()) {
                return handler.handle(req);
            }
            String fingerprint = req.method() + " " + req.path() + "?" + req.queryString() + " "
                    + (req.body() == null ? "" : req.body().trim());
            IdempotencyCache.Outcome outcome = idempotency.begin(req.principal(), key, fingerprint);
            if (outcome instanceof IdempotencyCache.Replay replay) {
                return replay.response().withHeader("Idempotent-Replayed", "true");
            }
            if (outcome instanceof IdempotencyCache.Mismatch) {
                throw HubSpotErrors.validation(req.requestId(), "Idempotency-Key " + key + " was already used for a "
                        + "different request (a Syncline sandbox check; HubSpot itself ignores this header).");
            }
            if (outcome instanceof IdempotencyCache.InFlight) {
                throw HubSpotErrors.error(409, req.requestId(), "CONFLICT", "A request with Idempotency-Key " + key
                        + " is still in progress.");
            }
            // HubSpot-like: any answer but a server error is final for the key.
            return idempotency.execute(req.principal(), key, req, handler, resp -> resp.status() < 500, resp -> resp);
        };
    }

    /** A batch input's {@code objectWriteTraceId}, or null. */
    private static String writeTraceId(JsonNode input) {
        JsonNode t = input.path("objectWriteTraceId");
        return t.isTextual() && !t.asText().isEmpty() ? t.asText() : null;
    }

    /** A batch result echoes its input's {@code objectWriteTraceId}, as HubSpot's do. */
    private static ObjectNode traced(ObjectNode result, String trace) {
        if (trace != null) {
            result.put("objectWriteTraceId", trace);
        }
        return result;
    }

    /** The {@code properties} query parameter: comma-separated and/or repeated; null when absent. */
    private static List<String> properties(ApiRequest req) {
        List<String> values = req.queryValues("properties");
        if (values.isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String p : v.split(",")) {
                if (!p.isBlank()) {
                    out.add(p.trim());
                }
            }
        }
        return out;
    }

    private static boolean archivedParam(ApiRequest req) {
        String v = req.queryValues("archived").isEmpty() ? null : req.queryValues("archived").get(0);
        if (v == null) {
            return false;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw HubSpotErrors.validation(req.requestId(), "Invalid archived: " + v + " (expected true or false)");
        }
        return v.equals("true");
    }

    private static String single(ApiRequest req, String name) {
        List<String> v = req.queryValues(name);
        return v.isEmpty() ? null : v.get(0);
    }

    private static JsonNode body(ApiRequest req) {
        JsonNode body = req.json();
        if (!body.isObject()) {
            throw HubSpotErrors.validation(req.requestId(), "Invalid input JSON: expected an object.");
        }
        return body;
    }

    private static List<String> stringList(ApiRequest req, JsonNode node, String field) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw HubSpotErrors.validation(req.requestId(), "Invalid input JSON: '" + field + "' must be an array of "
                    + "strings.");
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    // ------------------------------------------------------------------ single objects

    private ApiResponse list(ApiRequest req) {
        CrmSchema.Type type = type(req);
        String limitText = single(req, "limit");
        int limit = 10;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                throw HubSpotErrors.validation(req.requestId(), "Invalid limit: " + limitText);
            }
            if (limit < 1 || limit > MAX_LIST_LIMIT) {
                throw HubSpotErrors.validation(req.requestId(), "limit must be between 1 and " + MAX_LIST_LIMIT
                        + ", got " + limit);
            }
        }
        String afterText = single(req, "after");
        long after = 0;
        if (afterText != null && !afterText.isEmpty()) {
            try {
                after = Long.parseLong(afterText);
            } catch (NumberFormatException e) {
                throw HubSpotErrors.validation(req.requestId(), "Invalid after: " + afterText
                        + " (use the paging.next.after value of the previous page)");
            }
        }
        List<String> props = properties(req);
        List<String> associations = associationTypes(req, type);
        String link = req.baseUrl() + "/crm/v3/objects/" + type.path() + "?limit=" + limit
                + (props == null ? "" : "&properties=" + String.join(",", props))
                + (associations.isEmpty() ? "" : "&associations=" + String.join(",", associations));
        return ApiResponse.ok(engine.list(type, limit, after, props, associations, archivedParam(req), link));
    }

    private ApiResponse read(ApiRequest req) {
        CrmSchema.Type type = type(req);
        String idProperty = single(req, "idProperty");
        CrmEngine.requireUniqueProperty(req.requestId(), type, idProperty);
        boolean archived = archivedParam(req);
        List<String> props = properties(req);
        List<String> associations = associationTypes(req, type);
        return engine.locked(() -> {
            CrmEngine.Rec r = engine.find(type, req.pathParam("id"), idProperty, archived);
            if (r == null) {
                throw HubSpotErrors.objectNotFound(req.requestId());
            }
            return ApiResponse.ok(engine.json(type, r, props, associations));
        });
    }

    private ApiResponse create(ApiRequest req) {
        CrmSchema.Type type = type(req);
        JsonNode body = body(req);
        Map<String, String> props = engine.validate(req.requestId(), type, body.path("properties"));
        List<Map.Entry<CrmSchema.Type, String>> associateWith = createAssociations(req, type, body.path("associations"));
        return engine.locked(() -> {
            List<CrmEngine.Rec> targets = new ArrayList<>();
            for (Map.Entry<CrmSchema.Type, String> a : associateWith) {
                CrmEngine.Rec to = engine.find(a.getKey(), a.getValue(), null, false);
                if (to == null) {
                    throw HubSpotErrors.validation(req.requestId(), "Cannot associate with " + a.getKey().singular()
                            + " " + a.getValue() + ": it does not exist");
                }
                targets.add(to);
            }
            CrmEngine.Rec created = engine.create(origin(req), type, props, null);
            for (int i = 0; i < targets.size(); i++) {
                engine.associate(origin(req), type, created, associateWith.get(i).getKey(), targets.get(i));
            }
            return ApiResponse.json(201, engine.json(type, created, null));
        });
    }

    /**
     * The {@code associations} of a create body, {@code [{"to":{"id":"7"},"types":[{"associationCategory":
     * "HUBSPOT_DEFINED","associationTypeId":279}]}]}: the type id names the associated object type.
     */
    private static List<Map.Entry<CrmSchema.Type, String>> createAssociations(ApiRequest req, CrmSchema.Type from,
                                                                            JsonNode associations) {
        List<Map.Entry<CrmSchema.Type, String>> out = new ArrayList<>();
        if (associations.isMissingNode() || associations.isNull()) {
            return out;
        }
        if (!associations.isArray()) {
            throw HubSpotErrors.validation(req.requestId(), "Invalid input JSON: 'associations' must be an array.");
        }
        for (JsonNode a : associations) {
            String to = a.path("to").path("id").asText("");
            int typeId = a.path("types").path(0).path("associationTypeId").asInt(-1);
            CrmAssociations.Kind kind = CrmAssociations.KINDS.values().stream()
                    .filter(k -> k.from().equals(from.path()) && (k.typeId() == typeId || k.primaryTypeId() == typeId))
                    .findFirst().orElseThrow(() -> HubSpotErrors.validation(req.requestId(), "associationTypeId "
                            + typeId + " is not a HUBSPOT_DEFINED association type from " + from.path()));
            if (to.isEmpty()) {
                throw HubSpotErrors.validation(req.requestId(), "associations[].to.id is required");
            }
            out.add(Map.entry(CrmSchema.TYPES.get(kind.to()), to));
        }
        return out;
    }

    // ------------------------------------------------------------------ merges and associations

    /** {@code POST /crm/v3/objects/{type}/merge} with {@code primaryObjectId} and {@code objectIdToMerge}. */
    private ApiResponse merge(ApiRequest req) {
        CrmSchema.Type type = type(req);
        JsonNode body = body(req);
        String primaryId = body.path("primaryObjectId").asText("");
        String mergeId = body.path("objectIdToMerge").asText("");
        if (primaryId.isEmpty() || mergeId.isEmpty()) {
            throw HubSpotErrors.validation(req.requestId(), "primaryObjectId and objectIdToMerge are required");
        }
        return engine.locked(() -> {
            CrmEngine.Rec primary = engine.find(type, primaryId, null, false);
            CrmEngine.Rec secondary = engine.find(type, mergeId, null, false);
            if (primary == null || secondary == null) {
                throw HubSpotErrors.objectNotFound(req.requestId());
            }
            return ApiResponse.ok(engine.json(type, engine.merge(origin(req), type, primary, secondary), null));
        });
    }

    /** {@code POST /crm/v4/associations/{from}/{to}/batch/read}: the associations of up to 1,000 objects. */
    private ApiResponse associationsBatchRead(ApiRequest req) {
        CrmSchema.Type from = type(req, req.pathParam("fromType"));
        CrmSchema.Type to = type(req, req.pathParam("toType"));
        if (CrmAssociations.kind(from.path(), to.path()) == null) {
            throw HubSpotErrors.validation(req.requestId(), "There is no association type between " + from.path()
                    + " and " + to.path());
        }
        JsonNode inputs = body(req).path("inputs");
        if (!inputs.isArray() || inputs.isEmpty()) {
            throw HubSpotErrors.validation(req.requestId(), "Invalid input JSON: 'inputs' must be a non-empty array.");
        }
        if (inputs.size() > MAX_ASSOCIATION_BATCH) {
            throw HubSpotErrors.validation(req.requestId(), "Too many inputs: " + inputs.size() + "; at most "
                    + MAX_ASSOCIATION_BATCH);
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            ids.add(inputId(req, inputs.get(i), i));
        }
        Instant started = clock.instant();
        return engine.locked(() -> {
            ArrayNode results = Json.MAPPER.createArrayNode();
            ArrayNode errors = Json.MAPPER.createArrayNode();
            for (String id : new LinkedHashSet<>(ids)) {
                CrmEngine.Rec r = engine.find(from, id, null, false);
                ObjectNode result = r == null ? null : engine.associations().v4(from.path(), r.id, to.path());
                if (result == null) {
                    // HubSpot reports an object without associations of the type (or none at all) as an error.
                    ObjectNode err = errors.addObject();
                    err.put("status", "error");
                    err.put("category", "OBJECT_NOT_FOUND");
                    err.put("subCategory", "crm.associations.NO_ASSOCIATIONS_FOUND");
                    err.putObject("context").putArray("fromObjectId").add(id);
                    err.put("message", "No " + to.singular() + " is associated with " + from.singular() + " " + id
                            + ".");
                } else {
                    results.add(result);
                }
            }
            return batchResponse(started, results, errors, 200);
        });
    }

    /** {@code PUT /crm/v4/objects/{type}/{id}/associations/default/{toType}/{toId}}: the default association. */
    private ApiResponse associateDefault(ApiRequest req) {
        CrmSchema.Type from = type(req);
        CrmSchema.Type to = type(req, req.pathParam("toType"));
        return engine.locked(() -> {
            CrmEngine.Rec a = engine.find(from, req.pathParam("id"), null, false);
            CrmEngine.Rec b = engine.find(to, req.pathParam("toId"), null, false);
            if (a == null || b == null) {
                throw HubSpotErrors.objectNotFound(req.requestId());
            }
            engine.associate(origin(req), from, a, to, b);
            ObjectNode out = Json.object();
            out.put("status", "COMPLETE");
            ObjectNode result = out.putArray("results").addObject();
            result.putObject("from").put("id", Long.toString(a.id));
            result.putObject("to").put("id", Long.toString(b.id));
            CrmAssociations.Kind kind = CrmAssociations.kind(from.path(), to.path());
            result.putObject("associationSpec").put("associationCategory", "HUBSPOT_DEFINED")
                    .put("associationTypeId", kind.typeId());
            return ApiResponse.ok(out);
        });
    }

    private ApiResponse update(ApiRequest req) {
        CrmSchema.Type type = type(req);
        String idProperty = single(req, "idProperty");
        CrmEngine.requireUniqueProperty(req.requestId(), type, idProperty);
        JsonNode body = body(req);
        Map<String, String> props = engine.validate(req.requestId(), type, body.path("properties"));
        return engine.locked(() -> {
            CrmEngine.Rec r = engine.find(type, req.pathParam("id"), idProperty, false);
            if (r == null) {
                throw HubSpotErrors.objectNotFound(req.requestId());
            }
            return ApiResponse.ok(engine.json(type, engine.update(origin(req), type, r, props, null), null));
        });
    }

    private ApiResponse archive(ApiRequest req) {
        CrmSchema.Type type = type(req);
        return engine.locked(() -> {
            CrmEngine.Rec r = engine.find(type, req.pathParam("id"), null, false);
            if (r == null) {
                r = engine.find(type, req.pathParam("id"), null, true);
                if (r == null) {
                    throw HubSpotErrors.objectNotFound(req.requestId());
                }
            }
            engine.archive(origin(req), type, r);
            return ApiResponse.empty(204);
        });
    }

    // ------------------------------------------------------------------ search

    private ApiResponse search(ApiRequest req) {
        CrmSchema.Type type = type(req);
        if (searchLimiter != null) {
            String key = req.principal() == null ? req.remoteAddress() : req.principal();
            if (!searchLimiter.tryAcquire(key).isZero()) {
                return HubSpotDialect.secondly(req.requestId());
            }
        }
        CrmEngine.Search s = parseSearch(req, type, body(req));
        return ApiResponse.ok(engine.search(type, s));
    }

    private CrmEngine.Search parseSearch(ApiRequest req, CrmSchema.Type type, JsonNode body) {
        String cid = req.requestId();
        int limit = 10;
        if (body.has("limit")) {
            if (!body.get("limit").canConvertToInt()) {
                throw HubSpotErrors.validation(cid, "Invalid limit: " + body.get("limit"));
            }
            limit = body.get("limit").asInt();
            if (limit < 1 || limit > MAX_SEARCH_LIMIT) {
                throw HubSpotErrors.validation(cid, "limit must be between 1 and " + MAX_SEARCH_LIMIT + ", got "
                        + limit);
            }
        }
        int after = 0;
        if (body.has("after") && !body.get("after").isNull() && !body.get("after").asText().isEmpty()) {
            try {
                after = Integer.parseInt(body.get("after").asText().trim());
            } catch (NumberFormatException e) {
                throw HubSpotErrors.validation(cid, "Invalid after: " + body.get("after"));
            }
            if (after < 0) {
                throw HubSpotErrors.validation(cid, "Invalid after: " + after);
            }
            if (after >= engine.searchResultCap()) {
                throw HubSpotErrors.validation(cid, "Search results are limited to " + engine.searchResultCap()
                        + " per query; 'after' was " + after + ". Narrow the query (e.g. move the "
                        + type.modifiedProp() + " window forward) instead of paging further.");
            }
        }
        List<List<CrmEngine.Filter>> groups = new ArrayList<>();
        JsonNode fg = body.path("filterGroups");
        if (!fg.isMissingNode() && !fg.isNull()) {
            if (!fg.isArray()) {
                throw HubSpotErrors.validation(cid, "Invalid input JSON: 'filterGroups' must be an array.");
            }
            if (fg.size() > MAX_FILTER_GROUPS) {
                throw HubSpotErrors.validation(cid, "Too many filter groups: " + fg.size() + " (at most "
                        + MAX_FILTER_GROUPS + ")");
            }
            int total = 0;
            for (JsonNode g : fg) {
                List<CrmEngine.Filter> filters = new ArrayList<>();
                for (JsonNode f : g.path("filters")) {
                    filters.add(parseFilter(cid, type, f));
                }
                total += filters.size();
                groups.add(filters);
            }
            if (total > MAX_FILTERS) {
                throw HubSpotErrors.validation(cid, "Too many filters: " + total + " (at most " + MAX_FILTERS
                        + " across all filter groups)");
            }
        }
        String sortProperty = null;
        boolean descending = false;
        JsonNode sorts = body.path("sorts");
        if (sorts.isArray() && !sorts.isEmpty()) {
            if (sorts.size() > 1) {
                throw HubSpotErrors.validation(cid, "Only one sort is supported, got " + sorts.size());
            }
            JsonNode sort = sorts.get(0);
            if (sort.isTextual()) {
                String text = sort.asText();
                descending = text.startsWith("-");
                sortProperty = descending ? text.substring(1) : text;
            } else {
                sortProperty = sort.path("propertyName").asText(null);
                String direction = sort.path("direction").asText("ASCENDING");
                if (!direction.equals("ASCENDING") && !direction.equals("DESCENDING")) {
                    throw HubSpotErrors.validation(cid, "Invalid sort direction: " + direction
                            + " (ASCENDING or DESCENDING)");
                }
                descending = direction.equals("DESCENDING");
            }
            if (sortProperty == null || type.prop(sortProperty) == null) {
                throw HubSpotErrors.validation(cid, "Cannot sort by unknown property: " + sortProperty);
            }
        }
        List<String> props = stringList(req, body.get("properties"), "properties");
        String query = body.path("query").isTextual() ? body.get("query").asText() : null;
        return new CrmEngine.Search(groups, sortProperty, descending, props, limit, after, query);
    }

    private static CrmEngine.Filter parseFilter(String cid, CrmSchema.Type type, JsonNode f) {
        String property = f.path("propertyName").asText(null);
        String operator = f.path("operator").asText(null);
        if (property == null || type.prop(property) == null) {
            throw HubSpotErrors.validation(cid, "There was a problem with the request: filter property '" + property
                    + "' does not exist on " + type.path());
        }
        if (operator == null || !OPERATORS.contains(operator)) {
            throw HubSpotErrors.validation(cid, "Invalid filter operator: " + operator + "; one of "
                    + OPERATORS.stream().sorted().toList());
        }
        String value = f.hasNonNull("value") ? f.get("value").asText() : null;
        String high = f.hasNonNull("highValue") ? f.get("highValue").asText() : null;
        List<String> values = new ArrayList<>();
        f.path("values").forEach(v -> values.add(v.asText()));
        boolean needsValue = !operator.equals("HAS_PROPERTY") && !operator.equals("NOT_HAS_PROPERTY")
                && !operator.equals("IN") && !operator.equals("NOT_IN");
        if (needsValue && value == null) {
            throw HubSpotErrors.validation(cid, "Filter on " + property + " with operator " + operator
                    + " needs a 'value'");
        }
        if (operator.equals("BETWEEN") && high == null) {
            throw HubSpotErrors.validation(cid, "Filter on " + property + " with operator BETWEEN needs a "
                    + "'highValue'");
        }
        if ((operator.equals("IN") || operator.equals("NOT_IN")) && values.isEmpty()) {
            throw HubSpotErrors.validation(cid, "Filter on " + property + " with operator " + operator
                    + " needs 'values'");
        }
        return new CrmEngine.Filter(property, operator, value, high, values);
    }

    // ------------------------------------------------------------------ batch

    private static ArrayNode inputs(ApiRequest req, JsonNode body) {
        JsonNode inputs = body.path("inputs");
        if (!inputs.isArray() || inputs.isEmpty()) {
            throw HubSpotErrors.validation(req.requestId(), "Invalid input JSON: 'inputs' must be a non-empty array.");
        }
        if (inputs.size() > MAX_BATCH) {
            throw HubSpotErrors.validation(req.requestId(), "Too many inputs: " + inputs.size() + "; batch endpoints "
                    + "accept at most " + MAX_BATCH);
        }
        return (ArrayNode) inputs;
    }

    private ApiResponse batchResponse(Instant started, ArrayNode results, ArrayNode errors, int okStatus) {
        ObjectNode out = Json.object();
        out.put("status", "COMPLETE");
        out.set("results", results);
        if (!errors.isEmpty()) {
            out.put("numErrors", errors.size());
            out.set("errors", errors);
        }
        out.put("startedAt", CrmSchema.ISO_MILLIS.format(started));
        out.put("completedAt", CrmSchema.ISO_MILLIS.format(clock.instant()));
        return ApiResponse.json(errors.isEmpty() ? okStatus : 207, out);
    }

    private static String inputId(ApiRequest req, JsonNode input, int index) {
        JsonNode id = input.path("id");
        if (!id.isValueNode() || id.asText().isEmpty()) {
            throw HubSpotErrors.validation(req.requestId(), "inputs[" + index + "].id is required");
        }
        return id.asText();
    }

    private ApiResponse batchRead(ApiRequest req) {
        CrmSchema.Type type = type(req);
        JsonNode body = body(req);
        ArrayNode inputs = inputs(req, body);
        String idProperty = body.path("idProperty").asText(null);
        CrmEngine.requireUniqueProperty(req.requestId(), type, idProperty);
        List<String> props = stringList(req, body.get("properties"), "properties");
        boolean archived = archivedParam(req);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            ids.add(inputId(req, inputs.get(i), i));
        }
        Instant started = clock.instant();
        return engine.locked(() -> {
            ArrayNode results = Json.MAPPER.createArrayNode();
            List<String> missing = new ArrayList<>();
            for (String id : new LinkedHashSet<>(ids)) {
                CrmEngine.Rec r = engine.find(type, id, idProperty, archived);
                if (r == null) {
                    missing.add(id);
                } else {
                    results.add(engine.json(type, r, props));
                }
            }
            ArrayNode errors = Json.MAPPER.createArrayNode();
            if (!missing.isEmpty()) {
                ObjectNode err = errors.addObject();
                err.put("status", "error");
                err.put("category", "OBJECT_NOT_FOUND");
                err.put("message", "Could not get some " + type.singular().toUpperCase(java.util.Locale.ROOT)
                        + " objects, they may be deleted or not exist. Check that ids are valid.");
                err.set("context", CrmEngine.idsContext(missing.toArray(String[]::new)));
            }
            return batchResponse(started, results, errors, 200);
        });
    }

    private ApiResponse batchCreate(ApiRequest req) {
        CrmSchema.Type type = type(req);
        ArrayNode inputs = inputs(req, body(req));
        Instant started = clock.instant();
        String path = req.path();
        return engine.locked(() -> {
            ArrayNode results = Json.MAPPER.createArrayNode();
            ArrayNode errors = Json.MAPPER.createArrayNode();
            for (int i = 0; i < inputs.size(); i++) {
                try {
                    Map<String, String> props = engine.validate(req.requestId(), type, inputs.get(i).path("properties"));
                    results.add(engine.json(type, engine.create(origin(req), type, props, path), null));
                } catch (ApiException e) {
                    ObjectNode context = Json.object();
                    context.putArray("inputs").add(i);
                    errors.add(CrmEngine.batchError(e, context));
                }
            }
            return batchResponse(started, results, errors, 201);
        });
    }

    private ApiResponse batchUpdate(ApiRequest req) {
        CrmSchema.Type type = type(req);
        JsonNode body = body(req);
        ArrayNode inputs = inputs(req, body);
        String defaultIdProperty = body.path("idProperty").asText(null);
        List<String> ids = new ArrayList<>();
        List<String> idProperties = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode input = inputs.get(i);
            ids.add(inputId(req, input, i));
            String idProperty = input.path("idProperty").asText(defaultIdProperty);
            CrmEngine.requireUniqueProperty(req.requestId(), type, idProperty);
            idProperties.add(idProperty);
        }
        CrmEngine.requireDistinct(req.requestId(), ids);
        Instant started = clock.instant();
        return engine.locked(() -> {
            ArrayNode results = Json.MAPPER.createArrayNode();
            ArrayNode errors = Json.MAPPER.createArrayNode();
            for (int i = 0; i < inputs.size(); i++) {
                try {
                    Map<String, String> values = engine.validate(req.requestId(), type,
                            inputs.get(i).path("properties"));
                    CrmEngine.Rec r = engine.find(type, ids.get(i), idProperties.get(i), false);
                    if (r == null) {
                        throw HubSpotErrors.objectNotFound(req.requestId());
                    }
                    String trace = writeTraceId(inputs.get(i));
                    if (!engine.alreadyApplied(trace)) {
                        engine.update(origin(req).withWriteTraceId(trace), type, r, values, req.path());
                    }
                    results.add(traced(engine.json(type, r, null), trace));
                } catch (ApiException e) {
                    errors.add(CrmEngine.batchError(e, CrmEngine.idsContext(ids.get(i))));
                }
            }
            return batchResponse(started, results, errors, 200);
        });
    }

    private ApiResponse batchUpsert(ApiRequest req) {
        CrmSchema.Type type = type(req);
        ArrayNode inputs = inputs(req, body(req));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode input = inputs.get(i);
            ids.add(inputId(req, input, i));
            String idProperty = input.path("idProperty").asText(null);
            if (idProperty == null || type.uniqueProp() == null || !idProperty.equals(type.uniqueProp())) {
                throw HubSpotErrors.validation(req.requestId(), "inputs[" + i + "].idProperty must name a unique "
                        + "property of " + type.path() + (type.uniqueProp() == null ? " (this sandbox has none for "
                        + type.path() + ")" : ": " + type.uniqueProp()));
            }
        }
        CrmEngine.requireDistinct(req.requestId(), ids);
        Instant started = clock.instant();
        return engine.locked(() -> {
            ArrayNode results = Json.MAPPER.createArrayNode();
            ArrayNode errors = Json.MAPPER.createArrayNode();
            for (int i = 0; i < inputs.size(); i++) {
                try {
                    Map<String, String> values = new LinkedHashMap<>(engine.validate(req.requestId(), type,
                            inputs.get(i).path("properties")));
                    String unique = type.uniqueProp();
                    CrmEngine.Rec r = engine.find(type, ids.get(i), unique, false);
                    String trace = writeTraceId(inputs.get(i));
                    CrmEngine.Origin origin = origin(req).withWriteTraceId(trace);
                    ObjectNode json;
                    if (r == null) {
                        values.putIfAbsent(unique, CrmSchema.normalize(type.prop(unique), ids.get(i)));
                        json = engine.json(type, engine.create(origin, type, values, req.path()), null);
                        json.put("new", true);
                    } else if (engine.alreadyApplied(trace)) {
                        // Sandbox witness: this change was applied before (a batch rebuilt after a restart);
                        // HubSpot would apply it again, which an upsert of the same values makes harmless.
                        json = engine.json(type, r, null);
                        json.put("new", false);
                    } else {
                        json = engine.json(type, engine.update(origin, type, r, values, req.path()), null);
                        json.put("new", false);
                    }
                    results.add(traced(json, trace));
                } catch (CrmSchema.InvalidValue e) {
                    errors.add(CrmEngine.batchError(HubSpotErrors.invalidProperties(req.requestId(),
                            List.of(e.invalid())), CrmEngine.idsContext(ids.get(i))));
                } catch (ApiException e) {
                    errors.add(CrmEngine.batchError(e, CrmEngine.idsContext(ids.get(i))));
                }
            }
            return batchResponse(started, results, errors, 200);
        });
    }

    private ApiResponse batchArchive(ApiRequest req) {
        CrmSchema.Type type = type(req);
        ArrayNode inputs = inputs(req, body(req));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            ids.add(inputId(req, inputs.get(i), i));
        }
        return engine.locked(() -> {
            for (String id : ids) {
                CrmEngine.Rec r = engine.find(type, id, null, false);
                if (r != null) {
                    engine.archive(origin(req), type, r);
                }
            }
            return ApiResponse.empty(204);
        });
    }
}
