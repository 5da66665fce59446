package io.syncline.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.syncline.registry.client.HttpSchemaRegistryClient;
import io.syncline.registry.connect.AvroConverter;
import io.syncline.registry.connect.ConnectFixtures;
import io.syncline.registry.serde.KafkaAvroDeserializer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

/** The Connect converter against the real registry over HTTP, its bytes going through a real broker. */
class AvroConverterIT extends OneRegistryPerClass {

    /** A converter configured the way a worker does it: the prefix stripped from value.converter.* keys. */
    private static AvroConverter converter(boolean isKey) {
        AvroConverter converter = new AvroConverter();
        converter.configure(Map.of("schema.registry.url", registry.url()), isKey);
        return converter;
    }

    private static List<byte[]> roundTripThroughKafka(String topic, List<byte[]> values) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] v : values) {
                producer.send(new ProducerRecord<>(topic, v)).get();
            }
        }
        List<byte[]> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            // assign() rather than subscribe(): no group rebalance to wait for.
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read.size() < values.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    read.add(r.value());
                }
            }
        }
        return read;
    }

    @Test
    void everyConnectTypeRoundTripsThroughTheRegistryAndTheBroker() throws Exception {
        AvroConverter producerSide = converter(false);
        Struct value = ConnectFixtures.everything();
        byte[] bytes = producerSide.fromConnectData("it.everything", ConnectFixtures.EVERYTHING, value);

        List<byte[]> read = roundTripThroughKafka("it.everything", java.util.Arrays.asList(bytes, null));

        // A separate converter (a sink worker) that knows nothing but the registry URL.
        AvroConverter consumerSide = converter(false);
        SchemaAndValue back = consumerSide.toConnectData("it.everything", read.get(0));
        assertThat(back.schema()).isEqualTo(ConnectFixtures.EVERYTHING);
        assertThat(back.value()).isEqualTo(value);
        assertThat(consumerSide.toConnectData("it.everything", read.get(1))).isEqualTo(SchemaAndValue.NULL);

        HttpSchemaRegistryClient client = HttpSchemaRegistryClient.create(Map.of("schema.registry.url", registry.url()));
        assertThat(client.getAllVersions("it.everything-value")).containsExactly(1);
    }

    @Test
    void primitiveKeysAndValuesRoundTrip() throws Exception {
        AvroConverter keys = converter(true);
        List<SchemaAndValue> inputs = List.of(
                new SchemaAndValue(Schema.STRING_SCHEMA, "stripe:ch_1"),
                new SchemaAndValue(Schema.STRING_SCHEMA, "hubspot:42"));
        List<byte[]> bytes = new ArrayList<>();
        for (SchemaAndValue in : inputs) {
            bytes.add(keys.fromConnectData("it.keys", in.schema(), in.value()));
        }
        List<byte[]> read = roundTripThroughKafka("it.keys", bytes);

        AvroConverter reader = converter(true);
        assertThat(read).extracting(b -> reader.toConnectData("it.keys", b)).containsExactlyElementsOf(inputs);
    }

    @Test
    void connectJsonBecomesAvroThatAPlainConsumerReads() throws Exception {
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "true"), false);
        String envelope = """
                {"schema":{"type":"struct","name":"io.syncline.it.Charge","optional":false,"fields":[
                  {"field":"id","type":"string","optional":false},
                  {"field":"amount","type":"int64","optional":false},
                  {"field":"captured","type":"boolean","optional":true},
                  {"field":"created","type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1},
                  {"field":"metadata","type":"map","keys":{"type":"string","optional":false},
                   "values":{"type":"string","optional":true},"optional":false}]},
                 "payload":{"id":"ch_1","amount":2500,"captured":null,"created":1767225600123,"metadata":{"order":"o-9"}}}
                """;
        SchemaAndValue fromJson = json.toConnectData("it.charges", envelope.getBytes(StandardCharsets.UTF_8));

        byte[] avroBytes = converter(false).fromConnectData("it.charges", fromJson.schema(), fromJson.value());
        List<byte[]> read = roundTripThroughKafka("it.charges", List.of(avroBytes));

        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", registry.url());
        KafkaAvroDeserializer plain = new KafkaAvroDeserializer();
        plain.configure(config, false);
        GenericRecord charge = (GenericRecord) plain.deserialize("it.charges", read.get(0));
        assertThat(charge.getSchema().getFullName()).isEqualTo("io.syncline.it.Charge");
        assertThat(charge.get("id")).hasToString("ch_1");
        assertThat(charge.get("amount")).isEqualTo(2500L);
        assertThat(charge.get("captured")).isNull();
        assertThat(charge.get("created")).isEqualTo(1_767_225_600_123L);
        assertThat(charge.getSchema().getField("created").schema().getLogicalType().getName()).isEqualTo("timestamp-millis");
        assertThat(((Map<?, ?>) charge.get("metadata")).entrySet()).singleElement()
                .satisfies(e -> assertThat(e.getKey() + "=" + e.getValue()).isEqualTo("order=o-9"));

        // And back to Connect data equal to what the JSON converter produced.
        assertThat(converter(false).toConnectData("it.charges", read.get(0))).isEqualTo(fromJson);
    }
}
