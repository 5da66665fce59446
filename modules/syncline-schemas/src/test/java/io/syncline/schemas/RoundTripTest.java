package io.syncline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;

import io.syncline.schemas.common.ChangeMetadata;
import io.syncline.schemas.common.Money;
import io.syncline.schemas.common.Operation;
import io.syncline.schemas.finance.Invoice;
import io.syncline.schemas.finance.InvoiceLine;
import io.syncline.schemas.finance.InvoiceStatus;
import io.syncline.schemas.finance.Payment;
import io.syncline.schemas.finance.PaymentStatus;

/**
 * Every generated class survives Avro binary encoding through {@link CanonicalSchemas}' readers and writers, in a
 * JVM without {@code org.apache.avro.SERIALIZABLE_PACKAGES} (this module's surefire configuration drops it).
 */
class RoundTripTest {

    private static final Instant CREATED = Instant.parse("2026-03-01T09:30:00.123Z");

    @Test
    void thisJvmDoesNotTrustGeneratedClassesThroughSystemProperties() {
        assertThat(System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES")).isNull();
        assertThat(ClassSecurityValidator.DEFAULT.isTrusted(Payment.class)).isFalse();
    }

    @Test
    void withoutTrustAvroRefusesTheGeneratedClasses() {
        byte[] bytes = encode(CanonicalSchemas.writer(Payment.class), examplePayment());
        ClassSecurityValidator.ClassSecurityPredicate before = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.DEFAULT);
        try {
            // A fresh model has no class cache, so it asks the validator, as a consumer's first read does.
            DatumReader<Payment> plain = new SpecificDatumReader<>(Payment.getClassSchema(), Payment.getClassSchema(),
                    freshModel());

            assertThatThrownBy(() -> decode(plain, bytes)).isInstanceOf(SecurityException.class)
                    .hasMessageContaining("io.syncline.schemas");

            CanonicalSchemas.reader(Payment.class);
            assertThat(ClassSecurityValidator.getGlobal().isTrusted(Payment.class))
                    .as("reader() trusts the generated classes again after the global validator was replaced").isTrue();
            assertThat(decode(new SpecificDatumReader<Payment>(Payment.getClassSchema(), Payment.getClassSchema(),
                    freshModel()), bytes)).isEqualTo(examplePayment());
        } finally {
            ClassSecurityValidator.setGlobal(before);
            CanonicalSchemas.trustGeneratedClasses();
        }
    }

    @Test
    void aTypedPaymentRoundTripsWithInstantsEnumsAndMoney() {
        Payment payment = examplePayment();

        Payment read = decode(CanonicalSchemas.reader(Payment.class), encode(CanonicalSchemas.writer(Payment.class),
                payment));

        assertThat(read).isEqualTo(payment);
        assertThat(read.getCreatedAt()).isEqualTo(CREATED);
        assertThat(read.getAmount().getCurrency()).isEqualTo("EUR");
        assertThat(read.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(read.getProperties()).containsEntry("order", "A-1001");
    }

    @Test
    void anInvoiceRoundTripsWithItsLines() {
        Invoice invoice = Invoice.newBuilder()
                .setId("stripe:in_1MtHbELkdIwHu7ixl4OzzPMv")
                .setMetadata(metadata("invoice", "in_1MtHbELkdIwHu7ixl4OzzPMv", Operation.UPSERT))
                .setStatus(InvoiceStatus.OPEN)
                .setTotal(eur(3998))
                .setLines(List.of(
                        InvoiceLine.newBuilder().setDescription("Seat").setQuantity(2L).setUnitAmount(eur(1999))
                                .setAmount(eur(3998)).build(),
                        InvoiceLine.newBuilder().setDescription("Proration").setProration(true).build()))
                .build();

        Invoice read = decode(CanonicalSchemas.reader(Invoice.class), encode(CanonicalSchemas.writer(Invoice.class),
                invoice));

        assertThat(read).isEqualTo(invoice);
        assertThat(read.getLines()).extracting(InvoiceLine::getDescription).containsExactly("Seat", "Proration");
    }

    @Test
    void everyEntityRoundTripsWithEveryFieldSet() {
        for (CanonicalEntity entity : CanonicalSchemas.entities()) {
            Schema schema = entity.schema();
            byte[] written = encode(new GenericDatumWriter<>(schema, GenericData.get()), populated(schema, "root"));

            SpecificRecord read = decode(CanonicalSchemas.reader(entity.recordClass()), written);

            assertThat(read).as(entity.name()).isInstanceOf(entity.recordClass());
            assertEveryFieldSetWithJavaTypes(entity.name(), read);
            assertThat(encode(CanonicalSchemas.writer(recordClass(entity)), read))
                    .as(entity.name() + " re-encodes to the same bytes").isEqualTo(written);
        }
    }

    @Test
    void everyEntityCanCarryADeleteWithOnlyIdAndMetadata() {
        for (CanonicalEntity entity : CanonicalSchemas.entities()) {
            Schema schema = entity.schema();
            // GenericRecordBuilder fails on any field left unset without a default.
            GenericRecord delete = new GenericRecordBuilder(schema)
                    .set("id", "stripe:gone_1")
                    .set("metadata", populated(schema.getField("metadata").schema(), "metadata"))
                    .build();

            SpecificRecord read = decode(CanonicalSchemas.reader(entity.recordClass()),
                    encode(new GenericDatumWriter<>(schema, GenericData.get()), delete));

            assertThat(read.get(schema.getField("id").pos())).as(entity.name()).isEqualTo("stripe:gone_1");
            for (Schema.Field field : schema.getFields().subList(2, schema.getFields().size())) {
                Object value = read.get(field.pos());
                assertThat(value == null || (value instanceof Map<?, ?> m && m.isEmpty())
                        || (value instanceof List<?> l && l.isEmpty()))
                        .as(entity.name() + "." + field.name() + " is empty in a DELETE, got " + value).isTrue();
            }
        }
    }

    @Test
    void dataWrittenWithTheReleasedSchemaIsReadIntoTheCurrentClasses() {
        Map<String, SchemaTree.SchemaFile> release1 = SchemaTree.load(SchemaTree.schemasDir().resolve("released/1"));
        for (CanonicalEntity entity : CanonicalSchemas.entities()) {
            SchemaTree.SchemaFile released = release1.get(entity.domain() + "/" + entity.recordName() + ".avsc");
            if (released == null || released.major() != entity.majorVersion()) {
                continue;
            }
            byte[] written = encode(new GenericDatumWriter<>(released.schema(), GenericData.get()),
                    populated(released.schema(), "root"));

            SpecificRecord read = decode(CanonicalSchemas.reader(entity.recordClass(), released.schema()), written);

            assertThat(read.get(0)).as(entity.name()).isEqualTo("sample id");
        }
    }

    private static SpecificData freshModel() {
        SpecificData model = new SpecificData();
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        return model;
    }

    private static Payment examplePayment() {
        return Payment.newBuilder()
                .setId("stripe:ch_3MmlLrLkdIwHu7ix0snN0B15")
                .setMetadata(metadata("charge", "ch_3MmlLrLkdIwHu7ix0snN0B15", Operation.UPSERT))
                .setAmount(eur(1999))
                .setAmountCaptured(eur(1999))
                .setAmountRefunded(eur(0))
                .setStatus(PaymentStatus.SUCCEEDED)
                .setSourceStatus("succeeded")
                .setPaid(true)
                .setCustomerId("stripe:cus_NffrFeUfNV2Hib")
                .setCreatedAt(CREATED)
                .setProperties(Map.of("order", "A-1001"))
                .build();
    }

    private static ChangeMetadata metadata(String objectType, String sourceId, Operation operation) {
        return ChangeMetadata.newBuilder()
                .setSourceSystem("stripe")
                .setSourceObjectType(objectType)
                .setSourceId(sourceId)
                .setOperation(operation)
                .setSourceUpdatedAt(CREATED)
                .setIngestedAt(CREATED.plusMillis(250))
                .setEventId("evt_1NG8Du2eZvKYlo2CUI79vXWy")
                .build();
    }

    private static Money eur(long minorUnits) {
        return Money.newBuilder().setAmount(minorUnits).setCurrency("EUR").build();
    }

    /** A value for every field, choosing the non-null branch of optional fields and a non-default enum symbol. */
    private static Object populated(Schema schema, String name) {
        return switch (schema.getType()) {
            case RECORD -> {
                GenericData.Record record = new GenericData.Record(schema);
                schema.getFields().forEach(f -> record.put(f.name(), populated(f.schema(), f.name())));
                yield record;
            }
            case ENUM -> new GenericData.EnumSymbol(schema,
                    schema.getEnumSymbols().get(schema.getEnumSymbols().size() - 1));
            case UNION -> populated(schema.getTypes().get(schema.getTypes().size() - 1), name);
            case ARRAY -> List.of(populated(schema.getElementType(), name), populated(schema.getElementType(), name));
            case MAP -> Map.of("key of " + name, populated(schema.getValueType(), name));
            case STRING -> name.equals("currency") ? "EUR" : "sample " + name;
            case LONG -> schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
                    ? CREATED.toEpochMilli() + name.length() : 1999L;
            case INT -> 3;
            case BOOLEAN -> true;
            case DOUBLE -> 0.25;
            case FLOAT -> 0.5f;
            case BYTES -> ByteBuffer.wrap(new byte[] {1, 2});
            default -> throw new IllegalArgumentException("no sample for " + schema + " at " + name);
        };
    }

    /** Every field holds a value, strings are {@code String} (not Utf8) and timestamps are {@code Instant}. */
    private static void assertEveryFieldSetWithJavaTypes(String path, Object value) {
        assertThat(value).as(path).isNotNull();
        if (value instanceof SpecificRecord record) {
            for (Schema.Field field : record.getSchema().getFields()) {
                Object fieldValue = record.get(field.pos());
                Schema type = field.schema().getType() == Schema.Type.UNION
                        ? field.schema().getTypes().get(1) : field.schema();
                if (type.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                    assertThat(fieldValue).as(path + "." + field.name()).isInstanceOf(Instant.class);
                }
                assertEveryFieldSetWithJavaTypes(path + "." + field.name(), fieldValue);
            }
        } else if (value instanceof CharSequence) {
            assertThat(value).as(path).isInstanceOf(String.class);
        } else if (value instanceof Map<?, ?> map) {
            assertThat(map).as(path).isNotEmpty();
            map.forEach((k, v) -> {
                assertThat(k).as(path + " key").isInstanceOf(String.class);
                assertEveryFieldSetWithJavaTypes(path + "{}", v);
            });
        } else if (value instanceof List<?> list) {
            assertThat(list).as(path).isNotEmpty();
            new ArrayList<>(list).forEach(item -> assertEveryFieldSetWithJavaTypes(path + "[]", item));
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<SpecificRecord> recordClass(CanonicalEntity entity) {
        return (Class<SpecificRecord>) entity.recordClass();
    }

    private static <T> byte[] encode(DatumWriter<T> writer, T datum) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            writer.write(datum, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static <T> T decode(DatumReader<T> reader, byte[] bytes) {
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
