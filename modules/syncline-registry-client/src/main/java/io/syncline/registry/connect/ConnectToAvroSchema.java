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
import static io.syncline.registry.connect.AvroData.DEFAULT_DECIMAL_PRECISION;
import static io.syncline.registry.connect.AvroData.DEFAULT_SCHEMA_FULL_NAME;
import static io.syncline.registry.connect.AvroData.KEY_FIELD;
import static io.syncline.registry.connect.AvroData.MAP_ENTRY_TYPE_NAME;
import static io.syncline.registry.connect.AvroData.NAMESPACE;
import static io.syncline.registry.connect.AvroData.VALUE_FIELD;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * One Connect → Avro schema conversion with Confluent's conventions (see {@link AvroData}): names unnamed records and
 * map entries uniquely within it, so use a new instance per schema.
 */
final class ConnectToAvroSchema {

    private static final org.apache.avro.Schema NULL_AVRO = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.NULL);

    private final Map<String, Schema> named = new HashMap<>();
    private final Map<String, org.apache.avro.Schema> built = new HashMap<>();
    private int defaultNames;

    org.apache.avro.Schema convert(Schema schema, boolean withOptional) {
        org.apache.avro.Schema base = base(schema);
        if (!withOptional || !schema.isOptional()) {
            return base;
        }
        return schema.defaultValue() != null
                ? org.apache.avro.Schema.createUnion(base, NULL_AVRO)
                : org.apache.avro.Schema.createUnion(NULL_AVRO, base);
    }

    private org.apache.avro.Schema base(Schema schema) {
        org.apache.avro.Schema avro;
        boolean metadataOnRecord = false;
        switch (schema.type()) {
            case INT8 -> avro = withProp(primitive(org.apache.avro.Schema.Type.INT), CONNECT_TYPE_PROP, CONNECT_TYPE_INT8);
            case INT16 -> avro = withProp(primitive(org.apache.avro.Schema.Type.INT), CONNECT_TYPE_PROP, CONNECT_TYPE_INT16);
            case INT32 -> {
                avro = primitive(org.apache.avro.Schema.Type.INT);
                if (Date.LOGICAL_NAME.equals(schema.name())) {
                    LogicalTypes.date().addToSchema(avro);
                } else if (Time.LOGICAL_NAME.equals(schema.name())) {
                    LogicalTypes.timeMillis().addToSchema(avro);
                }
            }
            case INT64 -> {
                avro = primitive(org.apache.avro.Schema.Type.LONG);
                if (Timestamp.LOGICAL_NAME.equals(schema.name())) {
                    LogicalTypes.timestampMillis().addToSchema(avro);
                }
            }
            case FLOAT32 -> avro = primitive(org.apache.avro.Schema.Type.FLOAT);
            case FLOAT64 -> avro = primitive(org.apache.avro.Schema.Type.DOUBLE);
            case BOOLEAN -> avro = primitive(org.apache.avro.Schema.Type.BOOLEAN);
            case STRING -> {
                String enumName = schema.parameters() == null ? null : schema.parameters().get(AVRO_TYPE_ENUM);
                if (enumName != null) {
                    avro = enumSchema(schema, enumName);
                    metadataOnRecord = true;
                } else {
                    avro = primitive(org.apache.avro.Schema.Type.STRING);
                }
            }
            case BYTES -> {
                String fixedSize = schema.parameters() == null ? null : schema.parameters().get(AVRO_FIXED_SIZE_PROP);
                if (fixedSize != null) {
                    avro = fixedSchema(schema, fixedSize);
                } else {
                    avro = primitive(org.apache.avro.Schema.Type.BYTES);
                }
                if (Decimal.LOGICAL_NAME.equals(schema.name())) {
                    addDecimal(schema, avro);
                }
            }
            case ARRAY -> avro = org.apache.avro.Schema.createArray(convert(schema.valueSchema(), true));
            case MAP -> {
                Schema keySchema = schema.keySchema();
                if (keySchema.type() == Schema.Type.STRING && !keySchema.isOptional()
                        && (keySchema.parameters() == null || !keySchema.parameters().containsKey(AVRO_TYPE_ENUM))) {
                    avro = org.apache.avro.Schema.createMap(convert(schema.valueSchema(), true));
                } else {
                    avro = org.apache.avro.Schema.createArray(mapEntry(schema));
                }
            }
            case STRUCT -> {
                if (AVRO_TYPE_UNION.equals(schema.name())) {
                    List<org.apache.avro.Schema> branches = new ArrayList<>();
                    if (schema.isOptional()) {
                        branches.add(NULL_AVRO);
                    }
                    for (Field f : schema.fields()) {
                        branches.add(convert(f.schema(), false));
                    }
                    return org.apache.avro.Schema.createUnion(branches);
                }
                avro = record(schema);
                metadataOnRecord = true;
            }
            default -> throw new DataException("Cannot convert Connect type " + schema.type() + " to Avro");
        }
        addConnectMetadata(schema, avro, metadataOnRecord);
        return avro;
    }

    private org.apache.avro.Schema record(Schema schema) {
        String name = schema.name() != null ? schema.name() : nextDefaultName();
        Schema previous = named.get(name);
        if (previous != null) {
            if (sameRecord(previous, schema)) {
                return built.get(name);
            }
            throw new DataException("Two different Connect structs share the name '" + name + "'; Avro needs "
                    + "distinct names for distinct records");
        }
        String[] split = splitName(name);
        org.apache.avro.Schema record;
        try {
            record = org.apache.avro.Schema.createRecord(split[1], schema.doc(), split[0], false);
        } catch (org.apache.avro.SchemaParseException e) {
            throw new DataException("Connect struct name '" + name + "' is not a valid Avro name: " + e.getMessage(), e);
        }
        named.put(name, schema);
        built.put(name, record);
        List<org.apache.avro.Schema.Field> fields = new ArrayList<>();
        for (Field f : schema.fields()) {
            fields.add(field(name, f));
        }
        record.setFields(fields);
        return record;
    }

    /** Same Avro record: optionality and defaults live outside it (in the union and the field). */
    private static boolean sameRecord(Schema a, Schema b) {
        return java.util.Objects.equals(a.name(), b.name()) && java.util.Objects.equals(a.version(), b.version())
                && java.util.Objects.equals(a.doc(), b.doc())
                && java.util.Objects.equals(a.parameters(), b.parameters()) && a.fields().equals(b.fields());
    }

    private org.apache.avro.Schema.Field field(String recordName, Field f) {
        Schema fs = f.schema();
        org.apache.avro.Schema avro = convert(fs, true);
        Object defaultValue;
        if (fs.defaultValue() != null) {
            defaultValue = jsonDefault(fs, fs.defaultValue());
        } else if (fs.isOptional()) {
            defaultValue = JsonProperties.NULL_VALUE;
        } else {
            defaultValue = null;
        }
        try {
            return new org.apache.avro.Schema.Field(f.name(), avro, fs.type() == Schema.Type.STRUCT ? null : fs.doc(),
                    defaultValue);
        } catch (org.apache.avro.AvroRuntimeException e) {
            throw new DataException("Cannot convert field '" + f.name() + "' of '" + recordName + "' to Avro: "
                    + e.getMessage(), e);
        }
    }

    private org.apache.avro.Schema mapEntry(Schema mapSchema) {
        // An identical entry type is reused; a different one gets the next free number.
        for (int i = 0; ; i++) {
            String name = NAMESPACE + "." + MAP_ENTRY_TYPE_NAME + (i == 0 ? "" : String.valueOf(i));
            Schema entry = SchemaBuilder.struct().name(name)
                    .field(KEY_FIELD, mapSchema.keySchema()).field(VALUE_FIELD, mapSchema.valueSchema()).build();
            Schema existing = named.get(name);
            if (existing == null) {
                return record(entry);
            }
            if (sameRecord(existing, entry)) {
                return built.get(name);
            }
        }
    }

    private String nextDefaultName() {
        String name = DEFAULT_SCHEMA_FULL_NAME + (defaultNames == 0 ? "" : String.valueOf(defaultNames));
        defaultNames++;
        return name;
    }

    private org.apache.avro.Schema enumSchema(Schema schema, String enumName) {
        List<String> symbols = new ArrayList<>();
        String prefix = AVRO_TYPE_ENUM + ".";
        for (Map.Entry<String, String> p : schema.parameters().entrySet()) {
            if (p.getKey().startsWith(prefix)) {
                symbols.add(p.getValue());
            }
        }
        String[] split = splitName(enumName);
        try {
            return org.apache.avro.Schema.createEnum(split[1], schema.doc(), split[0], symbols);
        } catch (org.apache.avro.AvroRuntimeException e) {
            throw new DataException("Cannot convert Connect enum '" + enumName + "' to Avro: " + e.getMessage(), e);
        }
    }

    private org.apache.avro.Schema fixedSchema(Schema schema, String size) {
        String name = schema.name() != null ? schema.name() : nextDefaultName();
        String[] split = splitName(name);
        return org.apache.avro.Schema.createFixed(split[1], schema.doc(), split[0], Integer.parseInt(size));
    }

    private static void addDecimal(Schema schema, org.apache.avro.Schema avro) {
        Map<String, String> params = schema.parameters() == null ? Map.of() : schema.parameters();
        int scale = Integer.parseInt(params.getOrDefault(Decimal.SCALE_FIELD, "0"));
        int precision = Integer.parseInt(params.getOrDefault(DECIMAL_PRECISION_PROP,
                String.valueOf(DEFAULT_DECIMAL_PRECISION)));
        LogicalTypes.decimal(precision, scale).addToSchema(avro);
    }

    private static void addConnectMetadata(Schema schema, org.apache.avro.Schema avro, boolean named) {
        if (schema.version() != null) {
            avro.addProp(CONNECT_VERSION_PROP, schema.version());
        }
        if (schema.parameters() != null && !schema.parameters().isEmpty()) {
            avro.addProp(CONNECT_PARAMETERS_PROP, new LinkedHashMap<>(schema.parameters()));
        }
        if (!named && schema.doc() != null) {
            avro.addProp(CONNECT_DOC_PROP, schema.doc());
        }
        boolean recordNamedAsSchema = avro.getType() == org.apache.avro.Schema.Type.RECORD;
        if (schema.name() != null && !recordNamedAsSchema) {
            avro.addProp(CONNECT_NAME_PROP, schema.name());
        }
        if (schema.defaultValue() != null && schema.type() != Schema.Type.STRUCT) {
            avro.addProp(CONNECT_DEFAULT_VALUE_PROP, jsonDefault(schema, schema.defaultValue()));
        }
    }

    private static org.apache.avro.Schema primitive(org.apache.avro.Schema.Type type) {
        return org.apache.avro.Schema.create(type);
    }

    private static org.apache.avro.Schema withProp(org.apache.avro.Schema schema, String key, String value) {
        schema.addProp(key, value);
        return schema;
    }

    private static String[] splitName(String fullName) {
        int dot = fullName.lastIndexOf('.');
        return dot < 0 ? new String[] {null, fullName} : new String[] {fullName.substring(0, dot), fullName.substring(dot + 1)};
    }

    /** A Connect default as the plain Java value Avro turns into JSON (Map, List, Number, String, byte[] …). */
    private static Object jsonDefault(Schema schema, Object value) {
        if (value == null) {
            return JsonProperties.NULL_VALUE;
        }
        switch (schema.type()) {
            case INT8:
            case INT16:
            case INT32:
            case INT64:
                return AvroValues.toAvroInteger(schema, value);
            case BYTES:
                if (value instanceof BigDecimal bd) {
                    return Decimal.fromLogical(schema, bd);
                }
                if (value instanceof ByteBuffer b) {
                    byte[] bytes = new byte[b.remaining()];
                    b.duplicate().get(bytes);
                    return bytes;
                }
                return value;
            case ARRAY: {
                List<Object> out = new ArrayList<>();
                for (Object o : (Collection<?>) value) {
                    out.add(jsonDefault(schema.valueSchema(), o));
                }
                return out;
            }
            case MAP: {
                Map<?, ?> map = (Map<?, ?>) value;
                boolean stringKeys = schema.keySchema().type() == Schema.Type.STRING && !schema.keySchema().isOptional();
                if (stringKeys) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    map.forEach((k, v) -> out.put((String) k, jsonDefault(schema.valueSchema(), v)));
                    return out;
                }
                List<Object> entries = new ArrayList<>();
                map.forEach((k, v) -> {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put(KEY_FIELD, jsonDefault(schema.keySchema(), k));
                    e.put(VALUE_FIELD, jsonDefault(schema.valueSchema(), v));
                    entries.add(e);
                });
                return entries;
            }
            case STRUCT: {
                Struct struct = (Struct) value;
                Map<String, Object> out = new LinkedHashMap<>();
                for (Field f : schema.fields()) {
                    out.put(f.name(), jsonDefault(f.schema(), struct.get(f)));
                }
                return out;
            }
            default:
                return value;
        }
    }
}
