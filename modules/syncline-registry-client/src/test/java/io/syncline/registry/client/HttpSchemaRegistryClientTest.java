package io.syncline.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpSchemaRegistryClientTest {

    private static final Schema ORDER = SchemaBuilder.record("Order").namespace("io.syncline.test").fields()
            .requiredString("id").endRecord();
    private static final String LATEST = "{\"subject\":\"orders-value\",\"id\":7,\"version\":2,\"schema\":"
            + new ObjectMapper().valueToTree(ORDER.toString()) + "}";

    private LoopbackHttp server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpSchemaRegistryClient client(String urls, Object... kv) {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", urls);
        config.put("retries.wait.ms", 5);
        config.put("retries.max.wait.ms", 20);
        for (int i = 0; i < kv.length; i += 2) {
            config.put((String) kv[i], kv[i + 1]);
        }
        return HttpSchemaRegistryClient.create(config);
    }

    @Test
    void registersWithConfluentsRequestShapeAndCachesTheId() throws IOException {
        server = LoopbackHttp.answering(req -> LoopbackHttp.Reply.json(200, "{\"id\":7}"));
        HttpSchemaRegistryClient client = client(server.url());

        assertThat(client.register("orders/eu-value", ORDER)).isEqualTo(7);
        assertThat(client.register("orders/eu-value", ORDER)).isEqualTo(7);
        assertThat(client.getSchemaById(7)).isSameAs(ORDER);

        assertThat(server.seen()).singleElement().satisfies(req -> {
            assertThat(req.method()).isEqualTo("POST");
            assertThat(req.pathAndQuery()).isEqualTo("/subjects/orders%2Feu-value/versions");
            assertThat(req.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
            assertThat(req.header("Accept")).startsWith("application/vnd.schemaregistry.v1+json");
            assertThat(req.header("Authorization")).isNull();
            JsonNode body = readJson(req.body());
            assertThat(new Schema.Parser().parse(body.get("schema").asText())).isEqualTo(ORDER);
            assertThat(body.has("schemaType")).isFalse();
        });
    }

    @Test
    void fourHundredsAreNotRetriedAndCarryConfluentsErrorCode() {
        server = LoopbackHttp.answering(req -> LoopbackHttp.Reply.json(404,
                "{\"error_code\":40401,\"message\":\"Subject 'nope-value' not found.\"}"));

        assertThatThrownBy(() -> client(server.url()).getLatestSchemaMetadata("nope-value"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40401);
                    assertThat(e.isNotFound()).isTrue();
                    assertThat(e.registryMessage()).isEqualTo("Subject 'nope-value' not found.");
                    assertThat(e.getMessage()).startsWith("fetching the latest version of subject 'nope-value' at "
                            + server.url() + "/: HTTP 404, error_code 40401");
                });
        assertThat(server.seen()).hasSize(1);
    }

    @Test
    void retriesFiveHundredsThenSucceeds() {
        server = LoopbackHttp.answering(req -> LoopbackHttp.Reply.json(200, LATEST)).failNext(2, 503);

        SchemaMetadata latest = client(server.url()).getLatestSchemaMetadata("orders-value");

        assertThat(latest.id()).isEqualTo(7);
        assertThat(latest.version()).isEqualTo(2);
        assertThat(server.seen()).hasSize(3);
    }

    @Test
    void givesUpAfterTheConfiguredRetriesWithTheLastError() {
        server = LoopbackHttp.answering(req -> LoopbackHttp.Reply.json(200, LATEST)).failNext(100, 500);

        assertThatThrownBy(() -> client(server.url(), "max.retries", 2).getSchemaById(3))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.errorCode()).isEqualTo(50001);
                    assertThat(e.isRetriable()).isTrue();
                    assertThat(e.getMessage()).contains("fetching schema id 3");
                });
        assertThat(server.seen()).hasSize(3);
    }

    @Test
    void aProxyPageThatIsNotJsonIsReportedByItsBeginning() {
        server = LoopbackHttp.answering(req -> new LoopbackHttp.Reply(502, "<html>Bad gateway</html>", Map.of()));

        assertThatThrownBy(() -> client(server.url(), "max.retries", 0).getAllSubjects())
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 502")
                .hasMessageContaining("<html>Bad gateway</html>");
    }

    @Test
    void failsOverToTheNextUrlAndStaysThere() throws IOException {
        server = LoopbackHttp.answering(req -> LoopbackHttp.Reply.json(200, "[\"a-value\"]"));
        String dead = "http://127.0.0.1:" + deadPort();
        HttpSchemaRegistryClient client = client(dead + "," + server.url(), "max.retries", 0);

        assertThat(client.getAllSubjects()).containsExactly("a-value");
        assertThat(client.getAllSubjects()).containsExactly("a-value");
        assertThat(server.seen()).hasSize(2);
    }

    @Test
    void sendsBasicCredentialsFromUserInfo() {
        server = LoopbackHttp.answering(req -> LoopbackHttp.Reply.json(200, "[]"));
        client(server.url(), "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "alice:s3cret")
                .getAllSubjects();

        assertThat(server.seen().get(0).header("Authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void sendsBasicCredentialsFromTheUrlWithoutPuttingThemInMessages() {
        server = LoopbackHttp.answering(req -> LoopbackHttp.Reply.json(401,
                "{\"error_code\":40101,\"message\":\"Unauthorized\"}"));
        String url = server.url().replace("http://", "http://bob:pa%24%24word@");
        HttpSchemaRegistryClient client = client(url);

        assertThatThrownBy(client::getAllSubjects)
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageNotContaining("pa$$word")
                .hasMessageNotContaining("pa%24%24word")
                .hasMessageNotContaining("bob");
        assertThat(client.toString()).doesNotContain("bob").doesNotContain("word");
        assertThat(server.seen().get(0).header("Authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("bob:pa$$word".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void sendsAStaticBearerToken() {
        server = LoopbackHttp.answering(req -> LoopbackHttp.Reply.json(200, "[]"));
        client(server.url(), "bearer.auth.credentials.source", "STATIC_TOKEN", "bearer.auth.token", "tok-123")
                .getAllSubjects();

        assertThat(server.seen().get(0).header("Authorization")).isEqualTo("Bearer tok-123");
    }

    @Test
    void oauthBearerFetchesAClientCredentialsTokenOnceAndSendsConfluentsRoutingHeaders() {
        try (LoopbackHttp issuer = LoopbackHttp.answering(req -> new LoopbackHttp.Reply(200,
                "{\"access_token\":\"jwt-abc\",\"token_type\":\"Bearer\",\"expires_in\":3600}",
                Map.of("Content-Type", "application/json")))) {
            server = LoopbackHttp.answering(req -> LoopbackHttp.Reply.json(200, "[]"));
            HttpSchemaRegistryClient client = client(server.url(), "bearer.auth.credentials.source", "OAUTHBEARER",
                    "bearer.auth.issuer.endpoint.url", issuer.url() + "/oauth2/token",
                    "bearer.auth.client.id", "sr-client", "bearer.auth.client.secret", "s3cret",
                    "bearer.auth.scope", "schema:read registry",
                    "bearer.auth.logical.cluster", "lsrc-123", "bearer.auth.identity.pool.id", "pool-9");
            client.getAllSubjects();
            client.getAllSubjects();

            assertThat(issuer.seen()).singleElement().satisfies(req -> {
                assertThat(req.method()).isEqualTo("POST");
                assertThat(req.pathAndQuery()).isEqualTo("/oauth2/token");
                assertThat(req.header("Authorization")).isEqualTo("Basic "
                        + Base64.getEncoder().encodeToString("sr-client:s3cret".getBytes(StandardCharsets.UTF_8)));
                assertThat(req.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
                assertThat(req.body()).isEqualTo("grant_type=client_credentials&scope=schema%3Aread+registry");
            });
            assertThat(server.seen()).hasSize(2).allSatisfy(req -> {
                assertThat(req.header("Authorization")).isEqualTo("Bearer jwt-abc");
                assertThat(req.header("target-sr-cluster")).isEqualTo("lsrc-123");
                assertThat(req.header("Confluent-Identity-Pool-Id")).isEqualTo("pool-9");
            });
        }
    }

    @Test
    void oauthBearerNeedsItsEndpointAndClientAndARefusedSecretIsNamedWithoutEchoingIt() {
        assertThatThrownBy(() -> client("http://localhost:1", "bearer.auth.credentials.source", "OAUTHBEARER"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bearer.auth.issuer.endpoint.url");
        try (LoopbackHttp issuer = LoopbackHttp.answering(req -> LoopbackHttp.Reply.json(401, "{}"))) {
            HttpSchemaRegistryClient client = client("http://localhost:1", "bearer.auth.credentials.source",
                    "OAUTHBEARER", "bearer.auth.issuer.endpoint.url", issuer.url(), "bearer.auth.client.id", "c",
                    "bearer.auth.client.secret", "very-secret");
            assertThatThrownBy(client::getAllSubjects).isInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining("bearer.auth.client.secret").hasMessageNotContaining("very-secret");
        }
    }

    @Test
    void aSchemaWithReferencesIsParsedWithTheReferencedVersions() {
        String customer = "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"com.example\","
                + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
        String order = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"com.example\","
                + "\"fields\":[{\"name\":\"customer\",\"type\":\"Customer\"}]}";
        ObjectMapper json = new ObjectMapper();
        server = LoopbackHttp.answering(req -> switch (req.pathAndQuery()) {
            case "/schemas/ids/9" -> LoopbackHttp.Reply.json(200, "{\"schema\":" + json.valueToTree(order)
                    + ",\"references\":[{\"name\":\"com.example.Customer\",\"subject\":\"customer\","
                    + "\"version\":2}]}");
            case "/subjects/customer/versions/2" -> LoopbackHttp.Reply.json(200, "{\"subject\":\"customer\","
                    + "\"version\":2,\"id\":3,\"schema\":" + json.valueToTree(customer) + "}");
            default -> LoopbackHttp.Reply.json(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
        });
        Schema schema = client(server.url()).getSchemaById(9);
        assertThat(schema.getField("customer").schema().getFullName()).isEqualTo("com.example.Customer");
        assertThat(schema.getField("customer").schema().getField("id")).isNotNull();
    }

    @Test
    void badAuthSettingsFailNamingTheKeyButNotTheSecret() {
        assertThatThrownBy(() -> client("http://localhost:1", "basic.auth.credentials.source", "USER_INFO"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("basic.auth.user.info");
        assertThatThrownBy(() -> client("http://localhost:1", "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "nocolon"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("user:password").hasMessageNotContaining("nocolon");
        assertThatThrownBy(() -> client("http://localhost:1", "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "a:b", "bearer.auth.credentials.source", "STATIC_TOKEN", "bearer.auth.token", "t"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot both");
        assertThatThrownBy(() -> client("ftp://u:secret@host"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> client("http://localhost:1", "basic.auth.credentials.source", "SASL_INHERIT"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("basic.auth.credentials.source");
    }

    @Test
    void theLatestVersionIsCachedForItsTimeToLive() {
        server = LoopbackHttp.answering(req -> LoopbackHttp.Reply.json(200, LATEST));
        HttpSchemaRegistryClient cached = client(server.url(), "latest.cache.ttl.sec", 3600L);
        cached.getLatestSchemaMetadata("orders-value");
        cached.getLatestSchemaMetadata("orders-value");
        assertThat(server.seen()).hasSize(1);

        HttpSchemaRegistryClient uncached = client(server.url(), "latest.cache.ttl.sec", 0L);
        uncached.getLatestSchemaMetadata("orders-value");
        uncached.getLatestSchemaMetadata("orders-value");
        assertThat(server.seen()).hasSize(3);
    }

    @Test
    void compatibilityAndConfigUseConfluentsPathsAndFields() {
        server = LoopbackHttp.answering(req -> switch (req.method() + " " + req.pathAndQuery()) {
            case "POST /compatibility/subjects/orders-value/versions/latest?verbose=true" ->
                    LoopbackHttp.Reply.json(200, "{\"is_compatible\":false,\"messages\":[\"READER_FIELD_MISSING\"]}");
            case "GET /config/orders-value?defaultToGlobal=true" ->
                    LoopbackHttp.Reply.json(200, "{\"compatibilityLevel\":\"FULL\"}");
            case "PUT /config/orders-value" -> LoopbackHttp.Reply.json(200, "{\"compatibility\":\"NONE\"}");
            case "GET /config" -> LoopbackHttp.Reply.json(200, "{\"compatibilityLevel\":\"BACKWARD\"}");
            case "DELETE /subjects/orders-value?permanent=true" -> LoopbackHttp.Reply.json(200, "[1,2]");
            case "DELETE /subjects/orders-value/versions/2" -> LoopbackHttp.Reply.json(200, "2");
            default -> LoopbackHttp.Reply.json(404, "{\"error_code\":404,\"message\":\"unexpected " + req.pathAndQuery() + "\"}");
        });
        HttpSchemaRegistryClient client = client(server.url());

        assertThat(client.testCompatibility("orders-value", ORDER))
                .isEqualTo(new CompatibilityCheck(false, java.util.List.of("READER_FIELD_MISSING")));
        assertThat(client.getCompatibility("orders-value")).isEqualTo("FULL");
        assertThat(client.getCompatibility(null)).isEqualTo("BACKWARD");
        assertThat(client.updateCompatibility("orders-value", "NONE")).isEqualTo("NONE");
        assertThat(readJson(server.seen().get(3).body()).get("compatibility").asText()).isEqualTo("NONE");
        assertThat(client.deleteSchemaVersion("orders-value", 2, false)).isEqualTo(2);
        assertThat(client.deleteSubject("orders-value", true)).containsExactly(1, 2);
    }

    private static int deadPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static JsonNode readJson(String body) {
        try {
            return new ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
