package io.syncline.registry.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.syncline.registry.client.InMemorySchemaRegistryClient;
import io.syncline.registry.serde.KafkaAvroSerializer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class OriginalSchemaRoundTripTest {

    private static final Schema ORDER = new Schema.Parser().parse("""
            {"type": "record", "name": "Order", "namespace": "io.syncline.test", "doc": "An order.",
             "fields": [
               {"name": "id", "type": "string", "doc": "Order id."},
               {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["OPEN", "PAID"],
                 "default": "OPEN"}, "doc": "State."},
               {"name": "paid_at", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}],
                 "default": null, "doc": "When."},
               {"name": "tags", "type": {"type": "map", "values": "string"}, "default": {}, "doc": "Tags."}
             ]}""");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void dataReadByTheConverterWritesBackUnderItsOriginalSchemaIdAndBytes() {
        GenericRecord order = new GenericData.Record(ORDER);
        order.put("id", "o-1");
        order.put("status", new GenericData.EnumSymbol(ORDER.getField("status").schema(), "PAID"));
        order.put("paid_at", 1_714_564_800_000L);
        order.put("tags", Map.of("channel", "web"));
        byte[] original = new KafkaAvroSerializer(registry, Map.of("schema.registry.url", "http://unused:8081"),
                false).serialize("orders", order);
        AvroConverter converter = new AvroConverter(registry);
        converter.configure(Map.of("schema.registry.url", "http://unused:8081"), false);

        SchemaAndValue read = converter.toConnectData("orders", original);
        byte[] written = converter.fromConnectData("orders", read.schema(), read.value());

        // A look-alike schema (with connect.* properties) would have registered version 2 under orders-value.
        assertThat(written).isEqualTo(original);
        assertThat(registry.getAllVersions("orders-value")).containsExactly(1);
    }

    @Test
    void aConnectSchemaBuiltElsewhereStillConvertsByValue() {
        AvroConverter converter = new AvroConverter(registry);
        converter.configure(Map.of("schema.registry.url", "http://unused:8081"), false);
        org.apache.kafka.connect.data.Schema schema = SchemaBuilder.struct().name("io.syncline.test.Plain")
                .field("id", org.apache.kafka.connect.data.Schema.STRING_SCHEMA).build();

        byte[] bytes = converter.fromConnectData("plain", schema, new Struct(schema).put("id", "p-1"));

        assertThat(converter.toConnectData("plain", bytes).value()).isEqualTo(new Struct(schema).put("id", "p-1"));
    }
}
