package io.syncline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.registry.client.InMemorySchemaRegistryClient;
import io.syncline.registry.client.SchemaRegistryClientConfig;
import io.syncline.registry.serde.KafkaAvroSerializer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final RecordJson json = new RecordJson(new AvroJsonDecoder(registry, "mock://tail"));

    @Test
    void jsonValuesAreEmbeddedTextStaysTextAndBinaryBecomesBase64() throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add("syncline.source", "stripe".getBytes(StandardCharsets.UTF_8));
        headers.add("raw", new byte[] {(byte) 0xff, 0x01});
        JsonNode line = render(record("k1".getBytes(StandardCharsets.UTF_8),
                "{\"id\":\"ch_1\",\"amount\":500}".getBytes(StandardCharsets.UTF_8), headers));
        assertThat(line.path("topic").asText()).isEqualTo("raw.stripe.charge");
        assertThat(line.path("partition").asInt()).isEqualTo(3);
        assertThat(line.path("offset").asLong()).isEqualTo(42);
        assertThat(line.path("timestamp").asText()).isEqualTo("2024-01-02T03:04:05Z");
        assertThat(line.path("key").asText()).isEqualTo("k1");
        assertThat(line.path("value").path("amount").asInt()).isEqualTo(500);
        assertThat(line.path("headers").path("syncline.source").asText()).isEqualTo("stripe");
        assertThat(line.path("headers").path("raw").path("base64").asText()).isEqualTo("/wE=");

        assertThat(render(record(null, "plain words".getBytes(StandardCharsets.UTF_8), new RecordHeaders()))
                .path("value").asText()).isEqualTo("plain words");
        assertThat(render(record(null, "{not json".getBytes(StandardCharsets.UTF_8), new RecordHeaders()))
                .path("value").asText()).isEqualTo("{not json");
        JsonNode binary = render(record(null, new byte[] {1, 2, (byte) 0xfe}, new RecordHeaders()));
        assertThat(binary.path("value").path("base64").asText()).isEqualTo("AQL+");
        assertThat(binary.path("key").isNull()).isTrue();
        assertThat(render(record(null, null, new RecordHeaders())).path("value").isNull()).isTrue();
    }

    @Test
    void avroInTheWireFormatIsDecodedWithItsSchemaId() throws Exception {
        Schema schema = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Payment\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"amount\",\"type\":\"long\"},"
                + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}]}");
        GenericData.Record payment = new GenericData.Record(schema);
        payment.put("id", "stripe:ch_1");
        payment.put("amount", 1999L);
        KafkaAvroSerializer serializer = new KafkaAvroSerializer(registry);
        serializer.configure(Map.of(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, "mock://tail"), false);
        byte[] bytes = serializer.serialize("raw.stripe.charge", payment);

        JsonNode line = render(record(null, bytes, new RecordHeaders()));
        assertThat(line.path("value").path("id").asText()).isEqualTo("stripe:ch_1");
        assertThat(line.path("value").path("amount").asLong()).isEqualTo(1999);
        assertThat(line.path("value").path("note").isNull()).isTrue();
        assertThat(line.path("valueSchemaId").asInt()).isEqualTo(registry.getId("raw.stripe.charge-value", schema));
    }

    @Test
    void wireFormatBytesThatCannotBeDecodedAreShownWithTheReason() throws Exception {
        byte[] unknownId = {0, 0, 0, 0, 99, 2, 3};
        JsonNode line = render(record(null, unknownId, new RecordHeaders()));
        assertThat(line.path("valueSchemaId").asInt()).isEqualTo(99);
        assertThat(line.path("value").path("base64").asText()).isEqualTo("AAAAAGMCAw==");
        assertThat(line.path("valueError").asText()).contains("99");
    }

    private JsonNode render(ConsumerRecord<byte[], byte[]> record) throws Exception {
        String text = json.render(record);
        assertThat(text).doesNotContain("\n");
        return JSON.readTree(text);
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>("raw.stripe.charge", 3, 42, 1704164645000L, TimestampType.CREATE_TIME,
                key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, headers,
                java.util.Optional.empty());
    }
}
