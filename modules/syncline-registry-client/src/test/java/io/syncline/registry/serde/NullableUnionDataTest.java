package io.syncline.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.UnresolvedUnionException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class NullableUnionDataTest {

    private final GenericData data = KafkaAvroSerializer.withLogicalTypes(new NullableUnionData());

    private static Schema nullable(Schema type, boolean nullFirst) {
        Schema nul = Schema.create(Schema.Type.NULL);
        return Schema.createUnion(nullFirst ? List.of(nul, type) : List.of(type, nul));
    }

    @Test
    void picksTheSameBranchAsAvroForEveryPlainValue() {
        Schema point = SchemaBuilder.record("Point").namespace("t").fields().requiredInt("x").endRecord();
        GenericData.Record p = new GenericData.Record(point);
        p.put("x", 1);
        Map<Schema, Object> values = Map.of(
                Schema.create(Schema.Type.STRING), new Utf8("a"),
                Schema.create(Schema.Type.LONG), 5L,
                Schema.create(Schema.Type.INT), 5,
                Schema.create(Schema.Type.DOUBLE), 1.5,
                Schema.create(Schema.Type.BOOLEAN), true,
                Schema.createArray(Schema.create(Schema.Type.INT)), List.of(1),
                Schema.createMap(Schema.create(Schema.Type.STRING)), Map.of("k", "v"),
                point, p);
        GenericData avro = GenericData.get();
        values.forEach((type, value) -> {
            for (boolean nullFirst : new boolean[] {true, false}) {
                Schema union = nullable(type, nullFirst);
                assertThat(data.resolveUnion(union, value)).as(type + " " + nullFirst)
                        .isEqualTo(avro.resolveUnion(union, value));
                assertThat(data.resolveUnion(union, null)).isEqualTo(avro.resolveUnion(union, null));
            }
        });
    }

    @Test
    void aValueOfNoBranchFailsAsInAvro() {
        Schema union = nullable(Schema.create(Schema.Type.LONG), true);
        assertThatThrownBy(() -> data.resolveUnion(union, "text")).isInstanceOf(UnresolvedUnionException.class);
        Schema other = SchemaBuilder.record("Other").namespace("t").fields().requiredInt("x").endRecord();
        Schema point = SchemaBuilder.record("Point").namespace("t").fields().requiredInt("x").endRecord();
        GenericData.Record o = new GenericData.Record(other);
        assertThatThrownBy(() -> data.resolveUnion(nullable(point, true), o))
                .isInstanceOf(UnresolvedUnionException.class);
    }

    @Test
    void logicalTypeValuesStillGoThroughTheirConversions() {
        Schema ts = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
        assertThat(data.resolveUnion(nullable(ts, true), Instant.ofEpochMilli(5))).isEqualTo(1);
        assertThat(data.resolveUnion(nullable(ts, false), 5L)).isZero();
    }
}
