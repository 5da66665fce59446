package io.syncline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.config.GatewayConfig;
import io.syncline.config.SynclineConfigLoader;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.raw.RawHeader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With Kafka gone the gateway answers 503 with Retry-After within its bounded produce timeout, never 2xx; when the
 * broker is back on the same data and port, requests are accepted and stored again.
 */
class GatewayKafkaOutageIT {

    private static final String SECRET = "outage-test-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dataDir;

    @Test
    void answers503WithRetryAfterWhileKafkaIsDownAndAcceptsAgainWhenItIsBack() throws Exception {
        GatewayConfig config = SynclineConfigLoader.parse("""
                gateway:
                  produce-timeout-ms: 3000
                  retry-after-seconds: 7
                  endpoints:
                    - name: github
                      scheme: github
                      secrets: [env:GH_SECRET]
                      topic: raw.github.event
                """, "outage.yaml").gateway();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dataDir).build();
        try (broker) {
            broker.start();
            try (WebhookGateway gateway = WebhookGateway.builder(config).bootstrapServers(broker.bootstrapServers())
                    .host("127.0.0.1").port(0).environment(Map.of("GH_SECRET", SECRET)).build().start()) {
                assertThat(post(gateway, "before-outage").statusCode()).isEqualTo(200);

                broker.close();
                HttpResponse<String> refused = post(gateway, "during-outage");
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).hasValue("7");
                assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
                JsonNode problem = JSON.readTree(refused.body());
                assertThat(problem.get("type").asText()).isEqualTo("urn:syncline:problem:kafka-unavailable");
                assertThat(problem.get("status").asInt()).isEqualTo(503);
                assertThat(refused.body()).doesNotContain(SECRET);
                assertThat(get(gateway, "/health").statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(get(gateway, "/health").body()).get("kafka").get("status").asText())
                        .isEqualTo("DOWN");
                assertThat(get(gateway, "/health/live").statusCode()).isEqualTo(200);

                broker.start();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> post(gateway, "after-outage").statusCode() == 200);
                assertThat(get(gateway, "/health").statusCode()).isEqualTo(200);

                try (RawTopics topics = new RawTopics(broker.bootstrapServers())) {
                    List<String> deliveries = topics.since(Map.<TopicPartition, Long>of()).stream()
                            .filter(r -> r.topic().equals("raw.github.event"))
                            .map(GatewayKafkaOutageIT::delivery).toList();
                    assertThat(deliveries).contains("before-outage", "after-outage");
                }
            }
        }
    }

    private static String delivery(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.headers().lastHeader(RawHeader.EVENT_ID.key()).value(), StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> post(WebhookGateway gateway, String delivery) throws Exception {
        byte[] body = ("{\"zen\":\"" + delivery + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.webhookUrl("github")))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        TestSigner.github(SECRET, delivery, body).forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(WebhookGateway gateway, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url() + path)).timeout(Duration.ofSeconds(30)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
