package io.syncline.connect.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.delivery.testing.Canonical;
import io.syncline.delivery.testing.CanonicalTopics;
import io.syncline.kafka.ConnectRestClient;
import io.syncline.kafka.EmbeddedConnectWorker;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.registry.server.SchemaRegistryServer;
import io.syncline.sandbox.crm.CrmSandbox;
import io.syncline.sandbox.core.WriteRecord;
import io.syncline.schemas.finance.Customer;
import io.syncline.schemas.finance.CustomerActivity;
import io.syncline.schemas.finance.Payment;
import io.syncline.schemas.finance.PaymentStatus;
import io.syncline.testsupport.connect.ConnectAdmin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
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
 * The CRM contact sink, loaded from its plugin archive into a real worker, against the HubSpot CRM sandbox over HTTP:
 * customer-activity records become contact properties by e-mail through batch/upsert on two tasks, with faults,
 * OAuth2 expiry and revocation, batches rebuilt after a restart, a contact the CRM rejects, and configurations from
 * before the activity topic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrmContactSinkWorkerIT {

    /** By name: the sink's classes are only in the plugin archive the worker loads, not on the test classpath. */
    private static final String CONNECTOR = "io.syncline.connect.crm.CrmContactSinkConnector";

    private EmbeddedKafkaBroker broker;
    private SchemaRegistryServer registry;
    private EmbeddedConnectWorker worker;
    private ConnectRestClient rest;
    private Canonical canonical;
    private CrmSandbox crm;
    private String namespace;
    private int tests;

    @BeforeAll
    void start(@TempDir Path dir) {
        broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).port(0).controllerPort(0).build().start();
        registry = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0).build().start();
        worker = EmbeddedConnectWorker.builder(broker.bootstrapServers()).port(0)
                .pluginDirectory(Path.of(System.getProperty("syncline.test.plugin.path", "target/plugin"))).build()
                .start();
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
    void freshCrm() {
        namespace = "crm" + (++tests);
        crm = CrmSandbox.builder().port(0).accessTokenTtl(Duration.ofMinutes(30)).build().start();
    }

    @AfterEach
    void removeConnector() {
        if (rest.connectors().contains(namespace)) {
            rest.deleteConnector(namespace);
        }
        crm.close();
    }

    private String activities() {
        return "canonical." + namespace + ".customer-activity.v1";
    }

    private Map<String, String> config(String refreshToken) {
        String hostPort = "127.0.0.1:" + crm.port();
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", CONNECTOR);
        c.put("tasks.max", "2");
        c.put("topics", activities());
        c.put("value.converter", "io.syncline.registry.connect.AvroConverter");
        c.put("value.converter.schema.registry.url", registry.url());
        c.put("crm.url", crm.url());
        c.put("auth.type", "oauth2");
        c.put("oauth2.token.url", crm.url() + "/oauth/v1/token");
        c.put("oauth2.client.id", crm.clientId());
        c.put("oauth2.client.secret", crm.clientSecret());
        c.put("oauth2.refresh.token", refreshToken);
        c.put("outbound.allow.list", hostPort);
        c.put("outbound.allow.plain.http", hostPort);
        c.put("http.request.timeout.ms", "2000");
        c.put("retry.backoff.initial.ms", "50");
        c.put("retry.backoff.max.ms", "500");
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", "dlq.sink." + namespace);
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        return c;
    }

    private void topics() {
        CanonicalTopics.create(broker.bootstrapServers(), activities(), 3);
    }

    private void produce(List<CustomerActivity> records) {
        CanonicalTopics.produce(broker.bootstrapServers(), canonical, activities(), records.stream()
                .map(a -> Map.entry(a.getId(), a)).toList());
    }

    private static Customer customer(int i, Instant at) {
        return Canonical.customer("cus_" + i, "Buyer" + i + "@Example.com", "Jane Buyer" + i, "evt_c" + i, at);
    }

    private static Payment payment(int customer, int n, long amount, Instant at) {
        return Canonical.payment("ch_" + customer + "_" + n, "cus_" + customer, amount, "USD",
                PaymentStatus.SUCCEEDED, "evt_p" + customer + "_" + n, at);
    }

    /** Revisions 1-3 of payer {@code i}: the customer, then its first payment, then its second (the newest). */
    private static List<CustomerActivity> payer(int i, Instant t0) {
        Customer c = customer(i, t0);
        String email = "buyer" + i + "@example.com";
        Payment first = payment(i, 1, 1000 + i, t0.plusSeconds(60));
        Payment second = payment(i, 2, 2500 + i, t0.plusSeconds(120));
        return List.of(Activities.of("stripe:cus_" + i, 1, c, null, 0, email),
                Activities.of("stripe:cus_" + i, 2, c, first, 1000 + i, email),
                Activities.of("stripe:cus_" + i, 3, c, second, 3500 + 2L * i, email));
    }

    private Optional<JsonNode> contact(String email) {
        for (String id : crm.objectIds("contacts")) {
            JsonNode c = crm.object("contacts", id);
            if (email.equals(c.path("properties").path("email").asText())) {
                return Optional.of(c.path("properties"));
            }
        }
        return Optional.empty();
    }

    private void awaitRunning() {
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
            ConnectRestClient.ConnectorStatus s = rest.status(namespace);
            s.tasks().forEach(t -> assertThat(t.state()).as(t.trace() == null ? "" : t.trace()).isNotEqualTo("FAILED"));
            assertThat(s.state()).isEqualTo("RUNNING");
            assertThat(s.tasks()).isNotEmpty().allMatch(t -> t.state().equals("RUNNING"));
        });
    }

    private void assertPayer(int i) {
        JsonNode c = contact("buyer" + i + "@example.com").orElseThrow(() -> new AssertionError("no contact yet"));
        assertThat(c.path("firstname").asText()).isEqualTo("Jane");
        assertThat(c.path("lastname").asText()).isEqualTo("Buyer" + i);
        assertThat(c.path("syncline_customer_id").asText()).isEqualTo("stripe:cus_" + i);
        assertThat(c.path("syncline_last_payment_id").asText()).isEqualTo("stripe:ch_" + i + "_2");
        assertThat(new BigDecimal(c.path("syncline_last_payment_amount").asText()))
                .isEqualByComparingTo(BigDecimal.valueOf(2500 + i, 2));
        assertThat(c.path("syncline_last_payment_currency").asText()).isEqualTo("USD");
        assertThat(c.path("syncline_last_payment_status").asText()).isEqualTo("SUCCEEDED");
        assertThat(c.path("syncline_last_payment_date").asText()).isEqualTo("2026-11-01T10:02:00.000Z");
        assertThat(new BigDecimal(c.path("syncline_lifetime_value").asText()))
                .isEqualByComparingTo(BigDecimal.valueOf(3500 + 2L * i, 2));
    }

    @Test
    void activitiesBecomeContactPropertiesOnTwoTasksThroughFaultsAndATokenExpiry() {
        topics();
        Instant t0 = Instant.parse("2026-11-01T10:00:00Z");
        List<CustomerActivity> firstHalf = new ArrayList<>();
        List<CustomerActivity> secondHalf = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            List<CustomerActivity> revisions = payer(i, t0);
            firstHalf.addAll(revisions.subList(0, 2));
            secondHalf.add(revisions.get(2));
        }
        // A guest checkout with an e-mail: a payer of its own, with payment properties and no customer ones.
        Payment guest = Canonical.payment("ch_guest", null, 700, "USD", PaymentStatus.SUCCEEDED, "evt_g",
                t0.plusSeconds(30));
        secondHalf.add(Activities.of("stripe:guest:guest@example.com", 1, null, guest, 700, "guest@example.com"));
        crm.faults().serverErrorRatio(0.2).rateLimitRatio(0.1);
        rest.putConnectorConfig(namespace, config(crm.oauth().issueRefreshToken()));
        awaitRunning();
        produce(firstHalf);
        crm.oauth().expireAccessTokens();
        produce(secondHalf);

        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            for (int i = 0; i < 40; i++) {
                assertPayer(i);
            }
            assertThat(contact("guest@example.com")).hasValueSatisfying(g -> {
                assertThat(g.path("syncline_last_payment_id").asText()).isEqualTo("stripe:ch_guest");
                assertThat(g.path("firstname").isNull() || g.path("firstname").isMissingNode()).isTrue();
            });
        });
        assertThat(crm.objectIds("contacts")).hasSize(41);
        assertThat(crm.requestLog().records()).anyMatch(r -> r.status() >= 500);
        awaitRunning();
        // The task keeps no state, so tasks.max is honoured.
        assertThat(rest.status(namespace).tasks()).hasSize(2);
    }

    @Test
    void batchesRebuiltAfterARestartRepeatTheirTraceIdsSoNoChangeIsAppliedTwice() {
        topics();
        Instant t0 = Instant.parse("2026-11-01T10:00:00Z");
        List<CustomerActivity> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            all.addAll(payer(i, t0));
        }
        crm.faults().latency(150, 50); // slow enough that changes are in flight when the tasks restart
        Map<String, String> c = config(crm.oauth().issueRefreshToken());
        c.put("batch.max.records", "7");
        rest.putConnectorConfig(namespace, c);
        awaitRunning();
        produce(all);
        await().atMost(Duration.ofSeconds(60)).until(() -> crm.writes().size() >= 20);
        // Reconfigured mid-stream: the tasks restart from the committed offsets and cut their batches anew.
        c.put("batch.max.records", "4");
        rest.putConnectorConfig(namespace, c);

        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            for (int i = 0; i < 30; i++) {
                assertPayer(i);
            }
        });
        Map<String, Long> applied = crm.writes().stream().filter(w -> w.objectWriteTraceId() != null)
                .collect(java.util.stream.Collectors.groupingBy(WriteRecord::objectWriteTraceId,
                        java.util.stream.Collectors.counting()));
        assertThat(applied.values()).as("each change applied once").allMatch(n -> n == 1);
        assertThat(applied.keySet()).containsAll(all.stream().map(a -> a.getId() + ":" + a.getRevision()).toList());
    }

    @Test
    void aContactTheCrmRejectsGoesToTheDeadLetterTopicAndTheRestIsDelivered() {
        topics();
        Instant t0 = Instant.parse("2026-11-02T10:00:00Z");
        rest.putConnectorConfig(namespace, config(crm.oauth().issueRefreshToken()));
        awaitRunning();
        Customer bad = Canonical.customer("cus_bad", "not-an-email", "Bad Address", "evt_bad", t0);
        produce(List.of(payer(1, t0).get(0), Activities.of("stripe:cus_bad", 1, bad, null, 0, "not-an-email"),
                payer(2, t0).get(0)));

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(contact("buyer1@example.com")).isPresent();
            assertThat(contact("buyer2@example.com")).isPresent();
            assertThat(endOffset("dlq.sink." + namespace)).isEqualTo(1);
        });
        assertThat(crm.objectIds("contacts")).hasSize(2);
    }

    @Test
    void aRevokedRefreshTokenFailsTheTaskNamingTheKeyToFix() {
        topics();
        String refresh = crm.oauth().issueRefreshToken();
        crm.oauth().revokeRefreshToken(refresh);
        rest.putConnectorConfig(namespace, config(refresh));
        produce(List.of(payer(1, Instant.parse("2026-11-03T10:00:00Z")).get(0)));

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(rest.status(namespace).tasks())
                .anySatisfy(t -> {
                    assertThat(t.state()).isEqualTo("FAILED");
                    assertThat(t.trace()).contains("oauth2.refresh.token");
                }));
        assertThat(crm.objectIds("contacts")).isEmpty();
    }

    @Test
    void aConfigWrittenWithTheClassNameFromBeforeTheSplitAndTheJoinKeysFromBeforeTheActivityStillDelivers() {
        topics();
        Map<String, String> c = config(crm.oauth().issueRefreshToken());
        c.put("connector.class", "io.syncline.connect.http.crm.CrmContactSinkConnector");
        c.put("crm.payment.customer.wait.ms", "60000"); // deprecated: accepted, no effect
        c.put("crm.payment.email.field", "billing_email");
        rest.putConnectorConfig(namespace, c);
        awaitRunning();
        produce(List.of(payer(1, Instant.parse("2026-11-04T10:00:00Z")).get(0)));

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(contact("buyer1@example.com"))
                .hasValueSatisfying(p -> assertThat(p.path("syncline_customer_id").asText()).isEqualTo("stripe:cus_1")));
    }

    @Test
    void aConfigThatStillReadsTheCustomerAndPaymentTopicsIsRefusedOnTopicsSayingWhatToRead() {
        Map<String, String> c = config("unused");
        c.put("topics", "canonical.finance.customer.v1,canonical.finance.payment.v1");
        Map<String, List<String>> problems = new ConnectAdmin(worker.url()).validate(CONNECTOR, c);
        assertThat(problems.get("topics")).hasSize(2).allMatch(m -> m.contains("the CRM contact sink reads "
                + "canonical.finance.customer-activity.v1") && m.contains("set topics="
                + "canonical.finance.customer-activity.v1"));
    }

    @Test
    void aCrmAddressThatIsNotAllowListedIsRefusedOnTheUrlKey() {
        Map<String, String> c = config("unused");
        c.remove("outbound.allow.list");
        Map<String, List<String>> problems = new ConnectAdmin(worker.url())
                .validate(CONNECTOR, c);
        assertThat(problems.get("crm.url")).anyMatch(m -> m.contains("is an internal address (loopback)"));
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
            ListOffsetsResult r = admin.listOffsets(specs);
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
