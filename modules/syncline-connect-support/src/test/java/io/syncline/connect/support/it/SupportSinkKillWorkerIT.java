package io.syncline.connect.support.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.delivery.testing.Canonical;
import io.syncline.delivery.testing.CanonicalTopics;
import io.syncline.kafka.ConnectRestClient;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.kafka.FreePorts;
import io.syncline.registry.server.SchemaRegistryServer;
import io.syncline.sandbox.support.SupportSandbox;
import io.syncline.schemas.common.Money;
import io.syncline.schemas.common.Operation;
import io.syncline.schemas.finance.Payment;
import io.syncline.schemas.finance.PaymentStatus;
import io.syncline.testsupport.connect.ForkedConnectWorker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The support sink in a Connect worker of its own JVM, killed with SIGKILL while it opens tickets for failed payments
 * and started again: the new worker resumes from the last committed offsets, so it replays changes whose tickets the
 * killed one already opened (and perhaps commented on). The lookup by external id before every create makes that
 * replay find them: afterwards the desk holds exactly one ticket per failed payment, each with exactly one comment.
 */
class SupportSinkKillWorkerIT {

    private static final String CONNECTOR = "io.syncline.connect.support.SupportSinkConnector";
    private static final int PAYMENTS = 60;

    @TempDir
    Path dir;
    private EmbeddedKafkaBroker broker;
    private SchemaRegistryServer registry;
    private SupportSandbox desk;
    private Process worker;

    @AfterEach
    void stop() throws InterruptedException {
        if (worker != null) {
            ForkedConnectWorker.kill(worker);
        }
        if (desk != null) {
            desk.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aWorkerKilledWhileOpeningTicketsLeavesExactlyOneTicketAndOneCommentPerFailedPayment() throws Exception {
        broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).port(0).controllerPort(0).build().start();
        registry = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0).build().start();
        desk = SupportSandbox.builder().port(0).rateLimitPerMinute(0).build().start();
        // Slow enough answers that the kill lands in the middle of the work.
        desk.faults().latency(150, 50);
        String topic = "canonical.kill.payment.v1";
        CanonicalTopics.create(broker.bootstrapServers(), topic, 2);
        Canonical canonical = new Canonical(registry.url());
        Instant t0 = Instant.parse("2026-11-05T10:00:00Z");
        List<Map.Entry<String, ?>> records = new ArrayList<>();
        for (int i = 0; i < PAYMENTS; i++) {
            String id = "ch_" + i;
            records.add(Map.entry("stripe:" + id, Payment.newBuilder()
                    .setId("stripe:" + id)
                    .setMetadata(Canonical.metadata(id, "evt_" + i, t0, Operation.UPSERT, "charge"))
                    .setAmount(new Money(1000L + i, "EUR"))
                    .setStatus(PaymentStatus.FAILED)
                    .setFailureCode("card_declined")
                    .setFailureMessage("Your card was declined.")
                    .setBillingEmail("payer" + i + "@example.com")
                    .setCreatedAt(t0)
                    .setUpdatedAt(t0)
                    .build()));
        }
        CanonicalTopics.produce(broker.bootstrapServers(), canonical, topic, records);

        Path plugins = SupportSourcePlugin.pluginPath();
        int port = FreePorts.pick();
        ConnectRestClient rest = new ConnectRestClient("http://127.0.0.1:" + port);
        worker = ForkedConnectWorker.start(broker.bootstrapServers(), port, plugins, "support-sink-kill",
                dir.resolve("worker.log"));
        awaitWorker(rest);
        rest.putConnectorConfig("support-sink-kill", config(topic));
        await().atMost(Duration.ofSeconds(120)).until(() -> desk.objectIds("tickets").size() >= 10);
        int before = desk.objectIds("tickets").size();
        assertThat(before).as("tickets before the kill").isLessThan(PAYMENTS);

        ForkedConnectWorker.kill(worker);
        worker = ForkedConnectWorker.start(broker.bootstrapServers(), port, plugins, "support-sink-kill",
                dir.resolve("worker.log"));
        awaitWorker(rest);

        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(ticketsByExternalId()).hasSize(PAYMENTS));
        // Let the replay finish: nothing more may come of it.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(desk.objectIds("tickets")).hasSize(PAYMENTS));
        Map<String, List<JsonNode>> tickets = ticketsByExternalId();
        for (int i = 0; i < PAYMENTS; i++) {
            String external = "syncline:stripe:ch_" + i;
            assertThat(tickets.get(external)).as(external + " (" + before + " tickets before the kill)").hasSize(1);
            assertThat(desk.comments(tickets.get(external).get(0).get("id").asLong())).as("comments of " + external)
                    .hasSize(1);
        }
    }

    private Map<String, String> config(String topic) {
        String hostPort = "127.0.0.1:" + desk.port();
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", CONNECTOR);
        c.put("tasks.max", "2");
        c.put("topics", topic);
        c.put("value.converter", "io.syncline.registry.connect.AvroConverter");
        c.put("value.converter.schema.registry.url", registry.url());
        c.put("zendesk.url", desk.url());
        c.put("auth.basic.username", desk.agentEmail() + "/token");
        c.put("auth.basic.password", SupportSandbox.DEFAULT_API_TOKEN);
        c.put("outbound.allow.list", hostPort);
        c.put("outbound.allow.plain.http", hostPort);
        c.put("rate.limit.window.requests", "0");
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", "dlq.sink.kill");
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        return c;
    }

    private Map<String, List<JsonNode>> ticketsByExternalId() {
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        for (String id : desk.objectIds("tickets")) {
            JsonNode t = desk.ticket(Long.parseLong(id));
            out.computeIfAbsent(t.path("external_id").asText(), k -> new ArrayList<>()).add(t);
        }
        return out;
    }

    private static void awaitWorker(ConnectRestClient rest) {
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> rest.connectors() != null);
    }
}
