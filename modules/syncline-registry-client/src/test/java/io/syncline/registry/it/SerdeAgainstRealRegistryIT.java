package io.syncline.registry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.syncline.registry.client.HttpSchemaRegistryClient;
import io.syncline.registry.client.LoopbackHttp;
import io.syncline.registry.client.SchemaMetadata;
import io.syncline.registry.client.SchemaRegistryException;
import io.syncline.registry.serde.KafkaAvroDeserializer;
import io.syncline.registry.serde.KafkaAvroSerializer;
import io.syncline.registry.serde.TestRecords;
import io.syncline.registry.test.v1.Order;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client and serde against the real Syncline registry over HTTP, with records going through a real broker. */
class SerdeAgainstRealRegistryIT extends OneRegistryPerClass {

    private static Map<String, Object> producerConfig(String registryUrl, Object... kv) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, KafkaAvroSerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put("schema.registry.url", registryUrl);
        for (int i = 0; i < kv.length; i += 2) {
            config.put((String) kv[i], kv[i + 1]);
        }
        return config;
    }

    private static void produce(String topic, Object value, Object... kv) throws Exception {
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig(registry.url(), kv))) {
            producer.send(new ProducerRecord<>(topic, "k", value)).get();
        }
    }

    private static List<Object> consume(String topic, int count, Object... kv) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, KafkaAvroDeserializer.class.getName());
        config.put("schema.registry.url", registry.url());
        for (int i = 0; i < kv.length; i += 2) {
            config.put((String) kv[i], kv[i + 1]);
        }
        List<Object> values = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
            // assign() rather than subscribe(): no group rebalance to wait for.
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }

    @Test
    void specificRecordsRoundTripThroughBrokerAndRegistry() throws Exception {
        Order order = TestRecords.orderV1("o-1");
        produce("it.orders.specific", order);

        assertThat(consume("it.orders.specific", 1, "specific.avro.reader", true)).containsExactly(order);
        HttpSchemaRegistryClient client = HttpSchemaRegistryClient.create(Map.of("schema.registry.url", registry.url()));
        SchemaMetadata latest = client.getLatestSchemaMetadata("it.orders.specific-value");
        assertThat(new Schema.Parser().parse(latest.schema())).isEqualTo(Order.getClassSchema());
    }

    @Test
    void genericRecordsRoundTripThroughBrokerAndRegistry() throws Exception {
        Schema schema = SchemaBuilder.record("Contact").namespace("io.syncline.it").fields()
                .requiredString("email").optionalInt("age").endRecord();
        GenericRecord contact = new GenericData.Record(schema);
        contact.put("email", "a@example.com");
        contact.put("age", 41);
        produce("it.contacts.generic", contact);

        List<Object> read = consume("it.contacts.generic", 1);

        assertThat(read).singleElement().isInstanceOfSatisfying(GenericRecord.class, r -> {
            assertThat(r.getSchema()).isEqualTo(schema);
            assertThat(r.get("email")).hasToString("a@example.com");
            assertThat(r.get("age")).isEqualTo(41);
        });
    }

    @Test
    void schemasEvolveBothWaysAcrossProducersAndConsumersOfDifferentVersions() throws Exception {
        String topic = "it.orders.evolving";
        produce(topic, TestRecords.orderV1("o-1"));
        produce(topic, TestRecords.orderV2("o-2"));

        List<Object> asV1 = consume(topic, 2, "specific.avro.value.type", Order.class.getName());
        assertThat(asV1).extracting(o -> ((Order) o).getId()).containsExactly("o-1", "o-2");
        assertThat(((Order) asV1.get(1)).getAmountMinor()).isEqualTo(999L);

        List<Object> asV2 = consume(topic, 2, "specific.avro.value.type",
                io.syncline.registry.test.v2.Order.class.getName());
        io.syncline.registry.test.v2.Order fromV1 = (io.syncline.registry.test.v2.Order) asV2.get(0);
        assertThat(fromV1.getChannel()).isEqualTo("web");
        assertThat(fromV1.getPlacedAt()).isNull();
        assertThat(asV2.get(1)).isEqualTo(TestRecords.orderV2("o-2"));

        HttpSchemaRegistryClient client = HttpSchemaRegistryClient.create(Map.of("schema.registry.url", registry.url()));
        assertThat(client.getAllVersions(topic + "-value")).containsExactly(1, 2);
    }

    @Test
    void theClientSpeaksTheRealRegistrysApi() {
        HttpSchemaRegistryClient client = HttpSchemaRegistryClient.create(Map.of("schema.registry.url", registry.url()));
        Schema v1 = SchemaBuilder.record("Ticket").namespace("io.syncline.it").fields().requiredString("id").endRecord();
        Schema v2 = SchemaBuilder.record("Ticket").namespace("io.syncline.it").fields().requiredString("id")
                .name("priority").type().intType().intDefault(3).endRecord();
        Schema breaking = SchemaBuilder.record("Ticket").namespace("io.syncline.it").fields().requiredString("id")
                .requiredLong("mandatory").endRecord();

        int id1 = client.register("it.tickets-value", v1);
        int id2 = client.register("it.tickets-value", v2);
        assertThat(client.getSchemaById(id1)).isEqualTo(v1);
        assertThat(HttpSchemaRegistryClient.create(Map.of("schema.registry.url", registry.url())).getSchemaById(id2))
                .isEqualTo(v2);
        assertThat(client.lookup("it.tickets-value", v1)).satisfies(m -> {
            assertThat(m.id()).isEqualTo(id1);
            assertThat(m.version()).isEqualTo(1);
        });
        assertThat(client.getSchemaMetadata("it.tickets-value", 2).id()).isEqualTo(id2);
        assertThat(client.getAllSubjects()).contains("it.tickets-value");
        assertThat(client.testCompatibility("it.tickets-value", breaking).compatible()).isFalse();
        assertThatThrownBy(() -> client.register("it.tickets-value", breaking))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("registering a schema under subject 'it.tickets-value'");
                });
        assertThat(client.updateCompatibility("it.tickets-value", "NONE")).isEqualTo("NONE");
        assertThat(client.getCompatibility("it.tickets-value")).isEqualTo("NONE");
        assertThat(client.getCompatibility(null)).isEqualTo("BACKWARD");
        assertThat(client.register("it.tickets-value", breaking)).isPositive();
        assertThatThrownBy(() -> client.getSchemaById(987_654))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
                });
        assertThat(client.deleteSchemaVersion("it.tickets-value", 3, false)).isEqualTo(3);
        assertThat(client.getAllVersions("it.tickets-value")).containsExactly(1, 2);
        assertThat(client.deleteSubject("it.tickets-value", false)).containsExactly(1, 2);
        assertThatThrownBy(() -> client.getLatestSchemaMetadata("it.tickets-value"))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
    }

    @Test
    void theSerializerRetriesARegistryThatFailsTwiceAndThenAnswers() throws Exception {
        try (LoopbackHttp flaky = LoopbackHttp.proxyTo(registry.url()).failNext(2, 503)) {
            Order order = TestRecords.orderV1("o-retry");
            try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig(flaky.url(),
                    "retries.wait.ms", 10, "retries.max.wait.ms", 50))) {
                producer.send(new ProducerRecord<>("it.orders.retried", "k", order)).get();
            }

            assertThat(flaky.seen()).hasSize(3).allSatisfy(req -> {
                assertThat(req.method()).isEqualTo("POST");
                assertThat(req.pathAndQuery()).isEqualTo("/subjects/it.orders.retried-value/versions");
            });
            assertThat(consume("it.orders.retried", 1, "specific.avro.reader", true)).containsExactly(order);
        }
    }

    @Test
    void theConfiguredCredentialsReachTheRegistry() throws Exception {
        String expected = "Basic " + java.util.Base64.getEncoder().encodeToString("svc:pw".getBytes());
        try (LoopbackHttp guarded = LoopbackHttp.proxyTo(registry.url())) {
            LoopbackHttp.Reply unauthorized = LoopbackHttp.Reply.json(401, "{\"error_code\":40101,\"message\":\"Unauthorized\"}");
            java.util.function.Function<LoopbackHttp.Seen, LoopbackHttp.Reply> proxy = LoopbackHttp.proxyHandler(registry.url());
            guarded.handler(req -> expected.equals(req.header("Authorization")) ? proxy.apply(req) : unauthorized);

            Order order = TestRecords.orderV1("o-auth");
            try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig(guarded.url(),
                    "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "svc:pw"))) {
                producer.send(new ProducerRecord<>("it.orders.auth", "k", order)).get();
            }
            assertThat(guarded.seen()).isNotEmpty().allSatisfy(req -> assertThat(req.header("Authorization")).isEqualTo(expected));

            try (KafkaProducer<String, Object> anonymous = new KafkaProducer<>(producerConfig(guarded.url()))) {
                assertThatThrownBy(() -> anonymous.send(new ProducerRecord<>("it.orders.auth", "k",
                        TestRecords.orderV2("o-anon"))).get())
                        .hasMessageContaining("HTTP 401")
                        .hasMessageContaining("40101");
            }
        }
    }

    @Test
    void aConfluentClientWeDidNotWriteReadsOurRecords() throws Exception {
        ConfluentNodeClient node = ConfluentNodeClient.assumeAvailable();
        Map<String, Object> config = Map.of("schema.registry.url", registry.url());
        byte[] framed = new KafkaAvroSerializer(null, config, false).serialize("it.interop.out",
                TestRecords.orderV1("o-node"));

        com.fasterxml.jackson.databind.JsonNode decoded = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(node.decode(registry.url(), framed));

        assertThat(decoded.get("id").asText()).isEqualTo("o-node");
        assertThat(decoded.get("amountMinor").asLong()).isEqualTo(12_345L);
        assertThat(decoded.get("note").asText()).isEqualTo("leave at the door");
        assertThat(decoded.get("lines").get(1).get("sku").asText()).isEqualTo("SKU-2");
    }

    @Test
    void ourDeserializerReadsWhatAConfluentClientWeDidNotWriteWrote(@TempDir Path tmp) throws Exception {
        ConfluentNodeClient node = ConfluentNodeClient.assumeAvailable();
        String answer = node.encode(registry.url(), "it.interop.in-value", Order.getClassSchema().toString(),
                "{\"id\":\"o-js\",\"amountMinor\":77,\"currency\":\"SEK\",\"note\":null,"
                        + "\"lines\":[{\"sku\":\"SKU-JS\",\"quantity\":4}]}", tmp);
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer);
        byte[] framed = java.util.HexFormat.of().parseHex(json.get("hex").asText());

        Map<String, Object> config = Map.of("schema.registry.url", registry.url(), "specific.avro.reader", true);
        Object read = new KafkaAvroDeserializer(null, config, false).deserialize("it.interop.in", framed);

        assertThat(java.nio.ByteBuffer.wrap(framed, 1, 4).getInt()).isEqualTo(json.get("id").asInt());
        assertThat(read).isInstanceOfSatisfying(Order.class, o -> {
            assertThat(o.getId()).isEqualTo("o-js");
            assertThat(o.getAmountMinor()).isEqualTo(77L);
            assertThat(o.getNote()).isNull();
            assertThat(o.getLines()).singleElement().satisfies(l -> assertThat(l.getQuantity()).isEqualTo(4));
        });
    }
}
