package io.syncline.normalizer.stream;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import io.syncline.normalizer.mapping.MappingSet;
import io.syncline.registry.client.InMemorySchemaRegistryClient;
import io.syncline.registry.serde.KafkaAvroDeserializer;
import io.syncline.registry.serde.KafkaAvroSerializer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The normalizer topology on a {@link TopologyTestDriver}, with an in-memory registry and readable outputs. */
public final class NormalizerDriver implements AutoCloseable {

    /** A canonical record as a subscriber sees it: key, decoded value (null for a tombstone) and headers. */
    public record Canonical(String key, GenericRecord value, Map<String, String> headers) {
    }

    /** A dead letter: the original bytes and all headers as text. */
    public record DeadLetter(String key, String value, Map<String, String> headers) {
    }

    public static final String DLQ = "dlq.normalizer";

    private final String scope = "driver-" + UUID.randomUUID();
    private final TopologyTestDriver driver;
    private final NormalizerMetrics metrics = NormalizerMetrics.inMemory();
    private final KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
    private final KafkaAvroDeserializer specific = new KafkaAvroDeserializer();
    private final MappingSet mappings;
    private long clock = 1_700_000_000_000L;

    public NormalizerDriver(MappingSet mappings, Path stateDir) {
        this(mappings, stateDir, false);
    }

    /** With {@code customerActivity}, the customer-activity join runs too (on the catalogue's finance topics). */
    public NormalizerDriver(MappingSet mappings, Path stateDir, boolean customerActivity) {
        this.mappings = mappings;
        Map<String, Object> serde = Map.of("schema.registry.url", "mock://" + scope, "auto.register.schemas", true);
        NormalizerTopology.Settings settings = new NormalizerTopology.Settings(mappings, serde, DLQ, metrics,
                customerActivity ? CustomerActivityTopology.Settings.canonical(null, serde, DLQ, metrics) : null);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "normalizer-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(NormalizerTopology.build(settings), props);
        deserializer.configure(Map.of("schema.registry.url", "mock://" + scope), false);
        specific.configure(Map.of("schema.registry.url", "mock://" + scope, "specific.avro.reader", true), false);
    }

    /**
     * Pipes a raw record whose value is Avro in the registry's wire format (as Syncline's Avro converter writes
     * Debezium's change events), its schema registered in the driver's registry under {@code <topic>-value}.
     */
    public void pipeAvro(String topic, String key, org.apache.avro.generic.GenericRecord value) {
        try (KafkaAvroSerializer serializer = new KafkaAvroSerializer()) {
            serializer.configure(Map.of("schema.registry.url", "mock://" + scope, "auto.register.schemas", true),
                    false);
            pipe(topic, key, serializer.serialize(topic, value));
        }
    }

    /**
     * As {@link #pipeAvro(String, String, org.apache.avro.generic.GenericRecord)} for any datum written with
     * {@code schema} (e.g. a string whose {@code connect.name} says it holds JSON: an outbox event's payload), with
     * headers as name/value pairs.
     */
    public void pipeAvro(String topic, String key, org.apache.avro.Schema schema, Object datum, String... headers) {
        try (KafkaAvroSerializer serializer = new KafkaAvroSerializer()) {
            serializer.configure(Map.of("schema.registry.url", "mock://" + scope, "auto.register.schemas", true),
                    false);
            pipe(topic, key, serializer.serialize(topic, new RecordHeaders(), schema, datum), headers);
        }
    }

    public NormalizerMetrics metrics() {
        return metrics;
    }

    /** Pipes a raw record; headers are name/value pairs. Each record is one second after the previous one. */
    public void pipe(String topic, String key, String json, String... headers) {
        pipe(topic, key, json == null ? null : json.getBytes(StandardCharsets.UTF_8), headers);
    }

    public void pipe(String topic, String key, byte[] value, String... headers) {
        TestInputTopic<byte[], byte[]> in = driver.createInputTopic(topic, new ByteArraySerializer(),
                new ByteArraySerializer());
        RecordHeaders h = new RecordHeaders();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        clock += 1000;
        in.pipeInput(new TestRecord<>(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, h,
                Instant.ofEpochMilli(clock)));
    }

    /** Everything written to a canonical topic since the last call. */
    public List<Canonical> canonical(String topic) {
        TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(topic, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<Canonical> result = new ArrayList<>();
        for (TestRecord<byte[], byte[]> r : out.readRecordsToList()) {
            GenericRecord value = r.value() == null ? null : (GenericRecord) deserializer.deserialize(topic,
                    r.value());
            result.add(new Canonical(new String(r.key(), StandardCharsets.UTF_8), value, headers(r)));
        }
        return result;
    }

    /** Everything dead-lettered since the last call. */
    public List<DeadLetter> deadLetters() {
        TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(DLQ, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<DeadLetter> result = new ArrayList<>();
        for (TestRecord<byte[], byte[]> r : out.readRecordsToList()) {
            result.add(new DeadLetter(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                    r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8), headers(r)));
        }
        return result;
    }

    private static Map<String, String> headers(TestRecord<byte[], byte[]> r) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Header h : r.headers()) {
            out.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Everything written to a canonical topic since the last call, decoded into the generated classes. */
    public List<Object> specific(String topic) {
        TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(topic, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<Object> result = new ArrayList<>();
        for (TestRecord<byte[], byte[]> r : out.readRecordsToList()) {
            result.add(r.value() == null ? null : specific.deserialize(topic, r.value()));
        }
        return result;
    }

    public MappingSet mappings() {
        return mappings;
    }

    @Override
    public void close() {
        driver.close();
        deserializer.close();
        specific.close();
        InMemorySchemaRegistryClient.dropScope(scope);
    }
}
