package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.cli.dist.SynclineProcess;
import io.syncline.cli.up.DemoSandboxesComponent;
import io.syncline.cli.up.DemoShopComponent;
import io.syncline.cli.up.DemoSecrets;
import io.syncline.cli.up.RunningFile;
import io.syncline.cli.up.StackContext;
import io.syncline.kafka.ConnectRestClient;
import io.syncline.kafka.FreePorts;
import io.syncline.registry.serde.KafkaAvroDeserializer;
import io.syncline.sandbox.crm.CrmSandbox;
import io.syncline.sandbox.payments.StripeSignature;
import io.syncline.sandbox.support.SupportSandbox;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code syncline up --demo} from the distribution, as a user runs it: the whole pipeline, payments sandbox →
 * connector and signed webhooks → raw topics → normalizer → canonical topics → CRM contact sink → CRM sandbox, and
 * {@code syncline status} showing it per stage. One stack for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoPipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private SynclineProcess up;
    private Path dataDir;
    private int gatewayPort;
    private int crmPort;
    private int supportPort;
    private int postgresPort;

    @BeforeAll
    void startDemo(@TempDir Path work) {
        dataDir = work.resolve("data");
        gatewayPort = FreePorts.pick();
        crmPort = FreePorts.pick();
        supportPort = FreePorts.pick();
        postgresPort = FreePorts.pick();
        up = SynclineProcess.start(dist(), work, List.of("up", "--demo", "--demo-rate", "3",
                "--data-dir", dataDir.toString(), "--config", work.resolve("no-syncline.yaml").toString(),
                "--kafka-port", "0", "--kafka-controller-port", "0", "--registry-port", "0", "--connect-port", "0",
                "--gateway-port", String.valueOf(gatewayPort), "--console-port", "0", "--payments-sandbox-port", "0",
                "--crm-sandbox-port", String.valueOf(crmPort), "--support-sandbox-port", String.valueOf(supportPort),
                "--postgres-port", String.valueOf(postgresPort)), Map.of());
        up.awaitLine(UpCommand.READY_LINE, Duration.ofSeconds(240));
    }

    @AfterAll
    void stopDemo() {
        if (up != null) {
            up.close();
        }
    }

    @Test
    void aSignedWebhookForANewPaymentEndsOnTheCustomersCrmContact() throws Exception {
        String secret = Files.readString(dataDir.resolve("demo/stripe-webhook.secret")).strip();
        long now = Instant.now().getEpochSecond();
        String email = "grace.hopper.e2e@example.com";
        webhook(secret, event("evt_e2e_customer", "customer.created", now, """
                {"id":"cus_e2e1","object":"customer","email":"%s","name":"Grace Hopper","created":%d,
                 "livemode":false,"metadata":{}}""".formatted(email, now)));
        webhook(secret, event("evt_e2e_charge", "charge.succeeded", now + 1, """
                {"id":"ch_e2e1","object":"charge","amount":123456,"currency":"usd","status":"succeeded",
                 "paid":true,"captured":true,"refunded":false,"customer":"cus_e2e1","created":%d,"livemode":false,
                 "billing_details":{"email":"%s","name":"Grace Hopper"},"metadata":{}}""".formatted(now + 1, email)));

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode contact = contact(email);
            assertThat(contact).as("contact " + email + " in the CRM sandbox").isNotNull();
            JsonNode p = contact.path("properties");
            assertThat(p.path("firstname").asText()).isEqualTo("Grace");
            assertThat(p.path("lastname").asText()).isEqualTo("Hopper");
            assertThat(p.path("syncline_last_payment_amount").asText()).isEqualTo("1234.56");
            assertThat(p.path("syncline_last_payment_currency").asText()).isEqualTo("USD");
            assertThat(p.path("syncline_last_payment_status").asText()).isEqualTo("SUCCEEDED");
            assertThat(p.path("syncline_last_payment_id").asText()).isEqualTo("stripe:ch_e2e1");
        });
    }

    @Test
    void theGeneratedActivityReachesTheCrmAndStatusShowsEveryStageWithItsLatency() {
        // Searched for, not read off the first page: the CRM generator's own contacts fill the lists too.
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode found = crmSend("/crm/v3/objects/contacts/search", "POST", """
                    {"filterGroups":[{"filters":[{"propertyName":"syncline_last_payment_amount",
                     "operator":"HAS_PROPERTY"}]}],"properties":["email","syncline_last_payment_amount"],"limit":10}""",
                    200);
            assertThat(found.path("results")).anyMatch(c -> !c.path("properties")
                    .path("syncline_last_payment_amount").isNull());
        });
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            String status = status();
            assertThat(status).contains("Pipeline").contains("demo-payments").contains("syncline-normalizer")
                    .containsPattern("source +demo-payments +RUNNING \\(2/2 tasks\\) +[1-9]\\d* written")
                    .contains("demo-crm-contacts").containsPattern("p50 \\d+ ms, p99 \\d+ ms")
                    // The CRM's request budgets: the source's account (private-app token) and the sink's (OAuth2).
                    .contains("Account budgets").containsPattern("http://localhost:" + crmPort
                            + " sha256:[0-9a-f]{12} +\\d+ per 10 s +\\d+ +\\d+ +\\d+ +\\S");
        });
    }

    @Test
    void theSupportSandboxRunsBesideTheOthersAndGeneratesTickets() throws Exception {
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString((SupportSandbox.DEFAULT_AGENT_EMAIL
                + "/token:" + demoSecrets().getProperty(DemoSecrets.SUPPORT_API_TOKEN)).getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + supportPort
                    + "/api/v2/tickets.json?page[size]=1")).header("Authorization", auth).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).path("tickets")).isNotEmpty();
        });
    }

    @Test
    void aContactCreatedThroughTheCrmApiIsReadByTheCrmSourceIntoItsRawTopic() throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + crmPort
                        + "/crm/v3/objects/contacts"))
                .header("Authorization", "Bearer " + demoSecrets().getProperty(DemoSecrets.CRM_PRIVATE_APP_TOKEN))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"properties\":{\"email\":\"grace.crm.e2e@example.com\","
                        + "\"firstname\":\"Grace\"}}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).path("id").asText();
        Map<String, String> running = RunningFile.read(dataDir).orElseThrow();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", running.get(StackContext.KAFKA), "group.id", "demo-crm-source-it",
                "auto.offset.reset", "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("raw.hubspot.contact"));
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                boolean found = false;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    var source = r.headers().lastHeader("syncline.source");
                    found |= id.equals(new String(r.key(), StandardCharsets.UTF_8)) && source != null
                            && new String(source.value(), StandardCharsets.UTF_8).equals("hubspot-api:"
                            + DemoSandboxesComponent.CRM_SOURCE_NAME)
                            && JSON.readTree(r.value()).path("properties").path("email").asText()
                            .equals("grace.crm.e2e@example.com");
                }
                assertThat(found).as("contact " + id + " on raw.hubspot.contact").isTrue();
            });
        }
        assertThat(status()).containsPattern("source +" + DemoSandboxesComponent.CRM_SOURCE_NAME
                + " +RUNNING \\(1/1 tasks\\)");
    }

    /**
     * Both ingest paths of the CRM, reconciled: a contact created through the CRM sandbox's API (the request
     * HubSpot's SDK sends for {@code crm.contacts.basicApi.create}) is read by the CRM source and becomes a canonical
     * contact; a change to it made while the source is stopped reaches canonical.crm.contact.v1 through the sandbox's
     * signed webhook batch and the gateway alone, merged into the full contact; and when the source runs again and
     * polls the same change, the normalizer drops it as a duplicate (counted in status) instead of emitting it twice.
     */
    @Test
    void aContactCreatedThroughTheCrmApiReachesCanonicalContactsByPollingAndItsChangeByWebhookOnce() throws Exception {
        String email = "ada.webhook.e2e@example.com";
        JsonNode created = crmSend("/crm/v3/objects/contacts", "POST", """
                {"properties":{"email":"%s","firstname":"Ada","lastname":"Lovelace"},"associations":[]}"""
                .formatted(email), 201);
        String id = created.path("id").asText();
        String key = "hubspot:" + id;
        Map<String, String> running = RunningFile.read(dataDir).orElseThrow();
        ConnectRestClient connect = new ConnectRestClient(running.get(StackContext.CONNECT));
        String crmSource = DemoSandboxesComponent.CRM_SOURCE_NAME;
        String webhookSource = "hubspot-webhook:" + DemoSandboxesComponent.CRM_WEBHOOK_ENDPOINT;
        try (KafkaAvroDeserializer values = new KafkaAvroDeserializer();
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                     "bootstrap.servers", running.get(StackContext.KAFKA), "isolation.level", "read_committed",
                     "group.id", "demo-crm-webhook-it", "auto.offset.reset", "earliest"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            values.configure(Map.of("schema.registry.url", running.get(StackContext.REGISTRY)), false);
            consumer.subscribe(List.of("canonical.crm.contact.v1", "raw.hubspot.contact"));
            List<GenericRecord> canonical = new java.util.ArrayList<>();
            List<String> canonicalSources = new java.util.ArrayList<>();
            List<ConsumerRecord<byte[], byte[]>> raw = new java.util.ArrayList<>();
            Runnable read = () -> consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                String k = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                if (r.topic().startsWith("canonical.") && k.equals(key) && r.value() != null) {
                    canonical.add((GenericRecord) values.deserialize(r.topic(), r.value()));
                    canonicalSources.add(header(r, "syncline.source"));
                } else if (r.topic().startsWith("raw.") && k.equals(id)) {
                    raw.add(r);
                }
            });

            // The poll path first: the webhook events of the creation wait in the normalizer for the full contact.
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                read.run();
                assertThat(canonical).anySatisfy(c -> assertThat(String.valueOf(c.get("email"))).isEqualTo(email));
            });
            assertThat(canonicalSources.get(0)).isEqualTo("hubspot-api:" + crmSource);

            // The webhook path: the source stopped (no task, nothing polls), the first name changed in the CRM.
            connect.targetState(crmSource, ConnectRestClient.TargetState.STOPPED);
            await().atMost(Duration.ofSeconds(60)).until(() -> connect.status(crmSource).state().equals("STOPPED")
                    && connect.status(crmSource).tasks().isEmpty());
            try {
                crmSend("/crm/v3/objects/contacts/" + id, "PATCH", """
                        {"properties":{"firstname":"Ada-Webhook"}}""", 200);
                await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                    read.run();
                    assertThat(canonical).anySatisfy(c -> assertThat(String.valueOf(c.get("first_name")))
                            .isEqualTo("Ada-Webhook"));
                });
                int i = firstWithName(canonical, "Ada-Webhook");
                GenericRecord changed = canonical.get(i);
                assertThat(canonicalSources.get(i)).as("syncline.source of the changed contact")
                        .isEqualTo(webhookSource);
                assertThat(String.valueOf(((GenericRecord) changed.get("metadata")).get("source_event_type")))
                        .isEqualTo("contact.propertyChange");
                assertThat(String.valueOf(changed.get("last_name"))).as("not blanked by a one-property event")
                        .isEqualTo("Lovelace");
                assertThat(String.valueOf(changed.get("email"))).isEqualTo(email);
            } finally {
                connect.targetState(crmSource, ConnectRestClient.TargetState.RUNNING);
            }

            // The poll path again: the source reads the same change, and the normalizer drops it as a duplicate.
            ConsumerRecord<byte[], byte[]> polled = await().atMost(Duration.ofSeconds(120)).until(() -> {
                read.run();
                return raw.stream().filter(r -> ("hubspot-api:" + crmSource).equals(header(r, "syncline.source"))
                        && firstName(r).equals("Ada-Webhook")).findFirst().orElse(null);
            }, java.util.Objects::nonNull);
            TopicPartition tp = new TopicPartition(polled.topic(), polled.partition());
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers",
                    running.get(StackContext.KAFKA)))) {
                await().atMost(Duration.ofSeconds(120)).until(() -> {
                    OffsetAndMetadata committed = admin.listConsumerGroupOffsets(running.get(StackContext.NORMALIZER))
                            .partitionsToOffsetAndMetadata().get().get(tp);
                    return committed != null && committed.offset() > polled.offset();
                });
            }
            // The normalizer commits its input offsets in the transaction that writes its output, so whatever it made
            // of the polled record is readable now.
            for (int n = 0; n < 4; n++) {
                read.run();
            }
            List<String> changeSources = new java.util.ArrayList<>();
            for (int i = 0; i < canonical.size(); i++) {
                if ("Ada-Webhook".equals(String.valueOf(canonical.get(i).get("first_name")))) {
                    changeSources.add(canonicalSources.get(i));
                }
            }
            assertThat(changeSources).as("the change, emitted once, by the path that brought it first")
                    .containsExactly(webhookSource);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(status()).containsPattern("raw topic +raw\\.hubspot\\.contact +- +\\d+ in, \\d+ out, "
                        + "dropped [1-9]\\d* duplicate")
                        .containsPattern("source +" + crmSource + " +RUNNING \\(1/1 tasks\\)"));
    }

    private static int firstWithName(List<GenericRecord> contacts, String firstName) {
        for (int i = 0; i < contacts.size(); i++) {
            if (firstName.equals(String.valueOf(contacts.get(i).get("first_name")))) {
                return i;
            }
        }
        throw new AssertionError("no contact named " + firstName);
    }

    private static String firstName(ConsumerRecord<byte[], byte[]> r) {
        try {
            return JSON.readTree(r.value()).path("properties").path("firstname").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * Both ingest paths of the support desk, reconciled: a ticket created through the support sandbox's API reaches
     * canonical.support.ticket.v1 through the sandbox's signed (Zendesk) webhook and the gateway's zendesk endpoint
     * (the export leaves the last minute out, so the webhook is always first), and when the support source's export
     * brings the same version a minute later, the normalizer drops it as a duplicate (counted in status) instead of
     * emitting it twice.
     */
    @Test
    void aTicketCreatedThroughTheSupportApiReachesCanonicalTicketsByWebhookAndItsPolledCopyIsADuplicate()
            throws Exception {
        String subject = "Webhook and export e2e " + System.nanoTime();
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString((SupportSandbox.DEFAULT_AGENT_EMAIL
                + "/token:" + demoSecrets().getProperty(DemoSecrets.SUPPORT_API_TOKEN)).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + supportPort
                        + "/api/v2/tickets.json")).header("Authorization", auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"ticket\":{\"subject\":\"" + subject + "\",\"comment\":"
                        + "{\"body\":\"Both paths, one record.\"},\"requester\":{\"name\":\"Ada Support\","
                        + "\"email\":\"ada.support.e2e@example.com\"}}}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode ticket = JSON.readTree(created.body()).path("ticket");
        String id = ticket.path("id").asText();
        String updatedAt = ticket.path("updated_at").asText();
        String webhookSource = "zendesk-webhook:" + DemoSandboxesComponent.SUPPORT_WEBHOOK_ENDPOINT;
        String polledSource = "zendesk-api:" + DemoSandboxesComponent.SUPPORT_SOURCE_NAME;
        Map<String, String> running = RunningFile.read(dataDir).orElseThrow();
        try (KafkaAvroDeserializer values = new KafkaAvroDeserializer();
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                     "bootstrap.servers", running.get(StackContext.KAFKA), "isolation.level", "read_committed",
                     "group.id", "demo-support-webhook-it", "auto.offset.reset", "earliest"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            values.configure(Map.of("schema.registry.url", running.get(StackContext.REGISTRY)), false);
            consumer.subscribe(List.of("canonical.support.ticket.v1", "raw.zendesk.ticket"));
            List<GenericRecord> canonical = new java.util.ArrayList<>();
            List<String> canonicalSources = new java.util.ArrayList<>();
            List<ConsumerRecord<byte[], byte[]>> raw = new java.util.ArrayList<>();
            Runnable read = () -> consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                String k = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                if (r.topic().startsWith("canonical.") && r.value() != null) {
                    GenericRecord v = (GenericRecord) values.deserialize(r.topic(), r.value());
                    if (subject.equals(String.valueOf(v.get("subject")))) {
                        canonical.add(v);
                        canonicalSources.add(header(r, "syncline.source"));
                    }
                } else if (r.topic().startsWith("raw.") && k.equals(id)) {
                    raw.add(r);
                }
            });

            // The webhook path: Zendesk's exports leave the last minute out, so the webhook brings the ticket first.
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                read.run();
                assertThat(canonical).isNotEmpty();
            });
            assertThat(canonicalSources.get(0)).as("syncline.source of the new ticket").isEqualTo(webhookSource);
            assertThat(raw).anySatisfy(r -> assertThat(header(r, "syncline.source")).isEqualTo(webhookSource));

            // The poll path: the support source exports the same version once it is a minute old.
            ConsumerRecord<byte[], byte[]> polled = await().atMost(Duration.ofSeconds(240))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        read.run();
                        return raw.stream().filter(r -> polledSource.equals(header(r, "syncline.source"))
                                && updatedAt.equals(json(r).path("updated_at").asText())).findFirst().orElse(null);
                    }, java.util.Objects::nonNull);
            TopicPartition tp = new TopicPartition(polled.topic(), polled.partition());
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers",
                    running.get(StackContext.KAFKA)))) {
                await().atMost(Duration.ofSeconds(120)).until(() -> {
                    OffsetAndMetadata committed = admin.listConsumerGroupOffsets(running.get(StackContext.NORMALIZER))
                            .partitionsToOffsetAndMetadata().get().get(tp);
                    return committed != null && committed.offset() > polled.offset();
                });
            }
            // The normalizer commits its input offsets in the transaction that writes its output, so whatever it made
            // of the polled record is readable now.
            for (int n = 0; n < 4; n++) {
                read.run();
            }
            List<String> versionSources = new java.util.ArrayList<>();
            for (int i = 0; i < canonical.size(); i++) {
                if (java.time.Instant.parse(updatedAt).equals(updatedAtOf(canonical.get(i)))) {
                    versionSources.add(canonicalSources.get(i));
                }
            }
            assertThat(versionSources).as("the created ticket, emitted once, by the webhook that brought it first")
                    .containsExactly(webhookSource);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(status()).containsPattern("raw topic +raw\\.zendesk\\.ticket +- +\\d+ in, \\d+ out, "
                        + "dropped [1-9]\\d* duplicate")
                        .containsPattern("source +" + DemoSandboxesComponent.SUPPORT_SOURCE_NAME
                                + " +RUNNING \\(3/3 tasks\\)"));
    }

    private static java.time.Instant updatedAtOf(GenericRecord ticket) {
        Object v = ticket.get("updated_at");
        return v instanceof java.time.Instant i ? i : java.time.Instant.ofEpochMilli(((Number) v).longValue());
    }

    private static JsonNode json(ConsumerRecord<byte[], byte[]> r) {
        try {
            return JSON.readTree(r.value());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aCustomerInsertedWithAnyPostgresClientAppearsOnTheCdcTopicAndAsACanonicalCustomer() throws Exception {
        String email = "ada.cdc.e2e@example.com";
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + postgresPort + "/shop",
                "shop", "shop"); Statement s = c.createStatement()) {
            s.execute("INSERT INTO customers (email, name, country) VALUES ('" + email + "', 'Ada Lovelace', 'GB')");
        }
        Map<String, String> running = RunningFile.read(dataDir).orElseThrow();
        try (KafkaAvroDeserializer values = new KafkaAvroDeserializer();
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                     "bootstrap.servers", running.get(StackContext.KAFKA), "isolation.level", "read_committed",
                     "group.id", "demo-cdc-it", "auto.offset.reset", "earliest"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            values.configure(Map.of("schema.registry.url", running.get(StackContext.REGISTRY)), false);
            // The row's change, then the normalizer's finance.Customer of system shop (mappings/shop/customer.yaml),
            // read from Debezium's Avro through the registry.
            String canonical = "canonical.finance.customer.v1";
            consumer.subscribe(List.of(DemoShopComponent.TOPIC_PREFIX + ".customers", canonical));
            java.util.Set<String> seen = new java.util.HashSet<>();
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    GenericRecord value = (GenericRecord) values.deserialize(r.topic(), r.value());
                    if (value == null) {
                        continue;
                    }
                    if (r.topic().equals(canonical)) {
                        GenericRecord meta = (GenericRecord) value.get("metadata");
                        if (email.equals(String.valueOf(value.get("email")))
                                && "shop".equals(String.valueOf(meta.get("source_system")))) {
                            seen.add(r.topic() + " " + value.get("name") + " " + meta.get("operation"));
                        }
                    } else {
                        GenericRecord after = (GenericRecord) value.get("after");
                        if (after != null && email.equals(String.valueOf(after.get("email")))) {
                            seen.add(r.topic());
                        }
                    }
                }
                assertThat(seen).as("customer " + email + " on cdc.shop.customers and " + canonical)
                        .containsExactlyInAnyOrder(DemoShopComponent.TOPIC_PREFIX + ".customers",
                                canonical + " Ada Lovelace UPSERT");
            });
        }
        assertThat(status()).containsPattern("source +" + DemoShopComponent.SOURCE_NAME + " +RUNNING \\(1/1 tasks\\)");
    }

    @Test
    void theDemosSecretsAreItsOwnReadableByItsOwnerOnlyAndOnlyReferencedInConnectorConfigs() throws Exception {
        Path demo = dataDir.resolve("demo");
        assertThat(Files.getPosixFilePermissions(demo)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        for (String file : List.of("secrets.properties", "stripe-webhook.secret", "hubspot-webhook.secret",
                "zendesk-webhook.secret")) {
            assertThat(Files.getPosixFilePermissions(demo.resolve(file))).as(file)
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        java.util.Properties secrets = demoSecrets();
        assertThat(secrets.getProperty(DemoSecrets.CRM_PRIVATE_APP_TOKEN)).isNotEqualTo(
                CrmSandbox.DEFAULT_PRIVATE_APP_TOKEN);
        assertThat(secrets.getProperty(DemoSecrets.CRM_CLIENT_SECRET)).isNotEqualTo(CrmSandbox.DEFAULT_CLIENT_SECRET);
        assertThat(secrets.getProperty(DemoSecrets.SUPPORT_API_TOKEN)).isNotEqualTo(SupportSandbox.DEFAULT_API_TOKEN);
        // The seeded credentials no longer open the CRM sandbox.
        HttpResponse<String> seeded = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + crmPort
                + "/crm/v3/objects/contacts")).header("Authorization", "Bearer "
                + CrmSandbox.DEFAULT_PRIVATE_APP_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(seeded.statusCode()).isEqualTo(401);

        String connect = RunningFile.read(dataDir).orElseThrow().get(StackContext.CONNECT);
        List<String> values = new java.util.ArrayList<>(List.of(Files.readString(demo.resolve(
                "stripe-webhook.secret")).strip()));
        secrets.stringPropertyNames().stream().filter(k -> !k.equals("format")).map(secrets::getProperty)
                .forEach(values::add);
        for (String name : List.of("demo-payments", "demo-crm-contacts", DemoShopComponent.SOURCE_NAME,
                DemoSandboxesComponent.SUPPORT_SOURCE_NAME,
                DemoSandboxesComponent.TICKETS_SINK_NAME, DemoSandboxesComponent.REFUNDS_SINK_NAME)) {
            String body = http.send(HttpRequest.newBuilder(URI.create(connect + "/connectors/" + name + "/config"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).contains("${file:" + demo.resolve("secrets.properties"));
            values.forEach(v -> assertThat(body).as("GET /connectors/%s/config", name).doesNotContain(v));
        }
    }

    @Test
    void theGatewayAndTheSandboxesAnswerOnLoopbackOnly() throws Exception {
        java.net.InetAddress external = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())
                .stream().filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress()).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(external != null,
                "this machine has no non-loopback IPv4 address to try the listeners on");
        for (int port : List.of(gatewayPort, crmPort, supportPort, postgresPort)) {
            try (java.net.Socket local = new java.net.Socket()) {
                local.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                try (java.net.Socket remote = new java.net.Socket()) {
                    remote.connect(new java.net.InetSocketAddress(external, port), 2000);
                }
            }).as("port %d on %s", port, external).isInstanceOf(java.net.ConnectException.class);
        }
    }

    private String status() {
        StringWriter out = new StringWriter();
        var cli = SynclineCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        cli.execute("status", "--data-dir", dataDir.toString());
        return out.toString();
    }

    private static String event(String id, String type, long created, String object) {
        return """
                {"id":"%s","object":"event","type":"%s","created":%d,"livemode":false,"api_version":"2024-06-20",
                 "data":{"object":%s}}""".formatted(id, type, created, object);
    }

    private void webhook(String secret, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + gatewayPort + "/webhooks/stripe"))
                .header("Content-Type", "application/json")
                .header(StripeSignature.HEADER, StripeSignature.header(secret, bytes, Instant.now().getEpochSecond()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
    }

    private JsonNode contact(String email) throws Exception {
        JsonNode page = crm("/crm/v3/objects/contacts/" + email + "?idProperty=email&properties=email,firstname,"
                + "lastname,syncline_last_payment_amount,syncline_last_payment_currency,syncline_last_payment_status,"
                + "syncline_last_payment_id");
        return page.has("id") ? page : null;
    }

    /** This data directory's demo secrets, as up wrote them. */
    private java.util.Properties demoSecrets() throws Exception {
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newBufferedReader(dataDir.resolve("demo/secrets.properties"))) {
            p.load(in);
        }
        return p;
    }

    /** A request to the CRM sandbox's API with the demo's private-app token and a JSON body, as HubSpot's SDKs send. */
    private JsonNode crmSend(String path, String method, String body, int expected) throws Exception {
        String token = demoSecrets().getProperty(DemoSecrets.CRM_PRIVATE_APP_TOKEN);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + crmPort + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
        return JSON.readTree(r.body());
    }

    private JsonNode crm(String path) throws Exception {
        String token = demoSecrets().getProperty(DemoSecrets.CRM_PRIVATE_APP_TOKEN);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + crmPort + path))
                .header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static Path dist() {
        String dir = System.getProperty("syncline.dist");
        assertThat(dir).as("system property syncline.dist, set by the failsafe configuration").isNotBlank();
        return Path.of(dir);
    }
}
