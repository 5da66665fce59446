package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.syncline.config.GatewayConfig;
import io.syncline.config.SynclineConfigLoader;
import io.syncline.gateway.WebhookGateway;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.normalizer.Normalizer;
import io.syncline.normalizer.NormalizerSettings;
import io.syncline.registry.serde.KafkaAvroDeserializer;
import io.syncline.registry.server.SchemaRegistryServer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole ingest path on real parts: signed webhooks over HTTP into the gateway, the embedded broker, the normalizer
 * with the shipped mappings and envelopes, canonical records read back through the real registry. A HubSpot batch is
 * split per event and merged into the contact's full version; what cannot be routed or parsed ends in dlq.normalizer
 * with its reason; nothing is left unread.
 */
class WebhookToCanonicalIT {

    private static final String HUBSPOT_SECRET = "hubspot-client-secret";
    private static final String STRIPE_SECRET = "whsec_test_webhook_to_canonical";
    private static final long T0 = Instant.parse("2024-05-31T10:00:00Z").toEpochMilli();

    @TempDir
    static Path dir;
    static EmbeddedKafkaBroker broker;
    static SchemaRegistryServer registry;
    static WebhookGateway gateway;
    static Normalizer normalizer;
    static KafkaProducer<byte[], byte[]> producer;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).config("auto.create.topics.enable", "false")
                .build().start();
        registry = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0).build().start();
        GatewayConfig config = SynclineConfigLoader.parse("""
                gateway:
                  endpoints:
                    - name: hubspot
                      scheme: hubspot-v3
                      secrets: [env:HUBSPOT]
                      route: /subscriptionType
                      routes: {"contact.*": raw.hubspot.contact, "company.*": raw.hubspot.company, "deal.*": raw.hubspot.deal}
                      fallback-topic: raw.hubspot.event
                    - name: stripe
                      scheme: stripe
                      secrets: [env:STRIPE]
                      topic: raw.stripe.{/data/object/object}
                      topics: [raw.stripe.customer, raw.stripe.charge]
                      fallback-topic: raw.stripe.event
                """, "WebhookToCanonicalIT.yaml").gateway();
        gateway = WebhookGateway.builder(config).bootstrapServers(broker.bootstrapServers()).host("127.0.0.1").port(0)
                .environment(Map.of("HUBSPOT", HUBSPOT_SECRET, "STRIPE", STRIPE_SECRET)).build().start();
        normalizer = Normalizer.create(NormalizerSettings.defaults(broker.bootstrapServers(), registry.url(),
                Path.of(ValidateCommandTest.MAPPINGS), dir.resolve("state")).withPartitions(3)).start();
        assertThat(normalizer.awaitRunning(Duration.ofSeconds(120))).isTrue();
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (normalizer != null) {
            normalizer.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** A full contact as the CRM source writes it (no source connector in this test: produced directly). */
    private static void poll(String id, long updatedAt, String email) throws Exception {
        String json = "{\"id\":\"" + id + "\",\"properties\":{\"email\":\"" + email + "\",\"firstname\":\"Zoë\","
                + "\"lastname\":\"Quinn\",\"lifecyclestage\":\"lead\",\"hubspot_owner_id\":\"7001\"},"
                + "\"createdAt\":\"2024-05-01T10:00:00.000Z\",\"updatedAt\":\"" + Instant.ofEpochMilli(updatedAt)
                + "\",\"archived\":false}";
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>("raw.hubspot.contact",
                id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
        r.headers().add("syncline.source", "hubspot-api:test".getBytes(StandardCharsets.UTF_8));
        r.headers().add("syncline.event-id", (id + "@" + updatedAt).getBytes(StandardCharsets.UTF_8));
        r.headers().add("syncline.received-at", Long.toString(System.currentTimeMillis())
                .getBytes(StandardCharsets.UTF_8));
        producer.send(r).get();
    }

    private static HttpResponse<String> postHubSpot(String body) throws Exception {
        String url = gateway.webhookUrl("hubspot").replace("localhost", "127.0.0.1");
        long now = System.currentTimeMillis();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HUBSPOT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(("POST" + url + body + now)
                .getBytes(StandardCharsets.UTF_8)));
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("X-HubSpot-Signature-v3", signature).header("X-HubSpot-Request-Timestamp", Long.toString(now))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postStripe(byte[] body) throws Exception {
        long t = System.currentTimeMillis() / 1000;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(STRIPE_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
        String sig = java.util.HexFormat.of().formatHex(mac.doFinal(body));
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.webhookUrl("stripe")))
                .header("Content-Type", "application/json").header("Stripe-Signature", "t=" + t + ",v1=" + sig)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String event(long eventId, String type, Long objectId, long occurredAt, String property,
            String value) {
        return "{\"eventId\":" + eventId + ",\"subscriptionId\":77,\"portalId\":62515,\"occurredAt\":" + occurredAt
                + ",\"subscriptionType\":\"" + type + "\",\"attemptNumber\":0"
                + (objectId == null ? "" : ",\"objectId\":" + objectId)
                + (property == null ? "" : ",\"propertyName\":\"" + property + "\",\"propertyValue\":\"" + value + "\"")
                + ",\"changeSource\":\"CRM\"}";
    }

    /** Every record of a topic, read_committed; canonical values decoded through the registry. */
    private static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("group.id", "read-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            int empty = 0;
            while (empty < 3) {
                var records = c.poll(Duration.ofMillis(500));
                empty = records.isEmpty() ? empty + 1 : 0;
                records.forEach(out::add);
            }
        }
        return out;
    }

    private static List<GenericRecord> contacts(String key) {
        try (KafkaAvroDeserializer avro = new KafkaAvroDeserializer()) {
            avro.configure(Map.of("schema.registry.url", registry.url()), false);
            List<GenericRecord> out = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : readAll("canonical.crm.contact.v1")) {
                if (r.key().equals(key) && r.value() != null) {
                    out.add((GenericRecord) avro.deserialize("canonical.crm.contact.v1", r.value()));
                }
            }
            return out;
        }
    }

    private static Map<String, String> deadLetterReasons() {
        Map<String, String> out = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll("dlq.normalizer")) {
            out.put(new String(r.value(), StandardCharsets.UTF_8), new String(r.headers()
                    .lastHeader("syncline.error.reason").value(), StandardCharsets.UTF_8) + ": " + new String(r
                    .headers().lastHeader("syncline.error.message").value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void aHubSpotBatchIsSplitMergedIntoFullVersionsAndEmittedOncePerChange() throws Exception {
        poll("51", T0, "zoe@example.com");
        await().atMost(Duration.ofSeconds(60)).until(() -> contacts("hubspot:51").size() == 1);

        String malformed = event(9003, "contact.propertyChange", null, T0 + 60_000, "firstname", "Al");
        String batch = "[" + event(9001, "contact.propertyChange", 51L, T0 + 60_000, "email", "zoe@new.example") + ","
                + malformed + ","
                + event(9002, "contact.propertyChange", 52L, T0 + 60_000, "email", "bo@new.example") + "]";
        assertThat(postHubSpot(batch).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<GenericRecord> zoe = contacts("hubspot:51");
            assertThat(zoe).hasSize(2);
            assertThat(zoe.get(1).get("email")).hasToString("zoe@new.example");
            assertThat(zoe.get(1).get("last_name")).as("not blanked by a one-property event").hasToString("Quinn");
            assertThat(deadLetterReasons()).containsEntry(malformed, "envelope: envelope hubspot-webhook-event: the"
                    + " object id (object-id) is missing");
        });
        assertThat(contacts("hubspot:52")).as("a change for a contact not polled yet waits").isEmpty();

        // HubSpot delivers the batch again, then the poll brings both contacts with the change in them.
        assertThat(postHubSpot(batch).statusCode()).isEqualTo(200);
        poll("51", T0 + 60_005, "zoe@new.example");
        poll("52", T0, "bo@example.com");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(contacts("hubspot:52")).singleElement().satisfies(bo -> assertThat(bo.get("email"))
                    .as("the waiting change, newer than the full version").hasToString("bo@new.example"));
            assertThat(normalizer.metrics().perTopic().get("raw.hubspot.contact").duplicate())
                    .as("the redelivered event and the poll of the same change").isGreaterThanOrEqualTo(2);
        });
        assertThat(contacts("hubspot:51")).as("one record per change, whichever path brought it").hasSize(2);
    }

    @Test
    void whatTheStripeEndpointCannotRouteIsReadAndDeadLetteredWithItsReasonAndNoTopicIsCreatedForIt()
            throws Exception {
        byte[] attacker = ("{\"id\":\"evt_x\",\"object\":\"event\",\"type\":\"charge.succeeded\",\"created\":"
                + Instant.now().getEpochSecond() + ",\"data\":{\"object\":{\"id\":\"ch_x\",\"object\":"
                + "\"attacker_topic_h1\"}}}").getBytes(StandardCharsets.UTF_8);
        byte[] truncated = "{\"id\":\"evt_y\",\"object\":\"event\",\"data\":{\"obj".getBytes(StandardCharsets.UTF_8);
        assertThat(postStripe(attacker).statusCode()).isEqualTo(200);
        assertThat(postStripe(truncated).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, String> dead = deadLetterReasons();
            assertThat(dead.get(new String(attacker, StandardCharsets.UTF_8))).startsWith("no-mapping: no mapping"
                    + " reads raw.stripe.event");
            assertThat(dead.get(new String(truncated, StandardCharsets.UTF_8))).startsWith("parse: not valid JSON");
        });
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers",
                broker.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).doesNotContain("raw.stripe.attacker_topic_h1");
        }
    }
}
