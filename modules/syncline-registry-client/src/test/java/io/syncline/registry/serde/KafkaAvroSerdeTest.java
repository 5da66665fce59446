package io.syncline.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.example.logistics.Shipment;
import io.syncline.registry.client.InMemorySchemaRegistryClient;
import io.syncline.registry.client.SchemaRegistryClient;
import io.syncline.registry.test.v1.Order;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KafkaAvroSerdeTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @AfterEach
    void dropScopes() {
        InMemorySchemaRegistryClient.dropScope("serde-test");
    }

    private static Map<String, Object> config(Object... kv) {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", "http://unused:8081");
        for (int i = 0; i < kv.length; i += 2) {
            config.put((String) kv[i], kv[i + 1]);
        }
        return config;
    }

    private KafkaAvroSerializer serializer(Object... kv) {
        return new KafkaAvroSerializer(registry, config(kv), false);
    }

    private KafkaAvroDeserializer deserializer(Object... kv) {
        return new KafkaAvroDeserializer(registry, config(kv), false);
    }

    @Test
    void writesConfluentWireFormatAndRegistersUnderTopicValueSubject() {
        byte[] bytes = serializer().serialize("orders", TestRecords.orderV1("o-1"));

        int id = registry.getLatestSchemaMetadata("orders-value").id();
        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(registry.getSchemaById(id)).isEqualTo(Order.getClassSchema());
        assertThat(registry.getAllSubjects()).containsExactly("orders-value");
    }

    @Test
    void roundTripsSpecificRecords() {
        Order order = TestRecords.orderV1("o-1");
        byte[] bytes = serializer().serialize("orders", order);

        Object read = deserializer("specific.avro.reader", true).deserialize("orders", bytes);

        assertThat(read).isInstanceOf(Order.class).isEqualTo(order);
    }

    @Test
    void roundTripsGenericRecordsWithTheWriterSchema() {
        Schema schema = SchemaBuilder.record("Customer").namespace("io.syncline.test").fields()
                .requiredString("id").optionalLong("score").endRecord();
        GenericRecord customer = new GenericData.Record(schema);
        customer.put("id", "c-1");
        customer.put("score", 42L);

        Object read = deserializer().deserialize("customers", serializer().serialize("customers", customer));

        assertThat(read).isInstanceOf(GenericRecord.class);
        GenericRecord record = (GenericRecord) read;
        assertThat(record.getSchema()).isEqualTo(schema);
        assertThat(record.get("id")).isEqualTo(new Utf8("c-1"));
        assertThat(record.get("score")).isEqualTo(42L);
    }

    @Test
    void aReaderWithVersionOneClassesReadsVersionTwoData() {
        byte[] v2Bytes = serializer().serialize("orders", TestRecords.orderV2("o-2"));

        Object read = deserializer("specific.avro.value.type", Order.class).deserialize("orders", v2Bytes);

        assertThat(read).isInstanceOf(Order.class);
        Order order = (Order) read;
        assertThat(order.getId()).isEqualTo("o-2");
        assertThat(order.getAmountMinor()).isEqualTo(999L);
        assertThat(order.getNote()).isNull();
        assertThat(order.getLines()).singleElement().satisfies(line -> {
            assertThat(line.getSku()).isEqualTo("SKU-9");
            assertThat(line.getQuantity()).isEqualTo(3);
        });
    }

    @Test
    void aReaderWithVersionTwoClassesReadsVersionOneDataFillingDefaults() {
        byte[] v1Bytes = serializer().serialize("orders", TestRecords.orderV1("o-1"));

        io.syncline.registry.test.v2.Order order = (io.syncline.registry.test.v2.Order)
                deserializer("specific.avro.value.type", io.syncline.registry.test.v2.Order.class)
                        .deserialize("orders", v1Bytes);

        assertThat(order.getId()).isEqualTo("o-1");
        assertThat(order.getChannel()).isEqualTo("web");
        assertThat(order.getPlacedAt()).isNull();
        assertThat(order.getLines()).extracting(io.syncline.registry.test.v2.Line::getUnitPriceMinor).containsOnly(0L);
        assertThat(order.getNote()).isEqualTo("leave at the door");
    }

    @Test
    void readsClassesOutsideTheTrustedPackagesOfTheSystemProperty() {
        // Surefire sets org.apache.avro.SERIALIZABLE_PACKAGES=io.syncline; com.example.* is trusted by the deserializer.
        assertThat(System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES")).isEqualTo("io.syncline");
        Shipment shipment = TestRecords.shipment("s-1");
        byte[] bytes = serializer().serialize("shipments", shipment);

        Object read = deserializer("specific.avro.reader", true).deserialize("shipments", bytes);

        assertThat(read).isEqualTo(shipment);
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(serializer().serialize("orders", null)).isNull();
        assertThat(deserializer().deserialize("orders", null)).isNull();
        assertThat(deserializer().deserialize("orders", null, (ByteBuffer) null)).isNull();
    }

    @Test
    void readsFromAByteBufferSliceWithoutCopying() {
        Order order = TestRecords.orderV1("o-1");
        byte[] bytes = serializer().serialize("orders", order);
        byte[] padded = new byte[bytes.length + 7];
        System.arraycopy(bytes, 0, padded, 3, bytes.length);

        Object read = deserializer("specific.avro.reader", true)
                .deserialize("orders", null, ByteBuffer.wrap(padded, 3, bytes.length));

        assertThat(read).isEqualTo(order);
    }

    @Test
    void aWrongMagicByteFailsNamingTopicAndByte() {
        byte[] bytes = serializer().serialize("orders", TestRecords.orderV1("o-1"));
        bytes[0] = 7;

        assertThatThrownBy(() -> deserializer().deserialize("orders", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'orders'")
                .hasMessageContaining("unknown magic byte 7, expected 0");
    }

    @Test
    void anUnknownSchemaIdFailsNamingTheId() {
        byte[] bytes = {0, 0, 0, 0x30, 0x39, 2, 'x'};

        assertThatThrownBy(() -> deserializer().deserialize("orders", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'orders'")
                .hasMessageContaining("unknown schema id 12345");
    }

    @Test
    void truncatedDataFailsNamingTopicAndId() {
        byte[] bytes = serializer().serialize("orders", TestRecords.orderV1("o-1"));
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();

        assertThatThrownBy(() -> deserializer().deserialize("orders", Arrays.copyOf(bytes, bytes.length - 6)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'orders'")
                .hasMessageContaining("schema id " + id)
                .hasMessageContaining("truncated or corrupt");
        assertThatThrownBy(() -> deserializer().deserialize("orders", new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("shorter than the 5-byte header");
    }

    @Test
    void subjectNameStrategiesAcceptOursConfluentsAndShortNames() {
        Order order = TestRecords.orderV1("o-1");
        serializer("value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy")
                .serialize("orders", order);
        serializer("value.subject.name.strategy", "TopicRecordNameStrategy").serialize("orders", order);
        serializer("value.subject.name.strategy", TopicNameStrategy.class).serialize("orders", order);
        new KafkaAvroSerializer(registry, config(), true).serialize("orders", order);

        assertThat(registry.getAllSubjects()).containsExactlyInAnyOrder("io.syncline.registry.test.v1.Order",
                "orders-io.syncline.registry.test.v1.Order", "orders-value", "orders-key");
    }

    @Test
    void anUnknownStrategyFailsNamingTheKey() {
        assertThatThrownBy(() -> serializer("key.subject.name.strategy", "com.acme.NoSuchStrategy"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key.subject.name.strategy")
                .hasMessageContaining("com.acme.NoSuchStrategy");
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaFailsAndARegisteredOneIsFound() {
        KafkaAvroSerializer lookupOnly = serializer("auto.register.schemas", false);

        assertThatThrownBy(() -> lookupOnly.serialize("orders", TestRecords.orderV1("o-1")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("looking up")
                .hasMessageContaining("subject 'orders-value'")
                .hasMessageContaining("40401");

        int id = registry.register("orders-value", Order.getClassSchema());
        byte[] bytes = lookupOnly.serialize("orders", TestRecords.orderV1("o-1"));
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void useLatestVersionWritesWithTheLatestSchemaMatchingFieldsByName() {
        int v1 = registry.register("orders-value", Order.getClassSchema());
        Schema latest = new Schema.Parser().parse(Order.getClassSchema().toString()
                .replace("\"fields\":[{\"name\":\"id\"", "\"fields\":[{\"name\":\"region\",\"type\":\"string\","
                        + "\"default\":\"eu\"},{\"name\":\"id\""));
        int v2 = registry.register("orders-value", latest);
        assertThat(v2).isNotEqualTo(v1);

        byte[] bytes = serializer("auto.register.schemas", false, "use.latest.version", true)
                .serialize("orders", TestRecords.orderV1("o-1"));

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(v2);
        GenericRecord read = (GenericRecord) deserializer().deserialize("orders", bytes);
        assertThat(read.get("region")).hasToString("eu");
        assertThat(read.get("id")).hasToString("o-1");
        assertThat(read.get("amountMinor")).isEqualTo(12_345L);
    }

    @Test
    void useLatestVersionRefusesALatestThatCannotReadTheRecord() {
        Schema other = SchemaBuilder.record("Order").namespace("io.syncline.registry.test.v1").fields()
                .requiredString("id").requiredInt("mandatory").endRecord();
        registry.updateCompatibility(null, "NONE");
        registry.register("orders-value", other);

        assertThatThrownBy(() -> serializer("auto.register.schemas", false, "use.latest.version", true)
                .serialize("orders", TestRecords.orderV1("o-1")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("latest.compatibility.strict")
                .hasMessageContaining("orders-value");
    }

    @Test
    void primitivesRoundTripAsConfluentsSerializerWritesThem() {
        KafkaAvroSerializer s = serializer();
        KafkaAvroDeserializer d = deserializer();

        // One topic per type: the registry (rightly) refuses to change a subject's type under BACKWARD.
        assertThat(d.deserialize("strings", s.serialize("strings", "stripe:ch_1"))).isEqualTo("stripe:ch_1");
        assertThat(d.deserialize("longs", s.serialize("longs", 42L))).isEqualTo(42L);
        assertThat(d.deserialize("ints", s.serialize("ints", 7))).isEqualTo(7);
        assertThat(d.deserialize("booleans", s.serialize("booleans", true))).isEqualTo(true);
        assertThat(d.deserialize("doubles", s.serialize("doubles", 1.5d))).isEqualTo(1.5d);
        assertThat((byte[]) d.deserialize("bytes", s.serialize("bytes", new byte[] {1, 2}))).containsExactly(1, 2);
        assertThatThrownBy(() -> s.serialize("strings", 5L))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("incompatible");
        assertThatThrownBy(() -> s.serialize("keys", List.of(1)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("java.util");
    }

    @Test
    void mockUrlsShareOneInMemoryRegistryPerScope() {
        Map<String, Object> config = Map.of("schema.registry.url", "mock://serde-test");
        KafkaAvroSerializer s = new KafkaAvroSerializer();
        s.configure(config, false);
        KafkaAvroDeserializer d = new KafkaAvroDeserializer();
        d.configure(Map.of("schema.registry.url", "mock://serde-test", "specific.avro.reader", "true"), false);

        Order order = TestRecords.orderV1("o-1");
        assertThat(d.deserialize("orders", s.serialize("orders", order))).isEqualTo(order);
        assertThat(InMemorySchemaRegistryClient.forScope("serde-test").getAllSubjects()).containsExactly("orders-value");
    }

    @Test
    void specificAndGenericSerdesWrapTheSameWireFormat() {
        SpecificAvroSerde<Order> specific = new SpecificAvroSerde<>(registry, Order.class);
        specific.configure(config(), false);
        GenericAvroSerde generic = new GenericAvroSerde(registry);
        generic.configure(config(), false);

        byte[] bytes = specific.serializer().serialize("orders", TestRecords.orderV1("o-1"));
        GenericRecord asGeneric = generic.deserializer().deserialize("orders", bytes);
        Order back = specific.deserializer().deserialize("orders", generic.serializer().serialize("orders", asGeneric));

        assertThat(back).isEqualTo(TestRecords.orderV1("o-1"));
    }

    @Test
    void theSchemaIdIsLookedUpOncePerTopicAndSchema() {
        CountingClient counting = new CountingClient(registry);
        KafkaAvroSerializer s = new KafkaAvroSerializer(counting, config(), false);
        KafkaAvroDeserializer d = new KafkaAvroDeserializer(counting, config(), false);
        for (int i = 0; i < 100; i++) {
            d.deserialize("orders", s.serialize("orders", TestRecords.orderV1("o-" + i)));
        }
        assertThat(counting.registers).isEqualTo(1);
        assertThat(counting.fetches).isEqualTo(1);
    }

    /** Counts calls through to a real in-memory registry. */
    private static final class CountingClient implements SchemaRegistryClient {
        private final SchemaRegistryClient delegate;
        int registers;
        int fetches;

        CountingClient(SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        @Override public int register(String subject, Schema schema) { registers++; return delegate.register(subject, schema); }
        @Override public io.syncline.registry.client.SchemaMetadata lookup(String subject, Schema schema) { return delegate.lookup(subject, schema); }
        @Override public Schema getSchemaById(int id) { fetches++; return delegate.getSchemaById(id); }
        @Override public io.syncline.registry.client.SchemaMetadata getLatestSchemaMetadata(String subject) { return delegate.getLatestSchemaMetadata(subject); }
        @Override public io.syncline.registry.client.SchemaMetadata getSchemaMetadata(String subject, int version) { return delegate.getSchemaMetadata(subject, version); }
        @Override public List<String> getAllSubjects() { return delegate.getAllSubjects(); }
        @Override public List<Integer> getAllVersions(String subject) { return delegate.getAllVersions(subject); }
        @Override public io.syncline.registry.client.CompatibilityCheck testCompatibility(String subject, Schema schema) { return delegate.testCompatibility(subject, schema); }
        @Override public String getCompatibility(String subject) { return delegate.getCompatibility(subject); }
        @Override public String updateCompatibility(String subject, String level) { return delegate.updateCompatibility(subject, level); }
        @Override public List<Integer> deleteSubject(String subject, boolean permanent) { return delegate.deleteSubject(subject, permanent); }
        @Override public int deleteSchemaVersion(String subject, int version, boolean permanent) { return delegate.deleteSchemaVersion(subject, version, permanent); }
    }
}
