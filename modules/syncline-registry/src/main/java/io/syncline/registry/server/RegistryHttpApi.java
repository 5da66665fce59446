package io.syncline.registry.server;

import java.io.IOException;
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
    private final SchemaLog schemaLog;
    private final RegistryState state;

    RegistryHttpApi(RegistryService service, SchemaLog schemaLog, RegistryState state) {
        this.service = service;
        this.schemaLog = schemaLog;
        this.state = state;
    }

    Javalin create() {
        return Javalin.create(this::configure);
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.prefer405over404 = true;
        // Schemas are small; Confluent's default limit is in the same range. Larger bodies get 413.
        config.http.maxRequestSize = 4L * 1024 * 1024;
        config.router.ignoreTrailingSlashes = true;

        var routes = config.routes;
        routes.beforeMatched(this::negotiate);

        routes.get("/", ctx -> send(ctx, 200, Map.of()));
        routes.post("/", ctx -> send(ctx, 200, Map.of()));
        routes.get("/health", this::health);

        routes.get("/subjects", ctx -> send(ctx, 200, service.subjects(flag(ctx, "deleted"))));
        routes.post("/subjects/{subject}", ctx -> {
            VersionView v = service.lookup(ctx.pathParam("subject"), schemaRequest(ctx), flag(ctx, "deleted"));
            send(ctx, 200, versionBody(v));
        });
        routes.delete("/subjects/{subject}", ctx ->
                send(ctx, 200, service.deleteSubject(ctx.pathParam("subject"), flag(ctx, "permanent"))));
        routes.get("/subjects/{subject}/versions", ctx ->
                send(ctx, 200, service.versions(ctx.pathParam("subject"), flag(ctx, "deleted"))));
        routes.post("/subjects/{subject}/versions", ctx -> {
            int id = service.register(ctx.pathParam("subject"), schemaRequest(ctx));
            send(ctx, 200, Map.of("id", id));
        });
        routes.get("/subjects/{subject}/versions/{version}", ctx -> send(ctx, 200, versionBody(
                service.version(ctx.pathParam("subject"), ctx.pathParam("version"), flag(ctx, "deleted")))));
        routes.get("/subjects/{subject}/versions/{version}/schema", ctx -> sendRaw(ctx, service.version(
                ctx.pathParam("subject"), ctx.pathParam("version"), flag(ctx, "deleted")).schema()));
        routes.delete("/subjects/{subject}/versions/{version}", ctx -> send(ctx, 200, service.deleteVersion(
                ctx.pathParam("subject"), ctx.pathParam("version"), flag(ctx, "permanent"))));

        routes.get("/schemas/types", ctx -> send(ctx, 200, List.of(AvroSchemas.AVRO)));
        routes.get("/schemas/ids/{id}", ctx -> send(ctx, 200, schemaBody(service.schemaById(id(ctx)))));
        routes.get("/schemas/ids/{id}/schema", ctx -> sendRaw(ctx, service.schemaById(id(ctx)).schema));
        routes.get("/schemas/ids/{id}/versions", ctx -> send(ctx, 200,
                service.usesOf(id(ctx), flag(ctx, "deleted")).stream().map(sv -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("subject", sv.subject());
                    body.put("version", sv.version());
                    return body;
                }).toList()));
        routes.get("/schemas/ids/{id}/subjects", ctx -> send(ctx, 200,
                service.usesOf(id(ctx), flag(ctx, "deleted")).stream()
                        .map(RegistryState.SubjectVersion::subject).distinct().toList()));

        routes.post("/compatibility/subjects/{subject}/versions/{version}", ctx -> compatibility(ctx,
                ctx.pathParam("version")));
        routes.post("/compatibility/subjects/{subject}/versions", ctx -> compatibility(ctx, null));

        routes.get("/config", ctx -> send(ctx, 200, Map.of("compatibilityLevel", service.globalLevel().name())));
        routes.put("/config", ctx -> send(ctx, 200,
                Map.of("compatibility", service.setLevel(null, compatibilityField(ctx)).name())));
        routes.delete("/config", ctx -> send(ctx, 200,
                Map.of("compatibilityLevel", service.deleteGlobalLevel().name())));
        routes.get("/config/{subject}", ctx -> send(ctx, 200, Map.of("compatibilityLevel",
                service.subjectLevel(ctx.pathParam("subject"), flag(ctx, "defaultToGlobal")).name())));
        routes.put("/config/{subject}", ctx -> send(ctx, 200, Map.of("compatibility",
                service.setLevel(ctx.pathParam("subject"), compatibilityField(ctx)).name())));
        routes.delete("/config/{subject}", ctx -> send(ctx, 200, Map.of("compatibilityLevel",
                service.deleteSubjectLevel(ctx.pathParam("subject")).name())));

        routes.exception(RegistryException.class, (e, ctx) -> {
            if (e.httpStatus() >= 500) {
                log.warn("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage(), e.getCause());
            }
            error(ctx, e.httpStatus(), e.errorCode(), e.getMessage());
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
        RegistryService.CompatibilityResult result = service.checkCompatibility(ctx.pathParam("subject"), version,
                schemaRequest(ctx), verbose);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("is_compatible", result.compatible());
        if (verbose) {
            body.put("messages", result.messages());
        }
        send(ctx, 200, body);
    }

    private static Map<String, Object> versionBody(VersionView v) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", v.subject());
        body.put("version", v.version());
        body.put("id", v.id());
        if (v.schemaType() != null) {
            body.put("schemaType", v.schemaType());
        }
        if (v.references() != null) {
            body.put("references", v.references());
        }
        body.put("schema", v.schema());
        return body;
    }

    private static Map<String, Object> schemaBody(SchemaEntry entry) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (entry.schemaType != null) {
            body.put("schemaType", entry.schemaType);
        }
        body.put("schema", entry.schema);
        if (entry.references != null) {
            body.put("references", entry.references);
        }
        return body;
    }

    // ---------------------------------------------------------------- requests

    private static SchemaRequest schemaRequest(Context ctx) {
        JsonNode body = body(ctx);
        JsonNode schema = body.get("schema");
        if (schema != null && !schema.isNull() && !schema.isTextual()) {
            throw RegistryException.invalidSchema("Invalid schema: the \"schema\" field must be a string holding"
                    + " the schema's JSON, e.g. \"{\\\"type\\\":\\\"string\\\"}\"");
        }
        return new SchemaRequest(
                schema == null || schema.isNull() ? null : schema.asText(),
                text(body, "schemaType"),
                body.hasNonNull("references") ? body.get("references") : null,
                integer(body, "id"),
                integer(body, "version"),
                body.hasNonNull("metadata"),
                body.hasNonNull("ruleSet"));
    }

    private static String compatibilityField(Context ctx) {
        return text(body(ctx), "compatibility");
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
