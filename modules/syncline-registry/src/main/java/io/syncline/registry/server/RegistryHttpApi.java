package io.syncline.registry.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.syncline.registry.server.RegistryService.SchemaRequest;
import io.syncline.registry.server.RegistryState.SchemaEntry;
import io.syncline.registry.server.RegistryState.VersionView;

/**
 * The Confluent Schema Registry REST API (v1) on Javalin: routes, content negotiation and Confluent's error bodies.
 *
 * <p>Requests may be {@code application/vnd.schemaregistry.v1+json}, {@code application/vnd.schemaregistry+json},
 * {@code application/json} or {@code application/octet-stream} (what Confluent's Jersey resources consume); anything
 * else is 415. Responses are {@code application/vnd.schemaregistry.v1+json} unless the client's {@code Accept} asks
 * for one of the other JSON types; an {@code Accept} that allows none of them is 406.
 */
final class RegistryHttpApi {

    private static final Logger log = LoggerFactory.getLogger(RegistryHttpApi.class);

    static final String V1_JSON = "application/vnd.schemaregistry.v1+json";
    static final String SR_JSON = "application/vnd.schemaregistry+json";
    static final String JSON = "application/json";
    private static final Set<String> CONSUMED = Set.of(V1_JSON, SR_JSON, JSON, "application/octet-stream");
    private static final List<String> PRODUCED = List.of(V1_JSON, SR_JSON, JSON);
    private static final String RESPONSE_TYPE = "syncline.responseType";
    private static final ObjectMapper MAPPER = StoreRecords.JSON;

    private final RegistryService service;
    private final SubjectVersions versions;
    private final RegistryCompatibility compatibility;
    private final RegistryConfigs configs;
    private final RegistryModes modes;
    private final SchemaLog schemaLog;
    private final RegistryState state;
    private final int incompatibleErrorCode;
    private final RegistryAuth auth;

    RegistryHttpApi(RegistryService service, SchemaLog schemaLog, RegistryState state) {
        this(service, schemaLog, state, RegistryException.INCOMPATIBLE, RegistryAuth.NONE);
    }

    RegistryHttpApi(RegistryService service, SchemaLog schemaLog, RegistryState state, int incompatibleErrorCode,
            RegistryAuth auth) {
        this.service = service;
        this.versions = service.subjectVersions();
        this.compatibility = service.compatibility();
        this.configs = service.configs();
        this.modes = service.modes();
        this.schemaLog = schemaLog;
        this.state = state;
        this.incompatibleErrorCode = incompatibleErrorCode;
        this.auth = auth;
    }

    Javalin create() {
        return Javalin.create(this::configure);
    }

    Javalin create(java.util.function.Consumer<JavalinConfig> extra) {
        return Javalin.create(config -> {
            configure(config);
            extra.accept(config);
        });
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.prefer405over404 = true;
        // Schemas are small; Confluent's default limit is in the same range. Larger bodies get 413.
        config.http.maxRequestSize = 4L * 1024 * 1024;
        config.router.ignoreTrailingSlashes = true;

        var routes = config.routes;
        routes.beforeMatched(this::authenticate);
        routes.beforeMatched(this::negotiate);

        routes.get("/", ctx -> send(ctx, 200, Map.of()));
        routes.post("/", ctx -> send(ctx, 200, Map.of()));
        routes.get("/health", this::health);

        // ------------------------------------------------------------ subjects and versions
        routes.get("/subjects", ctx -> send(ctx, 200, page(ctx, versions.subjects(ctx.queryParam("subjectPrefix"),
                RegistryState.Filter.of(flag(ctx, "deleted"), flag(ctx, "deletedOnly"))))));
        routes.post("/subjects/{subject}", ctx -> {
            VersionView v = service.lookup(ctx.pathParam("subject"), schemaRequest(ctx), flag(ctx, "normalize"),
                    flag(ctx, "deleted"));
            send(ctx, 200, versionBody(v, ctx.queryParam("format")));
        });
        routes.get("/subjects/{subject}/metadata", ctx -> send(ctx, 200, versionBody(versions.latestWithMetadata(
                ctx.pathParam("subject"), RegistryService.pairs(ctx.queryParams("key"), ctx.queryParams("value")),
                flag(ctx, "deleted")), ctx.queryParam("format"))));
        routes.delete("/subjects/{subject}", ctx ->
                send(ctx, 200, versions.deleteSubject(ctx.pathParam("subject"), flag(ctx, "permanent"))));
        routes.get("/subjects/{subject}/versions", ctx -> send(ctx, 200, page(ctx, versions.versions(
                ctx.pathParam("subject"), RegistryState.Filter.of(flag(ctx, "deleted"), flag(ctx, "deletedOnly")),
                flag(ctx, "deletedAsNegative")))));
        routes.post("/subjects/{subject}/versions", ctx -> {
            VersionView v = service.register(ctx.pathParam("subject"), schemaRequest(ctx), flag(ctx, "normalize"));
            send(ctx, 200, registerBody(v, ctx.queryParam("format")));
        });
        routes.get("/subjects/{subject}/versions/{version}", ctx -> send(ctx, 200, versionBody(
                versions.version(ctx.pathParam("subject"), ctx.pathParam("version"), flag(ctx, "deleted")),
                ctx.queryParam("format"))));
        routes.get("/subjects/{subject}/versions/{version}/schema", ctx -> {
            VersionView v = versions.version(ctx.pathParam("subject"), ctx.pathParam("version"), flag(ctx, "deleted"));
            sendRaw(ctx, versions.formatted(v.subject(), v.schemaType(), v.references(), v.schema(),
                    ctx.queryParam("format")));
        });
        routes.get("/subjects/{subject}/versions/{version}/referencedby", ctx -> send(ctx, 200, page(ctx,
                versions.referencedBy(ctx.pathParam("subject"), ctx.pathParam("version"), flag(ctx, "deleted")))));
        routes.delete("/subjects/{subject}/versions/{version}", ctx -> send(ctx, 200, versions.deleteVersion(
                ctx.pathParam("subject"), ctx.pathParam("version"), flag(ctx, "permanent"))));

        // ------------------------------------------------------------ schemas
        routes.get("/schemas", ctx -> {
            List<Map<String, Object>> bodies = new ArrayList<>();
            for (VersionView v : versions.schemas(ctx.queryParam("subjectPrefix"), flag(ctx, "deleted"),
                    flag(ctx, "latestOnly"), ctx.queryParam("ruleType"))) {
                bodies.add(versionBody(v, null));
            }
            send(ctx, 200, page(ctx, bodies));
        });
        routes.get("/schemas/types", ctx -> send(ctx, 200, SchemaTypes.ALL));
        routes.get("/schemas/ids/{id}", this::schemaById);
        routes.get("/schemas/ids/{id}/schema", ctx -> {
            SchemaEntry e = versions.schemaById(id(ctx), ctx.queryParam("subject"));
            sendRaw(ctx, formatted(e, ctx.queryParam("format")));
        });
        routes.get("/schemas/ids/{id}/versions", ctx -> send(ctx, 200, page(ctx,
                versions.usesOf(id(ctx), ctx.queryParam("subject"), flag(ctx, "deleted")).stream().map(sv -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("subject", sv.subject());
                    body.put("version", sv.version());
                    return body;
                }).toList())));
        routes.get("/schemas/ids/{id}/subjects", ctx -> send(ctx, 200, page(ctx,
                versions.usesOf(id(ctx), ctx.queryParam("subject"), flag(ctx, "deleted")).stream()
                        .map(RegistryState.SubjectVersion::subject).distinct().toList())));
        routes.get("/schemas/guids/{guid}", ctx -> {
            SchemaEntry e = versions.schemaByGuid(ctx.pathParam("guid"));
            send(ctx, 200, schemaBody(e, formatted(e, ctx.queryParam("format")), null));
        });
        routes.get("/schemas/guids/{guid}/ids", ctx -> {
            List<Map<String, Object>> ids = new ArrayList<>();
            try {
                SchemaEntry e = versions.schemaByGuid(ctx.pathParam("guid"));
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("context", e.context);
                body.put("id", e.id);
                ids.add(body);
            } catch (RegistryException notFound) {
                // Confluent answers an empty list for an unknown GUID.
            }
            send(ctx, 200, ids);
        });

        // ------------------------------------------------------------ contexts
        routes.get("/contexts", ctx -> send(ctx, 200, page(ctx, versions.contexts())));

        // ------------------------------------------------------------ compatibility
        routes.post("/compatibility/subjects/{subject}/versions/{version}", ctx -> compatibility(ctx,
                ctx.pathParam("version")));
        routes.post("/compatibility/subjects/{subject}/versions", ctx -> compatibility(ctx, null));

        // ------------------------------------------------------------ config
        routes.get("/config", ctx -> send(ctx, 200, configs.globalConfig(flag(ctx, "defaultToGlobal"))));
        routes.put("/config", ctx -> send(ctx, 200, configUpdateBody(configs.updateConfig(null, body(ctx)))));
        routes.delete("/config", ctx -> send(ctx, 200, configs.deleteGlobalConfig()));
        routes.get("/config/{subject}", ctx -> send(ctx, 200,
                configs.subjectConfig(ctx.pathParam("subject"), flag(ctx, "defaultToGlobal"))));
        routes.put("/config/{subject}", ctx -> send(ctx, 200,
                configUpdateBody(configs.updateConfig(ctx.pathParam("subject"), body(ctx)))));
        routes.delete("/config/{subject}", ctx -> send(ctx, 200,
                configs.deleteSubjectConfig(ctx.pathParam("subject"))));

        // ------------------------------------------------------------ modes
        routes.get("/mode", ctx -> send(ctx, 200, Map.of("mode", modes.mode(null, flag(ctx, "defaultToGlobal")))));
        routes.put("/mode", ctx -> send(ctx, 200, Map.of("mode",
                modes.setMode(null, text(body(ctx), "mode"), flag(ctx, "force")))));
        routes.delete("/mode", ctx -> send(ctx, 200, modeBody(modes.deleteMode(null, flag(ctx, "recursive")))));
        routes.get("/mode/{subject}", ctx -> send(ctx, 200, Map.of("mode",
                modes.mode(ctx.pathParam("subject"), flag(ctx, "defaultToGlobal")))));
        routes.put("/mode/{subject}", ctx -> send(ctx, 200, Map.of("mode",
                modes.setMode(ctx.pathParam("subject"), text(body(ctx), "mode"), flag(ctx, "force")))));
        routes.delete("/mode/{subject}", ctx -> send(ctx, 200,
                modeBody(modes.deleteMode(ctx.pathParam("subject"), flag(ctx, "recursive")))));

        routes.exception(RegistryException.class, (e, ctx) -> {
            if (e.httpStatus() >= 500) {
                log.warn("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage(), e.getCause());
            }
            int code = e.errorCode() == RegistryException.INCOMPATIBLE ? incompatibleErrorCode : e.errorCode();
            error(ctx, e.httpStatus(), code, e.getMessage());
        });
        routes.exception(HttpResponseException.class, (e, ctx) ->
                // Jersey's wording, which Confluent clients show: "HTTP 404 Not Found", "HTTP 405 Method Not Allowed".
                error(ctx, e.getStatus(), e.getStatus(), "HTTP " + e.getStatus() + " " + reason(e.getStatus())));
        routes.exception(Exception.class, (e, ctx) -> {
            log.error("{} {} failed unexpectedly", ctx.method(), ctx.path(), e);
            error(ctx, 500, 500, "Internal Server Error: " + e);
        });
    }

    // ---------------------------------------------------------------- handlers

    private void authenticate(Context ctx) {
        if (ctx.path().equals("/health") || ctx.path().equals("/metrics") || auth.allows(ctx.header("Authorization"))) {
            return;
        }
        ctx.header("WWW-Authenticate", auth.challenge());
        throw new RegistryException(401, 401, "Unauthorized");
    }

    /**
     * The hot path: the plain answer (no query parameters, the default response type) is built once per schema and
     * cached on its entry, so a lookup is a map read and a write of cached bytes.
     */
    private void schemaById(Context ctx) throws JsonProcessingException {
        int id = id(ctx);
        String subject = ctx.queryParam("subject");
        String format = ctx.queryParam("format");
        boolean fetchMaxId = flag(ctx, "fetchMaxId");
        SchemaEntry entry = versions.schemaById(id, subject);
        boolean plain = (subject == null || subject.isEmpty()) && (format == null || format.isEmpty()) && !fetchMaxId;
        if (plain) {
            byte[] cached = entry.byIdBody;
            if (cached == null) {
                cached = MAPPER.writeValueAsBytes(schemaBody(entry, entry.schema, null));
                entry.byIdBody = cached;
            }
            ctx.status(200).contentType(responseType(ctx)).result(cached);
            return;
        }
        Map<String, Object> body = schemaBody(entry, formatted(entry, format), fetchMaxId
                ? state.maxId(entry.context) : null);
        if (subject != null && !subject.isEmpty() && !Subjects.isContextOnly(Subjects.normalize(subject))) {
            // Confluent names the subject and version when the request named a subject.
            String normalized = Subjects.normalize(subject);
            state.usesOf(entry.context, id, true).stream().filter(sv -> sv.subject().equals(normalized))
                    .reduce((a, b) -> b).ifPresent(sv -> {
                        Map<String, Object> withSubject = new LinkedHashMap<>();
                        withSubject.put("subject", sv.subject());
                        withSubject.put("version", sv.version());
                        withSubject.putAll(body);
                        body.clear();
                        body.putAll(withSubject);
                    });
        }
        send(ctx, 200, body);
    }

    private String formatted(SchemaEntry e, String format) {
        String subject = e.usedBy.isEmpty() ? Subjects.qualify(e.context, "")
                : e.usedBy.iterator().next().subject();
        return versions.formatted(subject, e.schemaType, e.references, e.schema, format);
    }

    private void health(Context ctx) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean up = schemaLog.healthy();
        body.put("status", up ? "UP" : "DOWN");
        body.put("topic", schemaLog.topic());
        body.put("appliedOffset", state.nextOffset());
        if (!up) {
            Throwable failure = schemaLog.followerFailure();
            body.put("reason", failure == null ? "the follower of the schema topic is not running"
                    : failure.toString());
        }
        ctx.status(up ? 200 : 503).contentType(JSON).result(MAPPER.writeValueAsBytes(body));
    }

    private void compatibility(Context ctx, String version) throws JsonProcessingException {
        boolean verbose = flag(ctx, "verbose");
        RegistryService.CompatibilityResult result = compatibility.checkCompatibility(ctx.pathParam("subject"), version,
                schemaRequest(ctx), verbose, flag(ctx, "normalize"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("is_compatible", result.compatible());
        if (verbose) {
            body.put("messages", result.messages());
        }
        send(ctx, 200, body);
    }

    /** Confluent's Schema entity: subject, version, id, guid, schemaType (not for Avro), references, metadata, ruleSet, schema. */
    private Map<String, Object> versionBody(VersionView v, String format) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", v.subject());
        body.put("version", v.version());
        body.put("id", v.id());
        body.put("guid", Contracts.guid(v.schema(), v.references(), v.metadata(), v.ruleSet()));
        putContract(body, v.schemaType(), v.references(), v.metadata(), v.ruleSet());
        body.put("schema", format == null || format.isEmpty() ? v.schema()
                : versions.formatted(v.subject(), v.schemaType(), v.references(), v.schema(), format));
        return body;
    }

    /** Confluent's RegisterSchemaResponse: the id first, then what the registry stored. */
    private Map<String, Object> registerBody(VersionView v, String format) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", v.id());
        body.put("version", v.version());
        body.put("guid", Contracts.guid(v.schema(), v.references(), v.metadata(), v.ruleSet()));
        putContract(body, v.schemaType(), v.references(), v.metadata(), v.ruleSet());
        body.put("schema", format == null || format.isEmpty() ? v.schema()
                : versions.formatted(v.subject(), v.schemaType(), v.references(), v.schema(), format));
        return body;
    }

    /** Confluent's SchemaString: guid, schemaType (not for Avro), schema, references, metadata, ruleSet, maxId. */
    private static Map<String, Object> schemaBody(SchemaEntry entry, String schema, Integer maxId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("guid", entry.guid);
        if (entry.schemaType != null) {
            body.put("schemaType", entry.schemaType);
        }
        body.put("schema", schema);
        if (!entry.references.isEmpty()) {
            body.put("references", StoreRecords.referencesNode(entry.references));
        }
        if (entry.metadata != null) {
            body.put("metadata", entry.metadata);
        }
        if (entry.ruleSet != null) {
            body.put("ruleSet", entry.ruleSet);
        }
        if (maxId != null) {
            body.put("maxId", maxId);
        }
        return body;
    }

    private static void putContract(Map<String, Object> body, String schemaType, List<RegistryState.Reference> refs,
            JsonNode metadata, JsonNode ruleSet) {
        if (schemaType != null) {
            body.put("schemaType", schemaType);
        }
        if (!refs.isEmpty()) {
            body.put("references", StoreRecords.referencesNode(refs));
        }
        if (metadata != null) {
            body.put("metadata", metadata);
        }
        if (ruleSet != null) {
            body.put("ruleSet", ruleSet);
        }
    }

    /** Confluent's ConfigUpdateRequest: the config with the level under {@code compatibility}. */
    private static Map<String, Object> configUpdateBody(com.fasterxml.jackson.databind.node.ObjectNode config) {
        Map<String, Object> body = new LinkedHashMap<>();
        config.fields().forEachRemaining(e -> body.put(
                e.getKey().equals("compatibilityLevel") ? "compatibility" : e.getKey(), e.getValue()));
        return body;
    }

    private static Map<String, Object> modeBody(String mode) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (mode != null) {
            body.put("mode", mode);
        }
        return body;
    }

    /** Confluent's {@code offset}/{@code limit}: skip {@code offset}, then at most {@code limit} (all when not positive). */
    private static <T> List<T> page(Context ctx, java.util.Collection<T> items) {
        int offset = intParam(ctx, "offset", 0);
        int limit = intParam(ctx, "limit", -1);
        return items.stream().skip(Math.max(0, offset)).limit(limit > 0 ? limit : Long.MAX_VALUE).toList();
    }

    private static int intParam(Context ctx, String name, int otherwise) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            // Jersey answers 404 when an int query parameter does not parse; so does Confluent.
            throw new HttpResponseException(404, "HTTP 404 Not Found");
        }
    }

    // ---------------------------------------------------------------- requests

    private static SchemaRequest schemaRequest(Context ctx) {
        JsonNode body = body(ctx);
        JsonNode schema = body.get("schema");
        if (schema != null && !schema.isNull() && !schema.isTextual()) {
            throw RegistryException.invalidSchema("Invalid schema: the \"schema\" field must be a string holding"
                    + " the schema's text, e.g. \"{\\\"type\\\":\\\"string\\\"}\"");
        }
        List<RegistryState.Reference> references;
        try {
            references = StoreRecords.parseReferences(body.get("references"));
        } catch (IllegalArgumentException e) {
            throw new RegistryException(422, 422, "Invalid \"references\": " + e.getMessage());
        }
        return new SchemaRequest(
                schema == null || schema.isNull() ? null : schema.asText(),
                text(body, "schemaType"),
                references,
                integer(body, "id"),
                integer(body, "version"),
                Contracts.metadata(body.get("metadata"), "metadata"),
                Contracts.ruleSet(body.get("ruleSet"), "ruleSet"));
    }

    private static JsonNode body(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw new RegistryException(422, 422, "The request needs a JSON object body");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new RegistryException(400, 400, "The request body is not valid JSON: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new RegistryException(422, 422, "The request body must be a JSON object");
        }
        return node;
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Integer integer(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToInt()) {
            throw new RegistryException(422, 422, "\"" + field + "\" must be an integer, got " + node);
        }
        return node.asInt();
    }

    private static int id(Context ctx) {
        try {
            return Integer.parseInt(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            // Jersey answers 404 when an Integer path parameter does not parse; so does Confluent.
            throw new HttpResponseException(404, "HTTP 404 Not Found");
        }
    }

    /** Jersey's boolean query parameters: "true" in any case is true, anything else false. */
    private static boolean flag(Context ctx, String name) {
        return "true".equalsIgnoreCase(ctx.queryParam(name));
    }

    // ---------------------------------------------------------------- content negotiation and responses

    private void negotiate(Context ctx) {
        if (ctx.path().equals("/health")) {
            return;
        }
        String accepted = acceptedType(ctx.header("Accept"));
        ctx.attribute(RESPONSE_TYPE, accepted == null ? V1_JSON : accepted);
        HandlerType method = ctx.method();
        if (method == HandlerType.POST || method == HandlerType.PUT) {
            String contentType = ctx.header("Content-Type");
            if (contentType != null && !contentType.isBlank()) {
                String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
                if (!CONSUMED.contains(base)) {
                    throw new HttpResponseException(415, reason(415));
                }
            }
        }
        if (accepted == null) {
            throw new HttpResponseException(406, reason(406));
        }
    }

    /** The response type for an Accept header, or null when it allows none of the types this API produces. */
    static String acceptedType(String accept) {
        if (accept == null || accept.isBlank()) {
            return V1_JSON;
        }
        String best = null;
        double bestQ = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = 1.0;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            String candidate = switch (type) {
                case "*/*", "application/*" -> V1_JSON;
                default -> PRODUCED.contains(type) ? type : null;
            };
            if (candidate != null && q > bestQ) {
                best = candidate;
                bestQ = q;
            }
        }
        return best;
    }

    private static void send(Context ctx, int status, Object body) throws JsonProcessingException {
        ctx.status(status).contentType(responseType(ctx)).result(MAPPER.writeValueAsBytes(body));
    }

    /** The {@code /schema} endpoints return the schema itself, which is JSON already. */
    private static void sendRaw(Context ctx, String schema) {
        ctx.status(200).contentType(responseType(ctx)).result(schema);
    }

    private static void error(Context ctx, int status, int errorCode, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", errorCode);
        body.put("message", message);
        try {
            ctx.status(status).contentType(responseType(ctx)).result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            ctx.status(500).result("{\"error_code\":500,\"message\":\"Internal Server Error\"}");
        }
    }

    private static String responseType(Context ctx) {
        String type = ctx.attribute(RESPONSE_TYPE);
        return type == null ? V1_JSON : type;
    }

    private static String reason(int status) {
        HttpStatus known = HttpStatus.forStatus(status);
        return known == HttpStatus.UNKNOWN ? "Error" : known.getMessage();
    }
}
