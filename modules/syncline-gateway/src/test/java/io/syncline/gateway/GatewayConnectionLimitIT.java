package io.syncline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.syncline.config.GatewayConfig;
import io.syncline.config.SynclineConfigLoader;
import org.junit.jupiter.api.Test;

/**
 * {@code gateway.max-connections}: past the limit a new connection waits until an open one closes; and the header
 * deadline ends once a request's headers are in, however long its answer takes.
 */
class GatewayConnectionLimitIT {

    /** Opens a kept-alive connection and has one request served on it, so the gateway has surely accepted it. */
    private static Socket servedConnection(int port) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        OutputStream out = socket.getOutputStream();
        out.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        assertThat(in.readLine()).startsWith("HTTP/1.1 200");
        return socket;
    }

    @Test
    void pastTheLimitANewConnectionWaitsUntilAnOpenOneCloses() throws Exception {
        GatewayConfig config = SynclineConfigLoader.parse("gateway:\n  max-connections: 2\n",
                "GatewayConnectionLimitIT.yaml").gateway();
        // No broker: /health/live does not touch Kafka.
        try (WebhookGateway gateway = WebhookGateway.builder(config).bootstrapServers("127.0.0.1:1")
                .host("127.0.0.1").port(0).build().start();
             Socket first = servedConnection(gateway.port());
             Socket second = servedConnection(gateway.port())) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            CompletableFuture<HttpResponse<String>> third = client.sendAsync(HttpRequest.newBuilder(
                    URI.create(gateway.url() + "/health/live")).build(), HttpResponse.BodyHandlers.ofString());

            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !third.isDone());

            first.close();
            assertThat(third.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theHeaderDeadlineDoesNotCutARequestWhoseHeadersArrivedAndWhoseAnswerTakesLonger() throws Exception {
        // /health waits up to 2 s for a Kafka that is not there: four times the header deadline.
        GatewayConfig config = SynclineConfigLoader.parse("gateway:\n  header-timeout-ms: 500\n",
                "GatewayConnectionLimitIT.yaml").gateway();
        try (WebhookGateway gateway = WebhookGateway.builder(config).bootstrapServers("127.0.0.1:1")
                .host("127.0.0.1").port(0).build().start();
             Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("HTTP/1.1 503");
            // Kept alive after the answer, the connection gets a new deadline: idle past it, it is closed.
            await().atMost(Duration.ofSeconds(10)).until(() -> gateway.guard().closedForSlowHeaders() == 1);
        }
    }
}
