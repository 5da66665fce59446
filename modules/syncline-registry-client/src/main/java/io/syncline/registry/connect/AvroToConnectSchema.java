package io.syncline.registry.connect;

import static io.syncline.registry.connect.AvroData.AVRO_FIXED_SIZE_PROP;
import static io.syncline.registry.connect.AvroData.AVRO_TYPE_ENUM;
import static io.syncline.registry.connect.AvroData.AVRO_TYPE_UNION;
import static io.syncline.registry.connect.AvroData.CONNECT_DEFAULT_VALUE_PROP;
import static io.syncline.registry.connect.AvroData.CONNECT_DOC_PROP;
import static io.syncline.registry.connect.AvroData.CONNECT_NAME_PROP;
import static io.syncline.registry.connect.AvroData.CONNECT_PARAMETERS_PROP;
import static io.syncline.registry.connect.AvroData.CONNECT_TYPE_INT16;
import static io.syncline.registry.connect.AvroData.CONNECT_TYPE_INT8;
import static io.syncline.registry.connect.AvroData.CONNECT_TYPE_PROP;
import static io.syncline.registry.connect.AvroData.CONNECT_VERSION_PROP;
import static io.syncline.registry.connect.AvroData.DECIMAL_PRECISION_PROP;
import static io.syncline.registry.connect.AvroData.DEFAULT_SCHEMA_FULL_NAME;
import static io.syncline.registry.connect.AvroData.KEY_FIELD;
import static io.syncline.registry.connect.AvroData.MAP_ENTRY_TYPE_NAME;
import static io.syncline.registry.connect.AvroData.NAMESPACE;
import static io.syncline.registry.connect.AvroData.VALUE_FIELD;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Avro → Connect schema conversion with Confluent's conventions (see {@link AvroData}): logical types, enums, unions,
 * map entries, {@code connect.*} properties and defaults.
 */
final class AvroToConnectSchema {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AvroToConnectSchema() {
    }

    static Schema toConnect(org.apache.avro.Schema avro, boolean optional, org.apache.avro.Schema.Field field,
                             IdentityHashMap<org.apache.avro.Schema, Boolean> inProgress) {
        SchemaBuilder builder;
        LogicalType logical = avro.getLogicalType();
        switch (avro.getType()) {
            case BOOLEAN -> builder = SchemaBuilder.bool();
            case INT -> {
                String connectType = avro.getProp(CONNECT_TYPE_PROP);
                if (logical instanceof LogicalTypes.Date) {
                    builder = Date.builder();
                } else if (logical instanceof LogicalTypes.TimeMillis) {
                    builder = Time.builder();
                } else if (CONNECT_TYPE_INT8.equals(connectType)) {
                    builder = SchemaBuilder.int8();
                } else if (CONNECT_TYPE_INT16.equals(connectType)) {
                    builder = SchemaBuilder.int16();
                } else {
                    builder = SchemaBuilder.int32();
                }
            }
            case LONG -> builder = logical instanceof LogicalTypes.TimestampMillis ? Timestamp.builder() : SchemaBuilder.int64();
            case FLOAT -> builder = SchemaBuilder.float32();
            case DOUBLE -> builder = SchemaBuilder.float64();
            case STRING -> builder = SchemaBuilder.string();
            case BYTES, FIXED -> {
                if (logical instanceof LogicalTypes.Decimal decimal) {
                    builder = Decimal.builder(decimal.getScale());
                    if (avro.getObjectProp(CONNECT_PARAMETERS_PROP) == null) {
                        builder.parameter(DECIMAL_PRECISION_PROP, String.valueOf(decimal.getPrecision()));
                    }
                } else {
                    builder = SchemaBuilder.bytes();
                }
                if (avro.getType() == org.apache.avro.Schema.Type.FIXED) {
                    builder.parameter(AVRO_FIXED_SIZE_PROP, String.valueOf(avro.getFixedSize()));
                    if (!(logical instanceof LogicalTypes.Decimal) && !avro.getFullName().startsWith(DEFAULT_SCHEMA_FULL_NAME)) {
                        builder.name(avro.getFullName());
                    }
                }
            }
            case ENUM -> {
                String connectName = avro.getProp(CONNECT_NAME_PROP);
                builder = SchemaBuilder.string().name(connectName != null ? connectName : avro.getFullName());
                builder.parameter(AVRO_TYPE_ENUM, avro.getFullName());
                for (String symbol : avro.getEnumSymbols()) {
                    builder.parameter(AVRO_TYPE_ENUM + "." + symbol, symbol);
                }
                if (avro.getDoc() != null) {
                    builder.doc(avro.getDoc());
                }
            }
            case ARRAY -> {
                org.apache.avro.Schema items = avro.getElementType();
                if (isMapEntry(items)) {
                    builder = SchemaBuilder.map(
                            toConnectField(items.getField(KEY_FIELD), inProgress),
                            toConnectField(items.getField(VALUE_FIELD), inProgress));
                } else {
                    builder = SchemaBuilder.array(toConnectNested(items, inProgress));
                }
            }
            case MAP -> builder = SchemaBuilder.map(Schema.STRING_SCHEMA, toConnectNested(avro.getValueType(), inProgress));
            case RECORD -> {
                if (inProgress.containsKey(avro)) {
                    throw new DataException("Avro record " + avro.getFullName() + " refers to itself; Kafka Connect "
                            + "schemas cannot be recursive");
                }
                inProgress.put(avro, Boolean.TRUE);
                builder = SchemaBuilder.struct();
                if (!avro.getFullName().startsWith(DEFAULT_SCHEMA_FULL_NAME)) {
                    builder.name(avro.getFullName());
                }
                if (avro.getDoc() != null) {
                    builder.doc(avro.getDoc());
                }
                for (org.apache.avro.Schema.Field f : avro.getFields()) {
                    builder.field(f.name(), toConnectField(f, inProgress));
                }
                inProgress.remove(avro);
            }
            case UNION -> {
                List<org.apache.avro.Schema> types = avro.getTypes();
                boolean hasNull = types.stream().anyMatch(t -> t.getType() == org.apache.avro.Schema.Type.NULL);
                if (types.size() == 2 && hasNull) {
                    org.apache.avro.Schema value = types.get(0).getType() == org.apache.avro.Schema.Type.NULL
                            ? types.get(1) : types.get(0);
                    return toConnect(value, true, field, inProgress);
                }
                builder = SchemaBuilder.struct().name(AVRO_TYPE_UNION);
                for (org.apache.avro.Schema branch : types) {
                    if (branch.getType() != org.apache.avro.Schema.Type.NULL) {
                        builder.field(unionFieldName(branch), toConnect(branch, true, null, inProgress));
                    }
                }
                if (hasNull) {
                    optional = true;
                }
            }
            case NULL -> throw new DataException("Kafka Connect has no schema for a bare Avro null");
            default -> throw new DataException("Cannot convert Avro type " + avro.getType() + " to Connect");
        }
        applyConnectMetadata(avro, builder);
        if (optional) {
            builder.optional();
        }
        applyDefault(avro, builder, field);
        return builder.build();
    }

    private static Schema toConnectField(org.apache.avro.Schema.Field f, IdentityHashMap<org.apache.avro.Schema, Boolean> inProgress) {
        return toConnect(f.schema(), false, f, inProgress);
    }

    private static Schema toConnectNested(org.apache.avro.Schema avro, IdentityHashMap<org.apache.avro.Schema, Boolean> inProgress) {
        return toConnect(avro, false, null, inProgress);
    }

    private static boolean isMapEntry(org.apache.avro.Schema items) {
        return items.getType() == org.apache.avro.Schema.Type.RECORD
                && items.getFullName().startsWith(NAMESPACE + "." + MAP_ENTRY_TYPE_NAME)
                && items.getFields().size() == 2 && items.getField(KEY_FIELD) != null
                && items.getField(VALUE_FIELD) != null;
    }

    static String unionFieldName(org.apache.avro.Schema branch) {
        return switch (branch.getType()) {
            case RECORD, ENUM, FIXED -> branch.getFullName().replace('.', '_');
            default -> branch.getType().getName();
        };
    }

    private static void applyConnectMetadata(org.apache.avro.Schema avro, SchemaBuilder builder) {
        Object version = avro.getObjectProp(CONNECT_VERSION_PROP);
        if (version instanceof Number n && builder.version() == null) {
            builder.version(n.intValue());
        }
        String doc = avro.getProp(CONNECT_DOC_PROP);
        if (doc != null && builder.doc() == null) {
            builder.doc(doc);
        }
        Object params = avro.getObjectProp(CONNECT_PARAMETERS_PROP);
        if (params instanceof Map<?, ?> map) {
            map.forEach((k, v) -> builder.parameter(String.valueOf(k), String.valueOf(v)));
        }
        String name = avro.getProp(CONNECT_NAME_PROP);
        if (name != null && builder.name() == null) {
            builder.name(name);
        }
    }

    private static void applyDefault(org.apache.avro.Schema avro, SchemaBuilder builder, org.apache.avro.Schema.Field field) {
        if (builder.type() == Schema.Type.STRUCT) {
            return; // Connect struct defaults need the finished schema; Avro readers still get the Avro default.
        }
        Object connectDefault = avro.getObjectProp(CONNECT_DEFAULT_VALUE_PROP);
        Object defaultValue = null;
        try {
            Schema built = builder.build();
            if (connectDefault != null) {
                defaultValue = fromJsonDefault(built, connectDefault);
            } else if (field != null && field.hasDefaultValue() && field.defaultVal() != JsonProperties.NULL_VALUE) {
                Object avroDefault = GenericData.get().getDefaultValue(field);
                defaultValue = AvroValues.toConnectValue(built, AvroValues.nonNullBranch(field.schema(), built), avroDefault);
            }
            if (defaultValue != null) {
                builder.defaultValue(defaultValue);
            }
        } catch (DataException | org.apache.avro.AvroRuntimeException | ClassCastException e) {
            // An Avro default Connect cannot hold (e.g. inside a union): the Avro default still applies to Avro readers.
        }
    }

    private static Object fromJsonDefault(Schema schema, Object json) {
        JsonNode node = JSON.valueToTree(json);
        return fromJson(schema, node);
    }

    private static Object fromJson(Schema schema, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        switch (schema.type()) {
            case INT8: return (byte) node.asInt();
            case INT16: return (short) node.asInt();
            case INT32:
                if (Date.LOGICAL_NAME.equals(schema.name())) {
                    return Date.toLogical(schema, node.asInt());
                }
                if (Time.LOGICAL_NAME.equals(schema.name())) {
                    return Time.toLogical(schema, node.asInt());
                }
                return node.asInt();
            case INT64:
                return Timestamp.LOGICAL_NAME.equals(schema.name()) ? Timestamp.toLogical(schema, node.asLong()) : node.asLong();
            case FLOAT32: return (float) node.asDouble();
            case FLOAT64: return node.asDouble();
            case BOOLEAN: return node.asBoolean();
            case STRING: return node.asText();
            case BYTES: {
                byte[] bytes = node.asText().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                return Decimal.LOGICAL_NAME.equals(schema.name()) ? Decimal.toLogical(schema, bytes) : bytes;
            }
            case ARRAY: {
                List<Object> out = new ArrayList<>();
                node.forEach(n -> out.add(fromJson(schema.valueSchema(), n)));
                return out;
            }
            case MAP: {
                Map<Object, Object> out = new LinkedHashMap<>();
                if (node.isObject()) {
                    node.fields().forEachRemaining(e -> out.put(e.getKey(), fromJson(schema.valueSchema(), e.getValue())));
                } else {
                    node.forEach(n -> out.put(fromJson(schema.keySchema(), n.get(KEY_FIELD)),
                            fromJson(schema.valueSchema(), n.get(VALUE_FIELD))));
                }
                return out;
            }
            default:
                return null;
        }
    }
}
