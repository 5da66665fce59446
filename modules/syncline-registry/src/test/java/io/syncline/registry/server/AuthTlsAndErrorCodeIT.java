package io.syncline.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.syncline.config.SecretRef;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.registry.server.RegistryClient.Answer;

/**
 * The server's HTTP basic and bearer authentication (credentials by reference), HTTPS with and without client
 * certificates, and the switch between Confluent's newest incompatibility code (40901) and the older 409.
 */
class AuthTlsAndErrorCodeIT {

    private static final String STORE_PASSWORD = "store-secret";

    @TempDir
    static Path dir;

    static EmbeddedKafkaBroker broker;
    static Path keystore;
    static Path truststore;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).build().start();
        // One self-signed key pair for 127.0.0.1/localhost is the server's and the client's identity.
        keystore = dir.resolve("registry.p12");
        truststore = dir.resolve("trust.p12");
        Path cert = dir.resolve("registry.crt");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool("-exportcert", "-alias", "registry", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", STORE_PASSWORD);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void basicAndBearerCredentialsComeFromReferencesAndEverythingElseIs401() throws Exception {
        Path users = dir.resolve("users.txt");
        Files.writeString(users, "# user:password\nalice:wonder-land\nbob: builder,admin\n");
        try (SchemaRegistryServer server = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0)
                .topic("_schemas_auth")
                .basicAuthUsers(SecretRef.file(users))
                .bearerTokens(SecretRef.env("REGISTRY_TOKENS"))
                .environment(Map.of("REGISTRY_TOKENS", "token-one\ntoken-two"))
                .build().start()) {
            HttpClient http = HttpClient.newHttpClient();
            assertThat(get(http, server.url() + "/subjects", null).statusCode()).isEqualTo(401);
            HttpResponse<String> denied = get(http, server.url() + "/subjects", basic("alice", "wrong"));
            assertThat(denied.statusCode()).isEqualTo(401);
            assertThat(denied.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"SchemaRegistry\"");
            assertThat(denied.body()).isEqualTo("{\"error_code\":401,\"message\":\"Unauthorized\"}");
            assertThat(get(http, server.url() + "/subjects", basic("alice", "wonder-land")).statusCode())
                    .isEqualTo(200);
            assertThat(get(http, server.url() + "/subjects", basic("bob", "builder")).statusCode()).isEqualTo(200);
            assertThat(get(http, server.url() + "/subjects", "Bearer token-two").statusCode()).isEqualTo(200);
            assertThat(get(http, server.url() + "/subjects", "Bearer token-three").statusCode()).isEqualTo(401);
            // Health and metrics stay open for probes and scrapers; they hold no schema.
            assertThat(get(http, server.url() + "/health", null).statusCode()).isEqualTo(200);
            assertThat(get(http, server.url() + "/metrics", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aMissingCredentialReferenceStopsTheStartNamingTheReference() {
        SchemaRegistryServer server = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0)
                .topic("_schemas_auth_missing").bearerTokens(SecretRef.env("NOT_SET_ANYWHERE"))
                .environment(Map.of()).build();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("env:NOT_SET_ANYWHERE");
    }

    @Test
    void httpsServesTheApiAndMutualTlsRefusesClientsWithoutACertificate() throws Exception {
        SchemaRegistryServer.Tls tls = SchemaRegistryServer.Tls.keyStore(keystore, "PKCS12",
                SecretRef.env("STORE_PASSWORD"));
        try (SchemaRegistryServer server = SchemaRegistryServer.builder(broker.bootstrapServers()).host("127.0.0.1")
                .port(0).topic("_schemas_tls").tls(tls).environment(Map.of("STORE_PASSWORD", STORE_PASSWORD))
                .build().start()) {
            assertThat(server.url()).startsWith("https://127.0.0.1:");
            HttpClient trusting = HttpClient.newBuilder().sslContext(context(false)).build();
            assertThat(get(trusting, server.url() + "/subjects", null).body()).isEqualTo("[]");
        }
        try (SchemaRegistryServer server = SchemaRegistryServer.builder(broker.bootstrapServers()).host("127.0.0.1")
                .port(0).topic("_schemas_mtls")
                .tls(tls.requireClientCertificates(truststore, "PKCS12", SecretRef.env("STORE_PASSWORD")))
                .environment(Map.of("STORE_PASSWORD", STORE_PASSWORD)).build().start()) {
            HttpClient withCertificate = HttpClient.newBuilder().sslContext(context(true)).build();
            assertThat(get(withCertificate, server.url() + "/subjects", null).statusCode()).isEqualTo(200);
            HttpClient withoutCertificate = HttpClient.newBuilder().sslContext(context(false)).build();
            assertThatThrownBy(() -> get(withoutCertificate, server.url() + "/subjects", null))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void theIncompatibilityCodeIs40901UnlessSetToTheOlder409() {
        for (int code : List.of(40901, 409)) {
            try (SchemaRegistryServer server = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0)
                    .topic("_schemas_code_" + code).incompatibleErrorCode(code).build().start()) {
                RegistryClient client = new RegistryClient(server.url());
                client.register("coded", RegistryClient.record("C", "a:string"));
                Answer refused = client.post("/subjects/coded/versions",
                        Map.of("schema", RegistryClient.record("C", "a:int")));
                assertThat(refused.status()).isEqualTo(409);
                assertThat(refused.errorCode()).isEqualTo(code);
            }
        }
        assertThatThrownBy(() -> SchemaRegistryServer.builder("localhost:1").incompatibleErrorCode(42))
                .hasMessage("incompatibleErrorCode must be 40901 (Confluent 8.2 and later) or 409 (earlier releases),"
                        + " got 42");
    }

    // ---------------------------------------------------------------- helpers

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(HttpClient http, String url, String authorization) throws IOException,
            InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext context(boolean withClientCertificate) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(truststore));
        KeyManagerFactory kmf = null;
        if (withClientCertificate) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keystore), STORE_PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path path) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        return store;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }
}
