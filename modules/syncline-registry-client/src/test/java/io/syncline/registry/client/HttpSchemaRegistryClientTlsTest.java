package io.syncline.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS to the registry: a real HTTPS server on loopback that requires a client certificate (mutual TLS). */
class HttpSchemaRegistryClientTlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;

    private static Path keystore;
    private static Path truststore;
    private HttpsServer server;

    @BeforeAll
    static void generateKeys() throws Exception {
        // One self-signed key pair for 127.0.0.1 serves as the server's and the client's identity; the trust store
        // holds its certificate. keytool starts a JVM per call, so this runs once per class.
        keystore = dir.resolve("registry.p12");
        truststore = dir.resolve("trust.p12");
        Path cert = dir.resolve("registry.crt");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", "registry", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", PASSWORD);
    }

    @BeforeEach
    void start() throws Exception {
        SSLContext serverContext = SSLContext.getInstance("TLS");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(keystore), PASSWORD.toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(truststore));
        serverContext.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = serverContext.getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                params.setSSLParameters(ssl);
            }
        });
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = "[\"tls-value\"]".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    private Map<String, Object> config(boolean withKeystore) {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", url());
        config.put("schema.registry.ssl.truststore.location", truststore.toString());
        config.put("schema.registry.ssl.truststore.password", PASSWORD);
        config.put("schema.registry.ssl.truststore.type", "PKCS12");
        config.put("max.retries", 0);
        if (withKeystore) {
            config.put("schema.registry.ssl.keystore.location", keystore.toString());
            config.put("schema.registry.ssl.keystore.password", PASSWORD);
            config.put("schema.registry.ssl.keystore.type", "PKCS12");
        }
        return config;
    }

    @Test
    void talksMutualTlsWithTheConfiguredStores() {
        assertThat(HttpSchemaRegistryClient.create(config(true)).getAllSubjects()).containsExactly("tls-value");
    }

    @Test
    void withoutAClientCertificateTheHandshakeFailsAsARegistryError() {
        assertThatThrownBy(() -> HttpSchemaRegistryClient.create(config(false)).getAllSubjects())
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(-1);
                    assertThat(e.getMessage()).contains("listing subjects at " + url());
                });
    }

    @Test
    void withoutTheTrustStoreTheServerIsNotTrusted() {
        Map<String, Object> config = config(true);
        config.remove("schema.registry.ssl.truststore.location");
        assertThatThrownBy(() -> HttpSchemaRegistryClient.create(config).getAllSubjects())
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("no response");
    }

    @Test
    void aWrongStorePasswordFailsNamingTheStoreButNotThePassword() {
        Map<String, Object> config = config(true);
        config.put("schema.registry.ssl.keystore.password", "wrong-secret");
        assertThatThrownBy(() -> HttpSchemaRegistryClient.create(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.ssl.keystore.location")
                .hasMessageNotContaining("wrong-secret");
    }

    private static KeyStore load(Path path) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>();
        command.add(keytool.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }
}
