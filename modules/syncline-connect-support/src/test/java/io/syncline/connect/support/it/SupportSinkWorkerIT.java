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
import io.syncline.kafka.EmbeddedConnectWorker;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.registry.server.SchemaRegistryServer;
import io.syncline.sandbox.support.SupportSandbox;
import io.syncline.schemas.common.Money;
import io.syncline.schemas.common.Operation;
import io.syncline.schemas.finance.Payment;
import io.syncline.schemas.finance.PaymentStatus;
import io.syncline.schemas.finance.Refund;
import io.syncline.schemas.finance.RefundReason;
import io.syncline.schemas.finance.RefundStatus;
import io.syncline.testsupport.connect.ConnectAdmin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The support sink, loaded from its plugin archive into a real worker, against the support sandbox over HTTP with
 * its defaults (the failed-payment route): each failed payment opens exactly one ticket for its payer, through
 * server errors, 429s and a replay of every record; a later version of the payment updates that ticket and comments
 * once more; payments that did not fail are skipped; a ticket the desk rejects (422) is dead-lettered with the body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SupportSinkWorkerIT {

    /** By name: the sink's classes are only in the plugin archive the worker loads. */
    private static final String CONNECTOR = "io.syncline.connect.support.SupportSinkConnector";

    private EmbeddedKafkaBroker broker;
    private SchemaRegistryServer registry;
    private EmbeddedConnectWorker worker;
    private ConnectRestClient rest;
    private Canonical canonical;
    private SupportSandbox desk;
    private String namespace;
    private int tests;

    @BeforeAll
    void start(@TempDir Path dir) {
        broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).port(0).controllerPort(0).build().start();
        registry = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0).build().start();
        worker = EmbeddedConnectWorker.builder(broker.bootstrapServers()).port(0)
                .pluginDirectory(SupportSourcePlugin.pluginPath()).build().start();
        rest = new ConnectRestClient(worker.url());
        canonical = new Canonical(registry.url());
    }

    @AfterAll
    void stop() {
        if (worker != null) {
            worker.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void freshDesk() {
        namespace = "support" + (++tests);
        desk = SupportSandbox.builder().port(0).rateLimitPerMinute(0).build().start();
    }

    @AfterEach
    void removeConnector() {
        if (rest.connectors().contains(namespace)) {
            rest.deleteConnector(namespace);
        }
        desk.close();
    }

    private String payments() {
        return "canonical." + namespace + ".payment.v1";
    }

    private Map<String, String> config() {
        String hostPort = "127.0.0.1:" + desk.port();
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", CONNECTOR);
        c.put("tasks.max", "2");
        c.put("topics", payments());
        c.put("value.converter", "io.syncline.registry.connect.AvroConverter");
        c.put("value.converter.schema.registry.url", registry.url());
        c.put("zendesk.url", desk.url());
        c.put("auth.basic.username", desk.agentEmail() + "/token");
        c.put("auth.basic.password", SupportSandbox.DEFAULT_API_TOKEN);
        c.put("outbound.allow.list", hostPort);
        c.put("outbound.allow.plain.http", hostPort);
        c.put("rate.limit.window.requests", "0");
        c.put("http.request.timeout.ms", "2000");
        c.put("retry.backoff.initial.ms", "50");
        c.put("retry.backoff.max.ms", "500");
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", "dlq.sink." + namespace);
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        return c;
    }

    private static Map.Entry<String, ?> payment(int i, PaymentStatus status, String email, String failure,
                                                Instant at) {
        String id = "ch_" + i;
        return Map.entry("stripe:" + id, Payment.newBuilder()
                .setId("stripe:" + id)
                .setMetadata(Canonical.metadata(id, "evt_" + i + "_" + at.getEpochSecond(), at, Operation.UPSERT,
                        "charge"))
                .setAmount(new Money(1000L + i, "EUR"))
                .setAmountRefunded(new Money(0L, "EUR"))
                .setStatus(status)
                .setFailureCode(failure == null ? null : "card_declined")
                .setFailureMessage(failure)
                .setBillingName("Payer " + i)
                .setBillingEmail(email)
                .setCreatedAt(at)
                .setUpdatedAt(at)
                .build());
    }

    /** Live tickets by external id. */
    private Map<String, List<JsonNode>> ticketsByExternalId() {
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        for (String id : desk.objectIds("tickets")) {
            JsonNode t = desk.ticket(Long.parseLong(id));
            out.computeIfAbsent(t.path("external_id").asText(), k -> new ArrayList<>()).add(t);
        }
        return out;
    }

    private void awaitRunning() {
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
            ConnectRestClient.ConnectorStatus s = rest.status(namespace);
            s.tasks().forEach(t -> assertThat(t.state()).as(t.trace() == null ? "" : t.trace()).isNotEqualTo("FAILED"));
            assertThat(s.state()).isEqualTo("RUNNING");
            assertThat(s.tasks()).isNotEmpty().allMatch(t -> t.state().equals("RUNNING"));
        });
    }

    @Test
    void eachFailedPaymentOpensExactlyOneTicketThroughFaultsAndAReplayAndALaterVersionCommentsOnIt() {
        CanonicalTopics.create(broker.bootstrapServers(), payments(), 3);
        Instant t0 = Instant.parse("2026-11-01T10:00:00Z");
        List<Map.Entry<String, ?>> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            boolean failed = i % 3 != 0;
            records.add(payment(i, failed ? PaymentStatus.FAILED : PaymentStatus.SUCCEEDED,
                    "payer" + i + "@example.com", failed ? "Your card was declined." : null, t0));
        }
        desk.faults().serverErrorRatio(0.2).rateLimitRatio(0.1);
        rest.putConnectorConfig(namespace, config());
        awaitRunning();
        CanonicalTopics.produce(broker.bootstrapServers(), canonical, payments(), records);
        // The same records again, as after a crash before the offsets were committed.
        CanonicalTopics.produce(broker.bootstrapServers(), canonical, payments(), records);
        // A later version of payment 1 with another decline reason: the same ticket, one more comment.
        CanonicalTopics.produce(broker.bootstrapServers(), canonical, payments(), List.of(payment(1,
                PaymentStatus.FAILED, "payer1@example.com", "Insufficient funds.", t0.plusSeconds(60))));

        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            Map<String, List<JsonNode>> tickets = ticketsByExternalId();
            assertThat(tickets).hasSize(20);
            assertThat(desk.comments(tickets.get("syncline:stripe:ch_1").get(0).get("id").asLong())).hasSize(2);
        });
        Map<String, List<JsonNode>> tickets = ticketsByExternalId();
        for (int i = 0; i < 30; i++) {
            String external = "syncline:stripe:ch_" + i;
            if (i % 3 == 0) {
                assertThat(tickets).as("a payment that did not fail").doesNotContainKey(external);
                continue;
            }
            assertThat(tickets.get(external)).as(external).hasSize(1);
            JsonNode ticket = tickets.get(external).get(0);
            JsonNode requester = desk.user(ticket.get("requester_id").asLong());
            assertThat(requester.path("email").asText()).isEqualTo("payer" + i + "@example.com");
            assertThat(ticket.path("priority").asText()).isEqualTo("high");
            List<JsonNode> comments = desk.comments(ticket.get("id").asLong());
            String amount = String.format(java.util.Locale.ROOT, "%.2f", (1000 + i) / 100.0);
            assertThat(comments.get(0).path("body").asText()).isEqualTo("Payment stripe:ch_" + i + " of " + amount
                    + " EUR failed: Your card was declined. (card_declined)");
            if (i == 1) {
                assertThat(ticket.path("subject").asText()).isEqualTo("Payment failed: Insufficient funds.");
                assertThat(comments.get(1).path("body").asText()).contains("failed: Insufficient funds.");
            } else {
                assertThat(ticket.path("subject").asText()).isEqualTo("Payment failed: Your card was declined.");
                assertThat(comments).as("comments of " + external).hasSize(1);
            }
        }
        assertThat(desk.requestLog().records()).anyMatch(r -> r.status() >= 500).anyMatch(r -> r.status() == 429);
        awaitRunning();
    }

    /**
     * Update only (ticket.create=false), the demo's refund route: a refund of a payment that opened a ticket adds
     * one comment to it, also when delivered twice; a refund of a payment without a ticket opens none and is counted
     * as skipped (no-ticket), not dead-lettered.
     */
    @Test
    void aRefundCommentsOnTheTicketItsPaymentOpenedAndOpensNone() {
        CanonicalTopics.create(broker.bootstrapServers(), payments(), 1);
        String refunds = "canonical." + namespace + ".refund.v1";
        CanonicalTopics.create(broker.bootstrapServers(), refunds, 1);
        Instant t0 = Instant.parse("2026-11-04T10:00:00Z");
        rest.putConnectorConfig(namespace, config());
        Map<String, String> refundSink = config();
        refundSink.put("topics", refunds);
        refundSink.put("ticket.create", "false");
        refundSink.put("record.filter", "{equals: [/status, {const: SUCCEEDED}]}");
        refundSink.put("ticket.external.id", "{concat: [{const: 'syncline:'}, /payment_id]}");
        refundSink.put("ticket.fields", "{}");
        refundSink.put("ticket.comment", "{concat: [{const: 'Refund '}, /id, {const: ' of '}, {text: {major-units:"
                + " /amount}}, {const: ' '}, /amount/currency, {const: ' issued.'}]}");
        refundSink.put("errors.deadletterqueue.topic.name", "dlq.sink." + namespace + "-refunds");
        String refundConnector = namespace + "-refunds";
        rest.putConnectorConfig(refundConnector, refundSink);
        try {
            awaitRunning();
            CanonicalTopics.produce(broker.bootstrapServers(), canonical, payments(), List.of(
                    payment(1, PaymentStatus.FAILED, "payer1@example.com", "Your card was declined.", t0)));
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(ticketsByExternalId())
                    .containsOnlyKeys("syncline:stripe:ch_1"));
            long id = ticketsByExternalId().get("syncline:stripe:ch_1").get(0).get("id").asLong();

            List<Map.Entry<String, ?>> records = List.of(refund("re_1", "ch_1", t0.plusSeconds(60)),
                    refund("re_2", "ch_2", t0.plusSeconds(60)));
            CanonicalTopics.produce(broker.bootstrapServers(), canonical, refunds, records);
            CanonicalTopics.produce(broker.bootstrapServers(), canonical, refunds, records); // a replay

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(desk.comments(id))
                    .extracting(c -> c.path("body").asText()).containsExactly(
                            "Payment stripe:ch_1 of 10.01 EUR failed: Your card was declined. (card_declined)",
                            "Refund stripe:re_1 of 10.01 EUR issued."));
            // The refund without a ticket: looked up (twice, with the replay), never created, not dead-lettered.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(desk.requestLog().records(r ->
                    r.method().equals("GET") && r.path().startsWith("/api/v2/tickets") && r.query() != null
                            && r.query().contains("ch_2"))).hasSizeGreaterThanOrEqualTo(2));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(ticketsByExternalId()).containsOnlyKeys("syncline:stripe:ch_1");
                assertThat(desk.comments(id)).hasSize(2);
            });
            assertThat(endOffset("dlq.sink." + namespace + "-refunds")).isZero();
            ConnectRestClient.ConnectorStatus s = rest.status(refundConnector);
            assertThat(s.tasks()).allMatch(t -> t.state().equals("RUNNING"));
        } finally {
            rest.deleteConnector(refundConnector);
        }
    }

    private static Map.Entry<String, ?> refund(String id, String charge, Instant at) {
        return Map.entry("stripe:" + id, Refund.newBuilder()
                .setId("stripe:" + id)
                .setMetadata(Canonical.metadata(id, "evt_" + id, at, Operation.UPSERT, "refund"))
                .setAmount(new Money(1001L, "EUR"))
                .setPaymentId("stripe:" + charge)
                .setStatus(RefundStatus.SUCCEEDED)
                .setReason(RefundReason.REQUESTED_BY_CUSTOMER)
                .setCreatedAt(at)
                .setUpdatedAt(at)
                .build());
    }

    /**
     * The safe_update 409 path, made deterministic: the desk is told to have an agent save the ticket between the
     * sink's read and its write, and its clock steps a second per reading (Zendesk's stamps have one-second
     * resolution, so a real agent's save in the same second would not be seen). The sink must read the ticket again
     * and write once more: the new decline reason lands, with exactly one comment of it, beside the agent's note.
     */
    @Test
    void aTicketChangedBetweenTheSinksReadAndItsWriteIsReadAgainAndCommentedOnce() {
        desk.close();
        desk = SupportSandbox.builder().port(0).rateLimitPerMinute(0)
                .clock(new SteppingClock(Instant.parse("2026-11-03T10:00:00Z"))).build().start();
        CanonicalTopics.create(broker.bootstrapServers(), payments(), 1);
        Instant t0 = Instant.parse("2026-11-03T10:00:00Z");
        rest.putConnectorConfig(namespace, config());
        awaitRunning();
        CanonicalTopics.produce(broker.bootstrapServers(), canonical, payments(), List.of(
                payment(1, PaymentStatus.FAILED, "payer1@example.com", "Your card was declined.", t0)));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(ticketsByExternalId())
                .containsOnlyKeys("syncline:stripe:ch_1"));
        long id = ticketsByExternalId().get("syncline:stripe:ch_1").get(0).get("id").asLong();

        desk.changeTicketBeforeNextSafeUpdate("Called the payer; they will use another card.");
        CanonicalTopics.produce(broker.bootstrapServers(), canonical, payments(), List.of(
                payment(1, PaymentStatus.FAILED, "payer1@example.com", "Insufficient funds.", t0.plusSeconds(60))));

        List<String> expected = List.of(
                "Payment stripe:ch_1 of 10.01 EUR failed: Your card was declined. (card_declined)",
                "Called the payer; they will use another card.",
                "Payment stripe:ch_1 of 10.01 EUR failed: Insufficient funds. (card_declined)");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(desk.comments(id))
                .extracting(c -> c.path("body").asText()).containsExactlyElementsOf(expected));
        // Nothing more comes: the retry after the 409 was the one write, not one of several.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                desk.comments(id)).hasSize(3));
        String ticketPath = "/api/v2/tickets/" + id + ".json";
        assertThat(desk.requestLog().records(r -> r.method().equals("PUT") && r.path().equals(ticketPath)))
                .extracting(r -> r.status()).containsExactly(409, 200);
        assertThat(desk.ticket(id).path("subject").asText()).isEqualTo("Payment failed: Insufficient funds.");
        assertThat(ticketsByExternalId()).containsOnlyKeys("syncline:stripe:ch_1");
        awaitRunning();
    }

    /** A clock a second further on each time it is read, so no two writes of the desk share a second. */
    private static final class SteppingClock extends java.time.Clock {
        private final java.util.concurrent.atomic.AtomicLong seconds;

        SteppingClock(Instant start) {
            this.seconds = new java.util.concurrent.atomic.AtomicLong(start.getEpochSecond());
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(seconds.getAndIncrement());
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void aTicketTheDeskRejectsGoesToTheDeadLetterTopicAndTheRestIsDelivered() {
        CanonicalTopics.create(broker.bootstrapServers(), payments(), 1);
        Instant t0 = Instant.parse("2026-11-02T10:00:00Z");
        rest.putConnectorConfig(namespace, config());
        awaitRunning();
        CanonicalTopics.produce(broker.bootstrapServers(), canonical, payments(), List.of(
                payment(1, PaymentStatus.FAILED, "payer1@example.com", "Declined.", t0),
                payment(2, PaymentStatus.FAILED, "not-an-email", "Declined.", t0),
                payment(3, PaymentStatus.FAILED, "payer3@example.com", "Declined.", t0)));

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(ticketsByExternalId()).containsOnlyKeys("syncline:stripe:ch_1", "syncline:stripe:ch_3");
            assertThat(endOffset("dlq.sink." + namespace)).isEqualTo(1);
        });
        assertThat(desk.requestLog().records()).anyMatch(r -> r.status() == 422);
    }

    @Test
    void aDeskAddressThatIsNotAllowListedIsRefusedOnTheUrlKey() {
        Map<String, String> c = config();
        c.remove("outbound.allow.list");
        Map<String, List<String>> problems = new ConnectAdmin(worker.url()).validate(CONNECTOR, c);
        assertThat(problems.get("zendesk.url")).anyMatch(m -> m.contains("is an internal address (loopback)"));
    }

    private long endOffset(String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            if (!admin.listTopics().names().get().contains(topic)) {
                return 0;
            }
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .size();
            Map<TopicPartition, OffsetSpec> specs = new LinkedHashMap<>();
            for (int p = 0; p < partitions; p++) {
                specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            var r = admin.listOffsets(specs);
            long sum = 0;
            for (TopicPartition tp : specs.keySet()) {
                sum += r.partitionResult(tp).get().offset();
            }
            return sum;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
