package io.syncline.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import io.syncline.registry.client.HttpSchemaRegistryClient;
import io.syncline.registry.connect.AvroConverter;
import io.syncline.registry.connect.ConnectFixtures;
import io.syncline.registry.serde.KafkaAvroDeserializer;
import io.syncline.registry.serde.KafkaAvroSerializer;
import io.syncline.testsupport.docker.RequiresDocker;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Syncline's serde, client and Connect converter against Confluent's own registry image (the other direction of
 * "Confluent's registry can replace Syncline's"): only under {@code -Pdocker} and where a Docker engine exists,
 * skipped with the reason otherwise.
 */
@RequiresDocker
class ConfluentRegistryImageIT {

    /** Confluent's current registry image and the Kafka version the project pins. */
    static final String REGISTRY_IMAGE = "confluentinc/cp-schema-registry:8.1.0";
    static final String KAFKA_IMAGE = "apache/kafka:4.3.1";

    static Network network;
    static KafkaContainer kafka;
    static GenericContainer<?> registry;
    static String url;

    @BeforeAll
    static void start() {
        network = Network.newNetwork();
        kafka = new KafkaContainer(KAFKA_IMAGE).withNetwork(network).withListener("kafka:19092");
        kafka.start();
        registry = new GenericContainer<>(REGISTRY_IMAGE).withNetwork(network)
                .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
                .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
                .withExposedPorts(8081)
                .waitingFor(Wait.forHttp("/subjects").forStatusCode(200));
        registry.start();
        url = "http://" + registry.getHost() + ":" + registry.getMappedPort(8081);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.stop();
        }
        if (kafka != null) {
            kafka.stop();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void theSerdeRoundTripsThroughConfluentsRegistry() {
        Schema schema = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Payment\",\"namespace\":"
                + "\"io.syncline.test\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"amount\","
                + "\"type\":\"long\"}]}");
        GenericRecord record = new GenericData.Record(schema);
        record.put("id", "p-1");
        record.put("amount", 1250L);
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", url);
        byte[] bytes;
        try (KafkaAvroSerializer serializer = new KafkaAvroSerializer()) {
            serializer.configure(config, false);
            bytes = serializer.serialize("payments", record);
        }
        try (KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer()) {
            deserializer.configure(config, false);
            assertThat(deserializer.deserialize("payments", bytes).toString()).isEqualTo(record.toString());
        }
        try (HttpSchemaRegistryClient client = HttpSchemaRegistryClient.create(config)) {
            assertThat(client.getAllSubjects()).contains("payments-value");
            assertThat(client.getLatestSchemaMetadata("payments-value").version()).isEqualTo(1);
            assertThat(client.testCompatibility("payments-value", schema).compatible()).isTrue();
        }
    }

    @Test
    void theConverterRoundTripsThroughConfluentsRegistry() {
        AvroConverter converter = new AvroConverter();
        converter.configure(Map.of("schema.registry.url", url), false);
        byte[] bytes = converter.fromConnectData("connect-topic", ConnectFixtures.EVERYTHING,
                ConnectFixtures.everything());
        SchemaAndValue back = converter.toConnectData("connect-topic", bytes);
        assertThat(back.value()).isEqualTo(ConnectFixtures.everything());
    }
}
