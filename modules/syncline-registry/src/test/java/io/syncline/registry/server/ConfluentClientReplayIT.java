package io.syncline.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;


/**
 * Replays, byte for byte where it matters, the requests Confluent's own Java client makes, and checks the answers
 * its code reads. Nothing here is guessed: each exchange names where in Confluent's client (schema-registry
 * repository, {@code client/src/main/java/io/confluent/kafka/schemaregistry/client/rest/RestService.java} and
 * {@code CachedSchemaRegistryClient.java}) or in Confluent's API documentation the request and the answer come from.
 *
 * <p>Headers are those of {@code RestService.DEFAULT_REQUEST_PROPERTIES} ({@code Content-Type:
 * application/vnd.schemaregistry.v1+json}, {@code Confluent-Accept-Unknown-Properties: true},
 * {@code Confluent-Client-Version}); RestService sets no {@code Accept}, so the JDK's {@code HttpURLConnection}
 * default {@code text/html, image/gif, image/jpeg, *; q=.2, *}{@code /*; q=.2} goes out, which the registry must
 * answer with its v1 type.
 */
class ConfluentClientReplayIT extends OneRegistryPerClass {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> CONFLUENT_HEADERS = Map.of(
            "Content-Type", "application/vnd.schemaregistry.v1+json",
            "Confluent-Accept-Unknown-Properties", "true",
            "Confluent-Client-Version", "8.1.0",
            // java.net.HttpURLConnection's default Accept, sent because RestService sets none.
            "Accept", "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2");

    /** One request as Confluent's client sends it and what its code expects back. */
    record Exchange(String source, String method, String path, String body, int status,
            BiConsumer<JsonNode, Map<String, String>> check) {
    }

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static final String USER_V1 = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"io.confluent.examples\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"}]}";
    static final String USER_V2 = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"io.confluent.examples\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\",\"default\":0}]}";

    static List<Exchange> exchanges() {
        return List.of(
                new Exchange("RestService.registerSchema: POST /subjects/{subject}/versions?normalize=false with"
                        + " RegisterSchemaRequest(ParsedSchema) (schemaType, schema; null and empty fields omitted)",
                        "POST", "/subjects/replay-value/versions?normalize=false",
                        "{\"schemaType\":\"AVRO\",\"schema\":" + quote(USER_V1) + "}", 200, (j, vars) -> {
                            assertThat(j.get("id").isInt()).isTrue(); // RegisterSchemaResponse.getId
                            vars.put("id", j.get("id").asText());
                        }),
                new Exchange("CachedSchemaRegistryClient.getSchemaBySubjectAndId -> RestService.getId: GET"
                        + " /schemas/ids/{id}?fetchMaxId=false&subject=...; SchemaString.getSchemaString",
                        "GET", "/schemas/ids/{id}?fetchMaxId=false&subject=replay-value", null, 200,
                        (j, vars) -> assertThat(j.get("schema").asText()).isEqualTo(USER_V1)),
                new Exchange("RestService.getId without subject (older deserializers): schemaType absent means AVRO",
                        "GET", "/schemas/ids/{id}?fetchMaxId=false", null, 200,
                        (j, vars) -> assertThat(j.has("schemaType")).isFalse()),
                new Exchange("RestService.lookUpSubjectVersion (auto.register.schemas=false): POST"
                        + " /subjects/{subject}?normalize=false&deleted=false; Schema.getId/getVersion",
                        "POST", "/subjects/replay-value?normalize=false&deleted=false",
                        "{\"schemaType\":\"AVRO\",\"schema\":" + quote(USER_V1) + "}", 200, (j, vars) -> {
                            assertThat(j.get("id").asText()).isEqualTo(vars.get("id"));
                            assertThat(j.get("version").asInt()).isEqualTo(1);
                            assertThat(j.get("subject").asText()).isEqualTo("replay-value");
                        }),
                new Exchange("RestService.testCompatibility (latest): POST /compatibility/subjects/{subject}/versions/"
                        + "latest?normalize=false&verbose=true; CompatibilityCheckResponse.getIsCompatible",
                        "POST", "/compatibility/subjects/replay-value/versions/latest?normalize=false&verbose=true",
                        "{\"schemaType\":\"AVRO\",\"schema\":" + quote(USER_V2) + "}", 200, (j, vars) -> {
                            assertThat(j.get("is_compatible").asBoolean()).isTrue();
                            assertThat(j.get("messages").isArray()).isTrue();
                        }),
                new Exchange("RestService.testCompatibility (all versions): the path ends in versions/ (trailing"
                        + " slash from UriBuilder.fromPath(\"/compatibility/subjects/{subject}/versions/\"))",
                        "POST", "/compatibility/subjects/replay-value/versions/?normalize=false&verbose=true",
                        "{\"schemaType\":\"AVRO\",\"schema\":" + quote(USER_V2) + "}", 200,
                        (j, vars) -> assertThat(j.get("is_compatible").asBoolean()).isTrue()),
                new Exchange("KafkaAvroSerializer with data contracts (use.latest.with.metadata, rules): the request"
                        + " carries metadata and ruleSet (Confluent docs, 'Data Contracts for Schema Registry')",
                        "POST", "/subjects/replay-value/versions?normalize=false",
                        "{\"schemaType\":\"AVRO\",\"metadata\":{\"properties\":{\"owner\":\"Bob Jones\","
                                + "\"email\":\"bob@acme.com\"}},\"ruleSet\":{\"domainRules\":[{\"name\":"
                                + "\"checkSsnLen\",\"kind\":\"CONDITION\",\"type\":\"CEL\",\"mode\":\"WRITE\","
                                + "\"expr\":\"size(message.name) == 9\"}]},\"schema\":" + quote(USER_V2) + "}",
                        200, (j, vars) -> {
                            assertThat(j.get("id").asInt()).isNotEqualTo(Integer.parseInt(vars.get("id")));
                            vars.put("id2", j.get("id").asText());
                        }),
                new Exchange("RestService.getLatestWithMetadata: GET /subjects/{subject}/metadata?key=..&value=.."
                        + "&deleted=false; the serializer reads metadata and ruleSet from the answer",
                        "GET", "/subjects/replay-value/metadata?key=owner&value=Bob%20Jones&deleted=false", null, 200,
                        (j, vars) -> {
                            assertThat(j.get("version").asInt()).isEqualTo(2);
                            assertThat(j.get("ruleSet").get("domainRules").get(0).get("kind").asText())
                                    .isEqualTo("CONDITION");
                            assertThat(j.get("metadata").get("properties").get("email").asText())
                                    .isEqualTo("bob@acme.com");
                        }),
                new Exchange("RestService.getLatestVersion (use.latest.version): GET"
                        + " /subjects/{subject}/versions/latest",
                        "GET", "/subjects/replay-value/versions/latest", null, 200,
                        (j, vars) -> assertThat(j.get("id").asText()).isEqualTo(vars.get("id2"))),
                new Exchange("RestService.getConfig (defaultToGlobal): GET /config/{subject}?defaultToGlobal=true;"
                        + " Config.getCompatibilityLevel and isNormalize are read",
                        "GET", "/config/replay-value?defaultToGlobal=true", null, 200,
                        (j, vars) -> assertThat(j.get("compatibilityLevel").asText()).isEqualTo("BACKWARD")),
                new Exchange("RestService.updateConfig: PUT /config/{subject} with ConfigUpdateRequest"
                        + " (NON_NULL: only set fields; the level is named compatibility)",
                        "PUT", "/config/replay-value", "{\"compatibility\":\"FULL\",\"normalize\":true}", 200,
                        (j, vars) -> {
                            assertThat(j.get("compatibility").asText()).isEqualTo("FULL");
                            assertThat(j.get("normalize").asBoolean()).isTrue();
                        }),
                new Exchange("RestService.getConfig (global, defaultToGlobal=false): GET /config?defaultToGlobal=false",
                        "GET", "/config?defaultToGlobal=false", null, 200,
                        (j, vars) -> assertThat(j.get("compatibilityLevel").asText()).isEqualTo("BACKWARD")),
                new Exchange("RestService.getMode: GET /mode?defaultToGlobal=false; Mode.getMode",
                        "GET", "/mode?defaultToGlobal=false", null, 200,
                        (j, vars) -> assertThat(j.get("mode").asText()).isEqualTo("READWRITE")),
                new Exchange("RestService.setMode: PUT /mode/{subject}?force=false with {\"mode\":...}"
                        + " (ModeUpdateRequest); Confluent's schema-exporter and migration docs switch to IMPORT",
                        "PUT", "/mode/replay-import?force=false", "{\"mode\":\"IMPORT\"}", 200,
                        (j, vars) -> assertThat(j.get("mode").asText()).isEqualTo("IMPORT")),
                new Exchange("CachedSchemaRegistryClient.register(subject, schema, version, id) in IMPORT mode:"
                        + " RegisterSchemaRequest with version and id first",
                        "POST", "/subjects/replay-import/versions?normalize=false",
                        "{\"version\":3,\"id\":777,\"schemaType\":\"AVRO\",\"schema\":" + quote(USER_V1) + "}", 200,
                        (j, vars) -> {
                            assertThat(j.get("id").asInt()).isEqualTo(777);
                            assertThat(j.get("version").asInt()).isEqualTo(3);
                        }),
                new Exchange("RestService.getSchemas: GET /schemas?subjectPrefix=..&deleted=false&latestOnly=true",
                        "GET", "/schemas?subjectPrefix=replay-&deleted=false&latestOnly=true", null, 200,
                        (j, vars) -> assertThat(j.size()).isEqualTo(2)),
                new Exchange("RestService.getAllSubjects: GET /subjects?deleted=false&deletedOnly=false&subjectPrefix=",
                        "GET", "/subjects?deleted=false&deletedOnly=false&subjectPrefix=replay-", null, 200,
                        (j, vars) -> assertThat(j.toString()).isEqualTo("[\"replay-import\",\"replay-value\"]")),
                new Exchange("RestService.getAllVersions: GET /subjects/{subject}/versions?deleted=false"
                        + "&deletedOnly=false",
                        "GET", "/subjects/replay-value/versions?deleted=false&deletedOnly=false", null, 200,
                        (j, vars) -> assertThat(j.toString()).isEqualTo("[1,2]")),
                new Exchange("RestService.getReferencedBy: GET /subjects/{subject}/versions/{version}/referencedby"
                        + "?deleted=false",
                        "GET", "/subjects/replay-value/versions/1/referencedby?deleted=false", null, 200,
                        (j, vars) -> assertThat(j.toString()).isEqualTo("[]")),
                new Exchange("RestService.getSchemaTypes: GET /schemas/types (Confluent docs: [\"JSON\", \"PROTOBUF\","
                        + " \"AVRO\"])",
                        "GET", "/schemas/types", null, 200,
                        (j, vars) -> assertThat(j.toString()).isEqualTo("[\"JSON\",\"PROTOBUF\",\"AVRO\"]")),
                new Exchange("RestService.getAllContexts: GET /contexts (Confluent docs: [\".\"] at least)",
                        "GET", "/contexts", null, 200, (j, vars) -> assertThat(j.get(0).asText()).isEqualTo(".")),
                new Exchange("An incompatible registration: Errors.INCOMPATIBLE_SCHEMA_ERROR_CODE = 40901 with HTTP 409"
                        + " (core/.../rest/exceptions/Errors.java)",
                        "POST", "/subjects/replay-value/versions?normalize=false",
                        "{\"schemaType\":\"AVRO\",\"schema\":\"\\\"int\\\"\"}", 409,
                        (j, vars) -> assertThat(j.get("error_code").asInt()).isEqualTo(40901)),
                new Exchange("Errors.subjectNotFoundException: 404, 40401, \"Subject '%s' not found.\"",
                        "GET", "/subjects/nobody/versions/latest", null, 404, (j, vars) -> {
                            assertThat(j.get("error_code").asInt()).isEqualTo(40401);
                            assertThat(j.get("message").asText()).isEqualTo("Subject 'nobody' not found.");
                        }),
                new Exchange("RestService.deleteSchemaVersion: DELETE /subjects/{subject}/versions/{version}"
                        + "?permanent=false; the answer is the version number",
                        "DELETE", "/subjects/replay-value/versions/2?permanent=false", null, 200,
                        (j, vars) -> assertThat(j.asInt()).isEqualTo(2)));
    }

    @Test
    void confluentsClientRequestsAreAnsweredAsItExpects() throws Exception {
        Map<String, String> vars = new HashMap<>();
        for (Exchange exchange : exchanges()) {
            String path = exchange.path().replace("{id}", vars.getOrDefault("id", "0"));
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                    .timeout(Duration.ofSeconds(60));
            CONFLUENT_HEADERS.forEach(b::header);
            b.method(exchange.method(), exchange.body() == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(exchange.body()));
            HttpResponse<String> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(exchange.source() + " -> " + response.body())
                    .isEqualTo(exchange.status());
            assertThat(response.headers().firstValue("Content-Type").orElse(""))
                    .as(exchange.source()).startsWith("application/vnd.schemaregistry.v1+json");
            exchange.check().accept(json(response.body()), vars);
        }
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
