package io.syncline.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https through the SSRF guard: the client connects to the address the guard checked, yet TLS still verifies the
 * certificate against the host name. This is what the JDK client cannot do and why Syncline uses Jetty's.
 */
class TlsIT {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;
    private static HttpsServer server;
    private static SSLContext trustingTheServer;
    private static final AtomicReference<String> hostHeader = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        // keytool ships with every JDK; a self-signed certificate for api.secure.test, valid two days.
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=api.secure.test", "-ext", "SAN=dns:api.secure.test", "-validity", "2",
                "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        trustingTheServer = SSLContext.getInstance("TLS");
        trustingTheServer.init(null, tmf.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        server.createContext("/", exchange -> {
            hostHeader.set(exchange.getRequestHeaders().getFirst("Host"));
            byte[] body = "secure".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static SynclineHttpClient client(String name) {
        OutboundPolicy policy = OutboundPolicy.builder()
                .resolver(host -> List.of(InetAddress.getByName("127.0.0.1")))
                .allow(name).build();
        return SynclineHttpClient.builder().outboundPolicy(policy).sslContext(trustingTheServer)
                .timeSource(new ManualTimeSource()).build();
    }

    @Test
    void verifiesTheCertificateAgainstTheHostNameWhileConnectingToTheCheckedAddress() {
        int port = server.getAddress().getPort();
        try (SynclineHttpClient http = client("api.secure.test")) {

            SynclineResponse response = http.execute(
                    SynclineRequest.get("https://api.secure.test:" + port + "/v1/ping").build(),
                    CallContext.config("")).orThrow();

            assertThat(response.bodyAsString()).isEqualTo("secure");
            assertThat(hostHeader.get()).isEqualTo("api.secure.test:" + port);
        }
    }

    @Test
    void refusesACertificateForAnotherName() {
        int port = server.getAddress().getPort();
        try (SynclineHttpClient http = client("impostor.test")) {

            HttpFailure failure = http.execute(SynclineRequest.get("https://impostor.test:" + port + "/").build(),
                    CallContext.config("")).failure();

            assertThat(failure.rule()).isEqualTo(FailureRule.TLS);
            assertThat(failure.kind()).isEqualTo(FailureKind.PERMANENT_CONFIG);
            assertThat(failure.attempts()).isEqualTo(1);
            assertThat(failure.message()).startsWith("GET https://impostor.test:" + port + "/: TLS failure (");
        }
    }
}
