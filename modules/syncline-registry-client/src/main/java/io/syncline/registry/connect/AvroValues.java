package io.syncline.registry.connect;

import static io.syncline.registry.connect.AvroData.AVRO_TYPE_UNION;
import static io.syncline.registry.connect.AvroData.KEY_FIELD;
import static io.syncline.registry.connect.AvroData.VALUE_FIELD;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Connect values to Avro data and back, each against its pair of schemas, with Confluent's conventions (see
 * {@link AvroData}); a value that does not fit names its path.
 */
final class AvroValues {

    private AvroValues() {
    }

    static Object toAvroValue(Schema schema, org.apache.avro.Schema avro, Object value, String path) {
        if (value == null) {
            if (schema.defaultValue() != null) {
                value = schema.defaultValue();
            } else if (schema.isOptional()) {
                return null;
            } else {
                throw new DataException("Cannot convert Connect data to Avro: " + path + " is null but its schema "
                        + "is required and has no default");
            }
        }
        avro = nonNullBranch(avro, schema);
        switch (schema.type()) {
            case INT8:
            case INT16:
            case INT32:
            case INT64:
                return toAvroInteger(schema, value);
            case FLOAT32:
            case FLOAT64:
            case BOOLEAN:
                return value;
            case STRING:
                if (avro.getType() == org.apache.avro.Schema.Type.ENUM) {
                    String symbol = value.toString();
                    if (!avro.hasEnumSymbol(symbol)) {
                        throw new DataException("Cannot convert Connect data to Avro: " + path + " is '" + symbol
                                + "', not a symbol of enum " + avro.getFullName() + " " + avro.getEnumSymbols());
                    }
                    return new GenericData.EnumSymbol(avro, symbol);
                }
                return value;
            case BYTES: {
                byte[] bytes;
                if (value instanceof BigDecimal bd) {
                    bytes = Decimal.fromLogical(schema, bd);
                } else if (value instanceof ByteBuffer b) {
                    if (avro.getType() != org.apache.avro.Schema.Type.FIXED) {
                        return b;
                    }
                    bytes = new byte[b.remaining()];
                    b.duplicate().get(bytes);
                } else {
                    bytes = (byte[]) value;
                }
                if (avro.getType() == org.apache.avro.Schema.Type.FIXED) {
                    return new GenericData.Fixed(avro, bytes);
                }
                return ByteBuffer.wrap(bytes);
            }
            case ARRAY: {
                Collection<?> items = (Collection<?>) value;
                GenericData.Array<Object> out = new GenericData.Array<>(items.size(), avro);
                org.apache.avro.Schema itemAvro = avro.getElementType();
                int i = 0;
                for (Object item : items) {
                    out.add(toAvroValue(schema.valueSchema(), itemAvro, item, path + "[" + i++ + "]"));
                }
                return out;
            }
            case MAP: {
                Map<?, ?> map = (Map<?, ?>) value;
                if (avro.getType() == org.apache.avro.Schema.Type.MAP) {
                    Map<String, Object> out = new HashMap<>(Math.max(4, map.size() * 2));
                    org.apache.avro.Schema valueAvro = avro.getValueType();
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        out.put((String) e.getKey(), toAvroValue(schema.valueSchema(), valueAvro, e.getValue(),
                                path + "['" + e.getKey() + "']"));
                    }
                    return out;
                }
                org.apache.avro.Schema entryAvro = avro.getElementType();
                org.apache.avro.Schema keyAvro = entryAvro.getField(KEY_FIELD).schema();
                org.apache.avro.Schema valueAvro = entryAvro.getField(VALUE_FIELD).schema();
                GenericData.Array<Object> out = new GenericData.Array<>(map.size(), avro);
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    GenericData.Record entry = new GenericData.Record(entryAvro);
                    entry.put(0, toAvroValue(schema.keySchema(), keyAvro, e.getKey(), path + ".key"));
                    entry.put(1, toAvroValue(schema.valueSchema(), valueAvro, e.getValue(), path + "['" + e.getKey() + "']"));
                    out.add(entry);
                }
                return out;
            }
            case STRUCT: {
                Struct struct = (Struct) value;
                if (AVRO_TYPE_UNION.equals(schema.name())) {
                    for (Field f : schema.fields()) {
                        Object branch = struct.get(f);
                        if (branch != null) {
                            org.apache.avro.Schema original = avro;
                            org.apache.avro.Schema branchAvro = original.getTypes().get(
                                    original.getTypes().get(0).getType() == org.apache.avro.Schema.Type.NULL
                                            ? f.index() + 1 : f.index());
                            return toAvroValue(f.schema(), branchAvro, branch, path + "." + f.name());
                        }
                    }
                    return null;
                }
                if (struct.schema() != schema && !struct.schema().equals(schema)) {
                    throw new DataException("Cannot convert Connect data to Avro: the struct at " + path
                            + " has schema " + struct.schema().name() + ", not the declared " + schema.name());
                }
                GenericData.Record record = new GenericData.Record(avro);
                List<org.apache.avro.Schema.Field> avroFields = avro.getFields();
                for (Field f : schema.fields()) {
                    record.put(f.index(), toAvroValue(f.schema(), avroFields.get(f.index()).schema(), struct.get(f),
                            path + "." + f.name()));
                }
                return record;
            }
            default:
                throw new DataException("Cannot convert Connect type " + schema.type() + " to Avro at " + path);
        }
    }

    /** The branch of an optional union ([null, T] or [T, null]) that holds values; other schemas as they are. */
    static org.apache.avro.Schema nonNullBranch(org.apache.avro.Schema avro, Schema schema) {
        if (avro.getType() != org.apache.avro.Schema.Type.UNION || AVRO_TYPE_UNION.equals(schema.name())) {
            return avro;
        }
        List<org.apache.avro.Schema> types = avro.getTypes();
        if (types.size() == 2) {
            return types.get(0).getType() == org.apache.avro.Schema.Type.NULL ? types.get(1) : types.get(0);
        }
        return avro;
    }

    static Object toConnectValue(Schema schema, org.apache.avro.Schema avro, Object value) {
        if (value == null) {
            return null;
        }
        switch (schema.type()) {
            case INT8: return ((Number) value).byteValue();
            case INT16: return ((Number) value).shortValue();
            case INT32:
                if (Date.LOGICAL_NAME.equals(schema.name())) {
                    return value instanceof java.time.LocalDate d
                            ? java.util.Date.from(d.atStartOfDay(java.time.ZoneOffset.UTC).toInstant())
                            : Date.toLogical(schema, (Integer) value);
                }
                if (Time.LOGICAL_NAME.equals(schema.name())) {
                    return value instanceof java.time.LocalTime t
                            ? new java.util.Date(t.toNanoOfDay() / 1_000_000) : Time.toLogical(schema, (Integer) value);
                }
                return value;
            case INT64:
                if (Timestamp.LOGICAL_NAME.equals(schema.name())) {
                    return value instanceof java.time.Instant i ? java.util.Date.from(i)
                            : Timestamp.toLogical(schema, (Long) value);
                }
                return value;
            case FLOAT32:
            case FLOAT64:
            case BOOLEAN:
                return value;
            case STRING:
                return value.toString();
            case BYTES: {
                if (value instanceof BigDecimal bd) {
                    return bd;
                }
                byte[] bytes;
                if (value instanceof ByteBuffer b) {
                    bytes = new byte[b.remaining()];
                    b.duplicate().get(bytes);
                } else if (value instanceof GenericFixed f) {
                    bytes = f.bytes();
                } else {
                    bytes = (byte[]) value;
                }
                return Decimal.LOGICAL_NAME.equals(schema.name()) ? Decimal.toLogical(schema, bytes) : bytes;
            }
            case ARRAY: {
                Collection<?> items = (Collection<?>) value;
                List<Object> out = new ArrayList<>(items.size());
                for (Object item : items) {
                    out.add(toConnectValue(schema.valueSchema(), null, item));
                }
                return out;
            }
            case MAP: {
                Map<Object, Object> out = new HashMap<>();
                if (value instanceof Map<?, ?> map) {
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        out.put(e.getKey().toString(), toConnectValue(schema.valueSchema(), null, e.getValue()));
                    }
                } else {
                    for (Object o : (Collection<?>) value) {
                        GenericRecord entry = (GenericRecord) o;
                        out.put(toConnectValue(schema.keySchema(), null, entry.get(KEY_FIELD)),
                                toConnectValue(schema.valueSchema(), null, entry.get(VALUE_FIELD)));
                    }
                }
                return out;
            }
            case STRUCT: {
                Struct struct = new Struct(schema);
                if (AVRO_TYPE_UNION.equals(schema.name())) {
                    org.apache.avro.Schema branch = value instanceof GenericContainer c ? c.getSchema() : null;
                    for (Field f : schema.fields()) {
                        if (branch != null ? f.name().equals(AvroToConnectSchema.unionFieldName(branch)) : matchesPrimitive(f.schema(), value)) {
                            struct.put(f, toConnectValue(f.schema(), null, value));
                            return struct;
                        }
                    }
                    throw new DataException("Avro union value of type " + value.getClass().getName()
                            + " matches no branch of " + schema.fields());
                }
                GenericRecord record = (GenericRecord) value;
                for (Field f : schema.fields()) {
                    // Connect fields were built from this record's Avro fields, in the same order.
                    struct.put(f, toConnectValue(f.schema(), null, record.get(f.index())));
                }
                return struct;
            }
            default:
                throw new DataException("Cannot convert Avro data to Connect type " + schema.type());
        }
    }

    /**
     * A Connect int8, int16, int32 or int64 value as the Avro int or long it is written as: Date, Time and Timestamp
     * become days, milliseconds of the day and epoch milliseconds; used for data and for schema defaults alike.
     */
    static Object toAvroInteger(Schema schema, Object value) {
        switch (schema.type()) {
            case INT8:
            case INT16:
                return ((Number) value).intValue();
            case INT32:
                if (value instanceof java.util.Date d) {
                    return Date.LOGICAL_NAME.equals(schema.name()) ? Date.fromLogical(schema, d) : Time.fromLogical(schema, d);
                }
                return value;
            case INT64:
                return value instanceof java.util.Date d ? Timestamp.fromLogical(schema, d) : value;
            default:
                throw new IllegalArgumentException("not an integer schema: " + schema.type());
        }
    }

    private static boolean matchesPrimitive(Schema schema, Object value) {
        return switch (schema.type()) {
            case INT32 -> value instanceof Integer;
            case INT64 -> value instanceof Long;
            case FLOAT32 -> value instanceof Float;
            case FLOAT64 -> value instanceof Double;
            case BOOLEAN -> value instanceof Boolean;
            case STRING -> value instanceof CharSequence || value instanceof GenericEnumSymbol<?>;
            case BYTES -> value instanceof ByteBuffer || value instanceof byte[] || value instanceof GenericFixed;
            case ARRAY -> value instanceof Collection<?>;
            case MAP -> value instanceof Map<?, ?>;
            default -> false;
        };
    }
}
