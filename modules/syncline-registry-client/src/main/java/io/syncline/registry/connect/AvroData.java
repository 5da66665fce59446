package io.syncline.registry.connect;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
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
 * Converts Kafka Connect schemas and values to Avro and back, following the conventions of Confluent's AvroConverter so
 * that schemas registered by either converter look the same and data written by one reads with the other.
 *
 * <p>Conventions: optional means a union with null (null first and default null, or the type first when the Connect
 * default is not null); unnamed structs become records {@code io.confluent.connect.avro.ConnectDefault[N]}; INT8 and
 * INT16 are Avro ints marked {@code connect.type}; maps with required string keys are Avro maps, other maps arrays of
 * {@code io.confluent.connect.avro.MapEntry} records with {@code key} and {@code value}; Avro enums are Connect strings
 * whose parameters hold {@code io.confluent.connect.avro.Enum} (the enum's name) and one
 * {@code io.confluent.connect.avro.Enum.<SYMBOL>} per symbol, in order; Date, Time, Timestamp and Decimal are Avro
 * date, time-millis, timestamp-millis and decimal (precision from {@code connect.decimal.precision}, default 64);
 * Connect names, versions, docs, parameters and defaults travel in {@code connect.*} properties; Avro unions other
 * than with null become structs {@code io.confluent.connect.avro.Union} with one optional field per branch.
 *
 * <p>Both directions cache schema conversions (bounded, least recently used first out). Thread-safe.
 */
public final class AvroData {

    public static final String NAMESPACE = "io.confluent.connect.avro";
    public static final String DEFAULT_SCHEMA_NAME = "ConnectDefault";
    public static final String DEFAULT_SCHEMA_FULL_NAME = NAMESPACE + "." + DEFAULT_SCHEMA_NAME;
    public static final String MAP_ENTRY_TYPE_NAME = "MapEntry";
    public static final String KEY_FIELD = "key";
    public static final String VALUE_FIELD = "value";
    public static final String CONNECT_NAME_PROP = "connect.name";
    public static final String CONNECT_DOC_PROP = "connect.doc";
    public static final String CONNECT_VERSION_PROP = "connect.version";
    public static final String CONNECT_PARAMETERS_PROP = "connect.parameters";
    public static final String CONNECT_DEFAULT_VALUE_PROP = "connect.default";
    public static final String CONNECT_TYPE_PROP = "connect.type";
    public static final String CONNECT_TYPE_INT8 = "int8";
    public static final String CONNECT_TYPE_INT16 = "int16";
    public static final String AVRO_TYPE_ENUM = NAMESPACE + ".Enum";
    public static final String AVRO_TYPE_UNION = NAMESPACE + ".Union";
    public static final String AVRO_FIXED_SIZE_PROP = "connect.fixed.size";
    public static final String DECIMAL_PRECISION_PROP = "connect.decimal.precision";
    public static final int DEFAULT_DECIMAL_PRECISION = 64;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.apache.avro.Schema NULL_AVRO = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.NULL);

    private final Map<Schema, org.apache.avro.Schema> toAvroCache;
    private final Map<org.apache.avro.Schema, Schema> toConnectCache;
    /**
     * The Avro schema each Connect schema made by {@link #toConnectSchema} came from, by identity: data read by the
     * converter and written back unchanged (a sink's dead letter, a pass-through) keeps its original schema, and so
     * its schema id and bytes, instead of registering a look-alike under the same subject.
     */
    private final Map<IdentityKey, org.apache.avro.Schema> origins;
    /** The last conversion each way, compared by identity: connectors usually send the same schema object. */
    private volatile Pair<Schema, org.apache.avro.Schema> lastToAvro;
    private volatile Pair<org.apache.avro.Schema, Schema> lastToConnect;

    private record Pair<A, B>(A from, B to) {
    }

    /** A Connect schema compared by identity (Connect schemas compare by value). */
    private static final class IdentityKey {
        private final Schema schema;

        IdentityKey(Schema schema) {
            this.schema = schema;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof IdentityKey other && other.schema == schema;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(schema);
        }
    }

    /** With schema caches of {@code cacheSize} entries each way. */
    public AvroData(int cacheSize) {
        this.toAvroCache = lru(cacheSize);
        this.toConnectCache = lru(cacheSize);
        this.origins = lru(cacheSize);
    }

    private static <K, V> Map<K, V> lru(int size) {
        return java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > size;
            }
        });
    }

    // ================================================================ Connect -> Avro schemas

    /** The Avro schema for a Connect schema. */
    public org.apache.avro.Schema fromConnectSchema(Schema schema) {
        Pair<Schema, org.apache.avro.Schema> last = lastToAvro;
        if (last != null && last.from() == schema) {
            return last.to();
        }
        org.apache.avro.Schema avro = origins.get(new IdentityKey(schema));
        if (avro == null) {
            avro = toAvroCache.get(schema);
        }
        if (avro == null) {
            avro = new ToAvro().convert(schema, true);
            toAvroCache.put(schema, avro);
        }
        lastToAvro = new Pair<>(schema, avro);
        return avro;
    }

    /** One Connect → Avro schema conversion: names unnamed records and map entries uniquely within it. */
    private static final class ToAvro {
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
                return ((Number) value).intValue();
            case INT32:
                if (value instanceof java.util.Date d) {
                    return Date.LOGICAL_NAME.equals(schema.name()) ? Date.fromLogical(schema, d) : Time.fromLogical(schema, d);
                }
                return value;
            case INT64:
                return value instanceof java.util.Date d ? Timestamp.fromLogical(schema, d) : value;
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

    // ================================================================ Connect -> Avro values

    /** The Avro datum for a Connect value of {@code schema}, to be written with {@code avroSchema}. */
    public Object fromConnectData(Schema schema, org.apache.avro.Schema avroSchema, Object value) {
        try {
            return toAvroValue(schema, avroSchema, value, "value");
        } catch (ClassCastException e) {
            throw new DataException("Cannot convert Connect data to Avro: " + e.getMessage(), e);
        }
    }

    private Object toAvroValue(Schema schema, org.apache.avro.Schema avro, Object value, String path) {
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
                return ((Number) value).intValue();
            case INT32:
                if (value instanceof java.util.Date d) {
                    return Date.LOGICAL_NAME.equals(schema.name()) ? Date.fromLogical(schema, d) : Time.fromLogical(schema, d);
                }
                return value;
            case INT64:
                return value instanceof java.util.Date d ? Timestamp.fromLogical(schema, d) : value;
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
    private static org.apache.avro.Schema nonNullBranch(org.apache.avro.Schema avro, Schema schema) {
        if (avro.getType() != org.apache.avro.Schema.Type.UNION || AVRO_TYPE_UNION.equals(schema.name())) {
            return avro;
        }
        List<org.apache.avro.Schema> types = avro.getTypes();
        if (types.size() == 2) {
            return types.get(0).getType() == org.apache.avro.Schema.Type.NULL ? types.get(1) : types.get(0);
        }
        return avro;
    }

    // ================================================================ Avro -> Connect schemas

    /** The Connect schema for an Avro schema. */
    public Schema toConnectSchema(org.apache.avro.Schema avro) {
        Pair<org.apache.avro.Schema, Schema> last = lastToConnect;
        if (last != null && last.from() == avro) {
            return last.to();
        }
        Schema schema = toConnectCache.get(avro);
        if (schema == null) {
            schema = toConnect(avro, false, null, new IdentityHashMap<>());
            toConnectCache.put(avro, schema);
        }
        origins.putIfAbsent(new IdentityKey(schema), avro);
        lastToConnect = new Pair<>(avro, schema);
        return schema;
    }

    private Schema toConnect(org.apache.avro.Schema avro, boolean optional, org.apache.avro.Schema.Field field,
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

    private Schema toConnectField(org.apache.avro.Schema.Field f, IdentityHashMap<org.apache.avro.Schema, Boolean> inProgress) {
        return toConnect(f.schema(), false, f, inProgress);
    }

    private Schema toConnectNested(org.apache.avro.Schema avro, IdentityHashMap<org.apache.avro.Schema, Boolean> inProgress) {
        return toConnect(avro, false, null, inProgress);
    }

    private static boolean isMapEntry(org.apache.avro.Schema items) {
        return items.getType() == org.apache.avro.Schema.Type.RECORD
                && items.getFullName().startsWith(NAMESPACE + "." + MAP_ENTRY_TYPE_NAME)
                && items.getFields().size() == 2 && items.getField(KEY_FIELD) != null
                && items.getField(VALUE_FIELD) != null;
    }

    private static String unionFieldName(org.apache.avro.Schema branch) {
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

    private void applyDefault(org.apache.avro.Schema avro, SchemaBuilder builder, org.apache.avro.Schema.Field field) {
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
                defaultValue = toConnectValue(built, nonNullBranch(field.schema(), built), avroDefault);
            }
            if (defaultValue != null) {
                builder.defaultValue(defaultValue);
            }
        } catch (DataException | org.apache.avro.AvroRuntimeException | ClassCastException e) {
            // An Avro default Connect cannot hold (e.g. inside a union): the Avro default still applies to Avro readers.
        }
    }

    private Object fromJsonDefault(Schema schema, Object json) {
        JsonNode node = JSON.valueToTree(json);
        return fromJson(schema, node);
    }

    private Object fromJson(Schema schema, JsonNode node) {
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

    // ================================================================ Avro -> Connect values

    /** The Connect value of {@code schema} for an Avro datum (as a GenericDatumReader returns it). */
    public Object toConnectData(Schema schema, Object avroValue) {
        try {
            return toConnectValue(schema, null, avroValue);
        } catch (ClassCastException e) {
            throw new DataException("Cannot convert Avro data to Connect: " + e.getMessage(), e);
        }
    }

    private Object toConnectValue(Schema schema, org.apache.avro.Schema avro, Object value) {
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
                        if (branch != null ? f.name().equals(unionFieldName(branch)) : matchesPrimitive(f.schema(), value)) {
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
