package io.syncline.registry.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaRegistryClient} over the Confluent REST API with the JDK's {@link HttpClient}: caches, retries with
 * exponential backoff and jitter on connection errors, 408, 429 and 5xx, failover across several URLs, basic or bearer
 * authentication and TLS.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    private static final Logger log = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> bases;
    private final List<String> redactedBases;
    private final AtomicInteger current = new AtomicInteger();
    private final String authorization;
    private final OAuthTokens oauth;
    private final Map<String, String> bearerHeaders;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final long retryWaitMs;
    private final long retryMaxWaitMs;
    private final long latestTtlNanos;

    private final Map<Integer, Schema> schemaById = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, Integer>> idBySubject = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, Integer>> versionBySubject = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, SchemaMetadata>> metadataByVersion = new ConcurrentHashMap<>();
    private final Map<String, Latest> latestBySubject = new ConcurrentHashMap<>();

    private record Latest(SchemaMetadata metadata, long fetchedAtNanos) {
    }

    /** A client for the registry described by {@code config} (Confluent key names, see {@link SchemaRegistryClientConfig}). */
    public HttpSchemaRegistryClient(SchemaRegistryClientConfig config) {
        List<URI> uris = new ArrayList<>();
        List<String> redacted = new ArrayList<>();
        String urlUserInfo = null;
        for (String url : config.urls()) {
            URI base = RegistryUrls.base(url);
            if (!"http".equalsIgnoreCase(base.getScheme()) && !"https".equalsIgnoreCase(base.getScheme())) {
                throw new ConfigException(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, RegistryUrls.redact(url),
                        "the HTTP client needs http:// or https:// URLs");
            }
            uris.add(base);
            redacted.add(base.toString());
            if (urlUserInfo == null) {
                urlUserInfo = RegistryUrls.userInfo(url);
            }
        }
        this.bases = List.copyOf(uris);
        this.redactedBases = List.copyOf(redacted);
        this.authorization = authorization(config, urlUserInfo);
        this.requestTimeout = Duration.ofMillis(config.getInt(SchemaRegistryClientConfig.HTTP_READ_TIMEOUT_MS));
        this.maxRetries = config.getInt(SchemaRegistryClientConfig.MAX_RETRIES);
        this.retryWaitMs = config.getInt(SchemaRegistryClientConfig.RETRIES_WAIT_MS);
        this.retryMaxWaitMs = config.getInt(SchemaRegistryClientConfig.RETRIES_MAX_WAIT_MS);
        long ttl = config.getLong(SchemaRegistryClientConfig.LATEST_CACHE_TTL_SEC);
        this.latestTtlNanos = ttl < 0 ? Long.MAX_VALUE : TimeUnit.SECONDS.toNanos(ttl);
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofMillis(config.getInt(SchemaRegistryClientConfig.HTTP_CONNECT_TIMEOUT_MS)));
        SSLContext ssl = sslContext(config);
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        this.http = builder.build();
        if (config.bearerAuthSource() == SchemaRegistryClientConfig.BearerAuthSource.OAUTHBEARER) {
            Password secret = config.getPassword(SchemaRegistryClientConfig.BEARER_AUTH_CLIENT_SECRET);
            this.oauth = new OAuthTokens(config.getString(SchemaRegistryClientConfig.BEARER_AUTH_ISSUER_ENDPOINT_URL),
                    config.getString(SchemaRegistryClientConfig.BEARER_AUTH_CLIENT_ID), secret.value(),
                    config.getString(SchemaRegistryClientConfig.BEARER_AUTH_SCOPE),
                    config.getShort(SchemaRegistryClientConfig.BEARER_AUTH_CACHE_EXPIRY_BUFFER_SECONDS), http,
                    requestTimeout);
        } else {
            this.oauth = null;
        }
        // Confluent's client sends these with bearer credentials, for registries that route by them.
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        if (config.bearerAuthSource() != null) {
            String cluster = config.getString(SchemaRegistryClientConfig.BEARER_AUTH_LOGICAL_CLUSTER);
            String pool = config.getString(SchemaRegistryClientConfig.BEARER_AUTH_IDENTITY_POOL_ID);
            if (cluster != null && !cluster.isBlank()) {
                headers.put("target-sr-cluster", cluster);
            }
            if (pool != null && !pool.isBlank()) {
                headers.put("Confluent-Identity-Pool-Id", pool);
            }
        }
        this.bearerHeaders = Map.copyOf(headers);
    }

    /** A client from a Confluent-style configuration map. */
    public static HttpSchemaRegistryClient create(Map<String, ?> configs) {
        return new HttpSchemaRegistryClient(new SchemaRegistryClientConfig(configs));
    }

    private static String authorization(SchemaRegistryClientConfig config, String urlUserInfo) {
        String bearer = config.bearerToken();
        if (bearer != null) {
            return "Bearer " + bearer;
        }
        String userInfo = switch (config.basicAuthSource()) {
            case USER_INFO -> config.basicUserInfo();
            case URL -> urlUserInfo;
        };
        if (userInfo == null) {
            return null;
        }
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    private static SSLContext sslContext(SchemaRegistryClientConfig config) {
        String trustLocation = config.getString(SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION);
        String keyLocation = config.getString(SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION);
        if (isBlank(trustLocation) && isBlank(keyLocation)) {
            return null;
        }
        try {
            TrustManagerFactory tmf = null;
            if (!isBlank(trustLocation)) {
                KeyStore trust = loadStore(SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION, trustLocation,
                        config.getString(SchemaRegistryClientConfig.SSL_TRUSTSTORE_TYPE),
                        config.getPassword(SchemaRegistryClientConfig.SSL_TRUSTSTORE_PASSWORD));
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (!isBlank(keyLocation)) {
                Password storePassword = config.getPassword(SchemaRegistryClientConfig.SSL_KEYSTORE_PASSWORD);
                Password keyPassword = config.getPassword(SchemaRegistryClientConfig.SSL_KEY_PASSWORD);
                KeyStore keys = loadStore(SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION, keyLocation,
                        config.getString(SchemaRegistryClientConfig.SSL_KEYSTORE_TYPE), storePassword);
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                Password effective = keyPassword != null ? keyPassword : storePassword;
                kmf.init(keys, effective == null ? new char[0] : effective.value().toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("setting up TLS for the schema registry client failed: " + e.getMessage());
        }
    }

    private static KeyStore loadStore(String key, String location, String type, Password password) {
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password == null ? null : password.value().toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            // The exception text never contains the password; the location is not secret.
            throw new ConfigException(key, location, "cannot load " + type + " store: " + e.getMessage());
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    // ---------------------------------------------------------------- API

    @Override
    public int register(String subject, Schema schema) {
        Map<Schema, Integer> ids = idBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        JsonNode response = call("POST", "subjects/" + RegistryUrls.segment(subject) + "/versions", schemaBody(schema),
                "registering a schema under subject '" + subject + "'");
        int id = requiredInt(response, "id", "registering a schema under subject '" + subject + "'");
        ids.put(schema, id);
        schemaById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public SchemaMetadata lookup(String subject, Schema schema) {
        String action = "looking up a schema in subject '" + subject + "'";
        JsonNode response = call("POST", "subjects/" + RegistryUrls.segment(subject), schemaBody(schema), action);
        SchemaMetadata metadata = metadata(response, subject, action);
        idBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, metadata.id());
        versionBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, metadata.version());
        schemaById.putIfAbsent(metadata.id(), schema);
        return metadata;
    }

    @Override
    public int getId(String subject, Schema schema) {
        Map<Schema, Integer> ids = idBySubject.get(subject);
        Integer cached = ids == null ? null : ids.get(schema);
        return cached != null ? cached : lookup(subject, schema).id();
    }

    @Override
    public int getVersion(String subject, Schema schema) {
        Map<Schema, Integer> versions = versionBySubject.get(subject);
        Integer cached = versions == null ? null : versions.get(schema);
        return cached != null ? cached : lookup(subject, schema).version();
    }

    @Override
    public Schema getSchemaById(int id) {
        Schema cached = schemaById.get(id);
        if (cached != null) {
            return cached;
        }
        String action = "fetching schema id " + id;
        JsonNode response = call("GET", "schemas/ids/" + id, null, action);
        String type = response.path("schemaType").asText(SchemaMetadata.AVRO);
        if (!SchemaMetadata.AVRO.equalsIgnoreCase(type)) {
            throw new SchemaRegistryException(action, 200, -1,
                    "schema id " + id + " is a " + type + " schema; this client reads Avro schemas only");
        }
        Schema schema = parseWithReferences(text(response, "schema", action), response.path("references"), action);
        Schema previous = schemaById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    @Override
    public SchemaMetadata getLatestSchemaMetadata(String subject) {
        Latest latest = latestBySubject.get(subject);
        long now = System.nanoTime();
        if (latest != null && now - latest.fetchedAtNanos() < latestTtlNanos) {
            return latest.metadata();
        }
        String action = "fetching the latest version of subject '" + subject + "'";
        SchemaMetadata metadata = metadata(
                call("GET", "subjects/" + RegistryUrls.segment(subject) + "/versions/latest", null, action), subject, action);
        latestBySubject.put(subject, new Latest(metadata, now));
        return metadata;
    }

    @Override
    public SchemaMetadata getSchemaMetadata(String subject, int version) {
        Map<Integer, SchemaMetadata> versions = metadataByVersion.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        SchemaMetadata cached = versions.get(version);
        if (cached != null) {
            return cached;
        }
        String action = "fetching version " + version + " of subject '" + subject + "'";
        SchemaMetadata metadata = metadata(
                call("GET", "subjects/" + RegistryUrls.segment(subject) + "/versions/" + version, null, action),
                subject, action);
        versions.put(version, metadata);
        return metadata;
    }

    @Override
    public List<String> getAllSubjects() {
        JsonNode response = call("GET", "subjects", null, "listing subjects");
        List<String> subjects = new ArrayList<>();
        response.forEach(n -> subjects.add(n.asText()));
        return subjects;
    }

    @Override
    public List<Integer> getAllVersions(String subject) {
        JsonNode response = call("GET", "subjects/" + RegistryUrls.segment(subject) + "/versions", null,
                "listing the versions of subject '" + subject + "'");
        return ints(response);
    }

    @Override
    public CompatibilityCheck testCompatibility(String subject, Schema schema) {
        String action = "testing compatibility of a schema with subject '" + subject + "'";
        JsonNode response = call("POST", "compatibility/subjects/" + RegistryUrls.segment(subject)
                + "/versions/latest?verbose=true", schemaBody(schema), action);
        if (!response.has("is_compatible")) {
            throw new SchemaRegistryException(action, 200, -1, "response has no is_compatible field");
        }
        List<String> messages = new ArrayList<>();
        response.path("messages").forEach(n -> messages.add(n.asText()));
        return new CompatibilityCheck(response.get("is_compatible").asBoolean(), messages);
    }

    @Override
    public String getCompatibility(String subject) {
        String action = subject == null ? "fetching the global compatibility level"
                : "fetching the compatibility level of subject '" + subject + "'";
        String path = subject == null ? "config" : "config/" + RegistryUrls.segment(subject) + "?defaultToGlobal=true";
        JsonNode response = call("GET", path, null, action);
        return text(response, "compatibilityLevel", action);
    }

    @Override
    public String updateCompatibility(String subject, String level) {
        String action = subject == null ? "setting the global compatibility level to " + level
                : "setting the compatibility level of subject '" + subject + "' to " + level;
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        JsonNode response = call("PUT", subject == null ? "config" : "config/" + RegistryUrls.segment(subject),
                body.toString(), action);
        return text(response, "compatibility", action);
    }

    @Override
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        String action = (permanent ? "permanently deleting" : "deleting") + " subject '" + subject + "'";
        JsonNode response = call("DELETE", "subjects/" + RegistryUrls.segment(subject)
                + (permanent ? "?permanent=true" : ""), null, action);
        forget(subject);
        return ints(response);
    }

    @Override
    public int deleteSchemaVersion(String subject, int version, boolean permanent) {
        String action = (permanent ? "permanently deleting" : "deleting") + " version " + version + " of subject '"
                + subject + "'";
        JsonNode response = call("DELETE", "subjects/" + RegistryUrls.segment(subject) + "/versions/" + version
                + (permanent ? "?permanent=true" : ""), null, action);
        forget(subject);
        return response.asInt();
    }

    private void forget(String subject) {
        idBySubject.remove(subject);
        versionBySubject.remove(subject);
        metadataByVersion.remove(subject);
        latestBySubject.remove(subject);
    }

    // ---------------------------------------------------------------- HTTP

    private static String schemaBody(Schema schema) {
        // Avro is the registry's default type, so schemaType is omitted as Confluent's serializer does.
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    /**
     * One logical call: tries the current URL, fails over to the next one on a connection error or retriable status,
     * and backs off (exponential, jittered) once every URL has been tried in this call. 4xx answers end the call.
     */
    private JsonNode call(String method, String path, String body, String action) {
        int attempts = Math.max(maxRetries + 1, bases.size());
        int start = current.get();
        SchemaRegistryException last = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            int index = Math.floorMod(start + attempt, bases.size());
            URI base = bases.get(index);
            String where = action + " at " + redactedBases.get(index);
            long retryAfterMs = -1;
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                        .timeout(requestTimeout)
                        .header("Accept", ACCEPT);
                if (oauth != null) {
                    request.header("Authorization", "Bearer " + oauth.token());
                } else if (authorization != null) {
                    request.header("Authorization", authorization);
                }
                bearerHeaders.forEach(request::header);
                if (body != null) {
                    request.header("Content-Type", CONTENT_TYPE)
                            .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
                } else {
                    request.method(method, HttpRequest.BodyPublishers.noBody());
                }
                HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    current.set(index);
                    return parseJson(response.body(), where, status);
                }
                last = error(where, status, response.body());
                if (!last.isRetriable()) {
                    throw last;
                }
                retryAfterMs = retryAfterMs(response);
            } catch (IOException e) {
                last = new SchemaRegistryException(where, -1, -1, e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException(where, -1, -1, "interrupted", e);
            }
            if (attempt + 1 < attempts) {
                log.debug("{} failed ({}), retrying", where, last.getMessage());
                // Switching to a URL not yet tried in this call goes at once; going round again waits.
                if (attempt + 1 >= bases.size()) {
                    backoff(attempt + 1 - bases.size(), retryAfterMs, where);
                }
                current.set(Math.floorMod(index + 1, bases.size()));
            }
        }
        throw last;
    }

    private void backoff(int retry, long retryAfterMs, String where) {
        long exp = retryWaitMs << Math.min(retry, 20);
        long wait = Math.min(retryMaxWaitMs, exp < 0 ? retryMaxWaitMs : exp);
        long jittered = wait / 2 + (wait <= 1 ? 0 : ThreadLocalRandom.current().nextLong(wait / 2 + 1));
        long delayMs = Math.max(jittered, Math.min(retryAfterMs, Math.max(retryMaxWaitMs, wait)));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, remaining);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException(where, -1, -1, "interrupted while waiting to retry");
            }
        }
    }

    private static long retryAfterMs(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(v -> {
            try {
                return TimeUnit.SECONDS.toMillis(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                return -1L;
            }
        }).orElse(-1L);
    }

    private static SchemaRegistryException error(String where, int status, byte[] body) {
        int code = -1;
        String message = null;
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.isObject()) {
                code = node.path("error_code").asInt(-1);
                message = node.path("message").isMissingNode() ? null : node.path("message").asText();
            }
        } catch (IOException notJson) {
            // A proxy's HTML page or plain text: report its beginning.
        }
        if (message == null) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            message = text.length() > 200 ? text.substring(0, 200) + "…" : text;
        }
        return new SchemaRegistryException(where, status, code, message);
    }

    private static JsonNode parseJson(byte[] body, String where, int status) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new SchemaRegistryException(where, status, -1, "empty response body");
            }
            return node;
        } catch (IOException e) {
            throw new SchemaRegistryException(where, status, -1, "response is not JSON: " + e.getMessage(), e);
        }
    }

    private static SchemaMetadata metadata(JsonNode node, String subject, String action) {
        return new SchemaMetadata(node.path("subject").asText(subject), requiredInt(node, "id", action),
                requiredInt(node, "version", action), node.path("schemaType").asText(null), text(node, "schema", action));
    }

    private static int requiredInt(JsonNode node, String field, String action) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException(action, 200, -1, "response has no integer field '" + field + "'");
        }
        return value.asInt();
    }

    private static String text(JsonNode node, String field, String action) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new SchemaRegistryException(action, 200, -1, "response has no field '" + field + "'");
        }
        return value.asText();
    }

    private static List<Integer> ints(JsonNode node) {
        List<Integer> values = new ArrayList<>();
        node.forEach(n -> values.add(n.asInt()));
        return values;
    }

    /**
     * Parses a schema whose named types may come from other subjects ({@code references}): each referenced version
     * is fetched (its own references first) and parsed into the same parser, as Confluent's client resolves them.
     */
    private Schema parseWithReferences(String text, JsonNode references, String action) {
        if (references == null || !references.isArray() || references.isEmpty()) {
            return parse(text, action);
        }
        Schema.Parser parser = new Schema.Parser().setValidateDefaults(false);
        addReferences(parser, references, new java.util.HashSet<>(), action);
        try {
            return parser.parse(text);
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(action, 200, -1, "the registry returned a schema Avro cannot parse"
                    + " with its references: " + e.getMessage(), e);
        }
    }

    private void addReferences(Schema.Parser parser, JsonNode references, java.util.Set<String> seen, String action) {
        for (JsonNode reference : references) {
            String name = reference.path("name").asText();
            String subject = reference.path("subject").asText();
            int version = reference.path("version").asInt(-1);
            if (!seen.add(subject + "#" + version) || parser.getTypes().containsKey(name)) {
                continue;
            }
            String refAction = action + ": resolving reference '" + name + "' (subject '" + subject + "' version "
                    + version + ")";
            JsonNode referenced = call("GET", "subjects/" + RegistryUrls.segment(subject) + "/versions/"
                    + (version < 0 ? "latest" : String.valueOf(version)), null, refAction);
            addReferences(parser, referenced.path("references"), seen, action);
            if (!parser.getTypes().containsKey(name)) {
                try {
                    parser.parse(text(referenced, "schema", refAction));
                } catch (RuntimeException e) {
                    throw new SchemaRegistryException(refAction, 200, -1, "the referenced schema does not parse: "
                            + e.getMessage(), e);
                }
            }
        }
    }

    /** Parses a schema that came from the registry; lenient on defaults, as the registry already accepted it. */
    static Schema parse(String text, String action) {
        try {
            return new Schema.Parser().setValidateDefaults(false).parse(text);
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(action, 200, -1, "the registry returned a schema Avro cannot parse: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "HttpSchemaRegistryClient" + redactedBases;
    }
}
