package io.syncline.registry.connect;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/** A Connect schema using every type the converter supports, and a value of it; shared by the unit test and the IT. */
public final class ConnectFixtures {

    private ConnectFixtures() {
    }

    public static final Schema ADDRESS = SchemaBuilder.struct().name("io.syncline.test.Address").doc("A postal address")
            .field("city", Schema.STRING_SCHEMA)
            .field("zip", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    public static final Schema STATUS = SchemaBuilder.string().name("io.syncline.test.Status")
            .parameter(AvroData.AVRO_TYPE_ENUM, "io.syncline.test.Status")
            .parameter(AvroData.AVRO_TYPE_ENUM + ".OPEN", "OPEN")
            .parameter(AvroData.AVRO_TYPE_ENUM + ".CLOSED", "CLOSED")
            .build();

    public static final Schema EVERYTHING = SchemaBuilder.struct().name("io.syncline.test.Everything").version(3)
            .doc("Every Connect type")
            .parameter("origin", "unit-test")
            .field("int8", Schema.INT8_SCHEMA)
            .field("int16", Schema.INT16_SCHEMA)
            .field("int32", Schema.INT32_SCHEMA)
            .field("int64", Schema.INT64_SCHEMA)
            .field("float32", Schema.FLOAT32_SCHEMA)
            .field("float64", Schema.FLOAT64_SCHEMA)
            .field("boolean", Schema.BOOLEAN_SCHEMA)
            .field("string", Schema.STRING_SCHEMA)
            .field("bytes", Schema.BYTES_SCHEMA)
            .field("optionalString", Schema.OPTIONAL_STRING_SCHEMA)
            .field("optionalInt64", Schema.OPTIONAL_INT64_SCHEMA)
            .field("withDefault", SchemaBuilder.int32().defaultValue(7).build())
            .field("optionalWithDefault", SchemaBuilder.string().optional().defaultValue("fallback").build())
            .field("documented", SchemaBuilder.string().doc("a documented field").build())
            .field("date", Date.SCHEMA)
            .field("time", Time.SCHEMA)
            .field("timestamp", Timestamp.SCHEMA)
            .field("decimal", Decimal.builder(2).parameter(AvroData.DECIMAL_PRECISION_PROP, "10").build())
            .field("optionalTimestamp", Timestamp.builder().optional().build())
            .field("status", STATUS)
            .field("address", ADDRESS)
            .field("optionalAddress", SchemaBuilder.struct().name("io.syncline.test.Address").doc("A postal address")
                    .field("city", Schema.STRING_SCHEMA).field("zip", Schema.OPTIONAL_STRING_SCHEMA).optional().build())
            .field("unnamed", SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA).build())
            .field("strings", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
            .field("addresses", SchemaBuilder.array(ADDRESS).build())
            .field("optionalItems", SchemaBuilder.array(Schema.OPTIONAL_INT32_SCHEMA).optional().build())
            .field("counts", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).build())
            .field("byId", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build())
            .field("byDate", SchemaBuilder.map(Date.SCHEMA, Schema.FLOAT64_SCHEMA).build())
            .build();

    public static Struct everything() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("a", 1L);
        counts.put("b", 2L);
        Map<Integer, String> byId = new LinkedHashMap<>();
        byId.put(1, "one");
        byId.put(2, "two");
        Struct address = new Struct(ADDRESS).put("city", "Lyon").put("zip", "69001");
        return new Struct(EVERYTHING)
                .put("int8", (byte) -8)
                .put("int16", (short) 1600)
                .put("int32", 320_000)
                .put("int64", 64_000_000_000L)
                .put("float32", 3.25f)
                .put("float64", 6.125d)
                .put("boolean", true)
                .put("string", "héllo")
                .put("bytes", "raw".getBytes(StandardCharsets.UTF_8))
                .put("optionalString", null)
                .put("optionalInt64", 5L)
                .put("withDefault", 9)
                .put("optionalWithDefault", "given")
                .put("documented", "doc")
                .put("date", new java.util.Date(20_000L * 86_400_000L))
                .put("time", new java.util.Date(45_296_789L))
                .put("timestamp", new java.util.Date(1_767_225_600_123L))
                .put("decimal", new BigDecimal("12345.67"))
                .put("optionalTimestamp", null)
                .put("status", "CLOSED")
                .put("address", address)
                .put("optionalAddress", null)
                .put("unnamed", new Struct(EVERYTHING.field("unnamed").schema()).put("a", 1))
                .put("strings", List.of("x", "y"))
                .put("addresses", List.of(address, new Struct(ADDRESS).put("city", "Oslo")))
                .put("optionalItems", java.util.Arrays.asList(1, null, 3))
                .put("counts", counts)
                .put("byId", byId)
                .put("byDate", Map.of(new java.util.Date(0), 1.5d));
    }
}
