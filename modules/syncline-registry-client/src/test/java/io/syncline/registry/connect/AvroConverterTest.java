package io.syncline.registry.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

import io.syncline.registry.client.InMemorySchemaRegistryClient;
import io.syncline.registry.serde.KafkaAvroDeserializer;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;
import org.junit.jupiter.api.Test;

class AvroConverterTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    private AvroConverter converter(boolean isKey) {
        AvroConverter converter = new AvroConverter(registry);
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", "http://unused:8081");
        converter.configure(config, isKey);
        return converter;
    }

    @Test
    void everyConnectTypeRoundTripsWithSchemaAndValueIntact() {
        AvroConverter converter = converter(false);
        Struct value = ConnectFixtures.everything();

        byte[] bytes = converter.fromConnectData("everything", ConnectFixtures.EVERYTHING, value);
        SchemaAndValue back = converter.toConnectData("everything", bytes);

        assertThat(back.schema()).isEqualTo(ConnectFixtures.EVERYTHING);
        assertThat(back.value()).isEqualTo(value);
    }

    @Test
    void theRegisteredSchemaFollowsConfluentsConventions() {
        converter(false).fromConnectData("everything", ConnectFixtures.EVERYTHING, ConnectFixtures.everything());

        org.apache.avro.Schema avro = registry.getSchemaById(registry.getLatestSchemaMetadata("everything-value").id());
        assertThat(avro.getFullName()).isEqualTo("io.syncline.test.Everything");
        assertThat(avro.getObjectProp("connect.version")).isEqualTo(3);
        assertThat(avro.getDoc()).isEqualTo("Every Connect type");
        assertThat(avro.getField("int8").schema().getProp("connect.type")).isEqualTo("int8");
        assertThat(avro.getField("int16").schema().getProp("connect.type")).isEqualTo("int16");
        assertThat(avro.getField("optionalString").schema().getTypes()).extracting(org.apache.avro.Schema::getType)
                .containsExactly(org.apache.avro.Schema.Type.NULL, org.apache.avro.Schema.Type.STRING);
        assertThat(avro.getField("optionalString").defaultVal()).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
        assertThat(avro.getField("optionalWithDefault").schema().getTypes().get(0).getType())
                .isEqualTo(org.apache.avro.Schema.Type.STRING);
        assertThat(avro.getField("optionalWithDefault").defaultVal()).isEqualTo("fallback");
        assertThat(avro.getField("withDefault").defaultVal()).isEqualTo(7);
        assertThat(avro.getField("date").schema().getLogicalType()).isEqualTo(LogicalTypes.date());
        assertThat(avro.getField("time").schema().getLogicalType()).isEqualTo(LogicalTypes.timeMillis());
        assertThat(avro.getField("timestamp").schema().getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
        assertThat(avro.getField("decimal").schema().getLogicalType()).isEqualTo(LogicalTypes.decimal(10, 2));
        assertThat(avro.getField("status").schema().getType()).isEqualTo(org.apache.avro.Schema.Type.ENUM);
        assertThat(avro.getField("status").schema().getEnumSymbols()).containsExactly("OPEN", "CLOSED");
        assertThat(avro.getField("unnamed").schema().getFullName()).isEqualTo("io.confluent.connect.avro.ConnectDefault");
        assertThat(avro.getField("counts").schema().getType()).isEqualTo(org.apache.avro.Schema.Type.MAP);
        org.apache.avro.Schema byId = avro.getField("byId").schema();
        assertThat(byId.getType()).isEqualTo(org.apache.avro.Schema.Type.ARRAY);
        assertThat(byId.getElementType().getFullName()).isEqualTo("io.confluent.connect.avro.MapEntry");
        assertThat(avro.getField("byDate").schema().getElementType().getFullName())
                .isEqualTo("io.confluent.connect.avro.MapEntry1");
        // The text parses back: no clashing names, valid defaults.
        assertThat(new org.apache.avro.Schema.Parser().parse(avro.toString())).isEqualTo(avro);
    }

    @Test
    void avroWrittenByAPlainProducerReadsAsConnectData() {
        org.apache.avro.Schema color = org.apache.avro.SchemaBuilder.enumeration("Color").namespace("io.syncline.test")
                .symbols("RED", "GREEN");
        org.apache.avro.Schema schema = org.apache.avro.SchemaBuilder.record("Paint").namespace("io.syncline.test")
                .fields()
                .name("color").type(color).noDefault()
                .name("either").type().unionOf().stringType().and().longType().endUnion().noDefault()
                .name("fixed").type().fixed("Hash").size(2).noDefault()
                .name("labels").type().map().values().stringType().noDefault()
                .name("shade").type().intType().intDefault(3)
                .endRecord();
        GenericRecord paint = new GenericData.Record(schema);
        paint.put("color", new GenericData.EnumSymbol(color, "GREEN"));
        paint.put("either", 5L);
        paint.put("fixed", new GenericData.Fixed(schema.getField("fixed").schema(), new byte[] {1, 2}));
        paint.put("labels", Map.of("k", "v"));
        paint.put("shade", 4);
        byte[] bytes = new io.syncline.registry.serde.KafkaAvroSerializer(registry,
                Map.of("schema.registry.url", "http://unused"), false).serialize("paint", paint);

        SchemaAndValue data = converter(false).toConnectData("paint", bytes);

        Schema connect = data.schema();
        assertThat(connect.field("color").schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(connect.field("color").schema().parameters())
                .containsEntry("io.confluent.connect.avro.Enum", "io.syncline.test.Color")
                .containsEntry("io.confluent.connect.avro.Enum.RED", "RED");
        assertThat(connect.field("either").schema().name()).isEqualTo("io.confluent.connect.avro.Union");
        assertThat(connect.field("shade").schema().defaultValue()).isEqualTo(3);
        Struct struct = (Struct) data.value();
        assertThat(struct.getString("color")).isEqualTo("GREEN");
        assertThat(struct.getStruct("either").getInt64("long")).isEqualTo(5L);
        assertThat(struct.getBytes("fixed")).containsExactly(1, 2);
        assertThat(struct.getMap("labels")).containsEntry("k", "v");
        assertThat(struct.getInt32("shade")).isEqualTo(4);

        // And back: the same Avro schema is produced, so the same id is used.
        AvroConverter converter = converter(false);
        byte[] again = converter.fromConnectData("paint", connect, struct);
        GenericRecord reread = (GenericRecord) new KafkaAvroDeserializer(registry,
                Map.of("schema.registry.url", "http://unused"), false).deserialize("paint", again);
        assertThat(reread.get("either")).isEqualTo(5L);
        assertThat(reread.get("color")).hasToString("GREEN");
    }

    @Test
    void nullsAreTombstonesBothWays() {
        AvroConverter converter = converter(false);
        assertThat(converter.fromConnectData("t", ConnectFixtures.EVERYTHING, null)).isNull();
        assertThat(converter.fromConnectData("t", null, null)).isNull();
        assertThat(converter.toConnectData("t", null)).isEqualTo(SchemaAndValue.NULL);
    }

    @Test
    void primitiveKeysRoundTrip() {
        AvroConverter keys = converter(true);
        byte[] bytes = keys.fromConnectData("orders", Schema.STRING_SCHEMA, "stripe:ch_1");
        assertThat(keys.toConnectData("orders", bytes)).isEqualTo(new SchemaAndValue(Schema.STRING_SCHEMA, "stripe:ch_1"));
        assertThat(registry.getAllSubjects()).containsExactly("orders-key");

        Schema optionalInt = SchemaBuilder.int64().optional().name("io.syncline.test.Count").doc("counted").version(2).build();
        byte[] count = keys.fromConnectData("counts", optionalInt, 5L);
        assertThat(keys.toConnectData("counts", count)).isEqualTo(new SchemaAndValue(optionalInt, 5L));
    }

    @Test
    void aMissingRequiredValueFailsNamingTheField() {
        Schema schema = SchemaBuilder.struct().name("io.syncline.test.Req").field("must", Schema.STRING_SCHEMA).build();
        Struct broken = new Struct(schema);

        assertThatThrownBy(() -> converter(false).fromConnectData("req", schema, broken))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("topic 'req'")
                .hasMessageContaining("value.must");
    }

    @Test
    void badBytesFailWithADataExceptionNamingTheTopic() {
        assertThatThrownBy(() -> converter(false).toConnectData("orders", new byte[] {9, 0, 0, 0, 1, 2}))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("topic 'orders'")
                .hasMessageContaining("magic byte 9");
    }

    @Test
    void schemalessDataIsRefusedWithAHint() {
        assertThatThrownBy(() -> converter(false).fromConnectData("t", null, Map.of("a", 1)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("no Connect schema");
    }

    @Test
    void workersFindTheConverterThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(Converter.class).stream().map(ServiceLoader.Provider::type))
                .contains(AvroConverter.class);
        assertThat(new AvroConverter().config().names()).contains("schema.registry.url", "auto.register.schemas",
                "use.latest.version", "value.subject.name.strategy", "schemas.cache.config");
    }
}
