package io.syncline.registry.connect;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
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
 * <p>Both directions cache schema conversions (bounded, least recently used first out). Thread-safe. The conversions
 * themselves are one class per direction: {@link ConnectToAvroSchema}, {@link AvroToConnectSchema} and
 * {@link AvroValues}.
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
            avro = new ConnectToAvroSchema().convert(schema, true);
            toAvroCache.put(schema, avro);
        }
        lastToAvro = new Pair<>(schema, avro);
        return avro;
    }

    // ================================================================ Connect -> Avro values

    /** The Avro datum for a Connect value of {@code schema}, to be written with {@code avroSchema}. */
    public Object fromConnectData(Schema schema, org.apache.avro.Schema avroSchema, Object value) {
        try {
            return AvroValues.toAvroValue(schema, avroSchema, value, "value");
        } catch (ClassCastException e) {
            throw new DataException("Cannot convert Connect data to Avro: " + e.getMessage(), e);
        }
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
            schema = AvroToConnectSchema.toConnect(avro, false, null, new IdentityHashMap<>());
            toConnectCache.put(avro, schema);
        }
        origins.putIfAbsent(new IdentityKey(schema), avro);
        lastToConnect = new Pair<>(avro, schema);
        return schema;
    }

    // ================================================================ Avro -> Connect values

    /** The Connect value of {@code schema} for an Avro datum (as a GenericDatumReader returns it). */
    public Object toConnectData(Schema schema, Object avroValue) {
        try {
            return AvroValues.toConnectValue(schema, null, avroValue);
        } catch (ClassCastException e) {
            throw new DataException("Cannot convert Avro data to Connect: " + e.getMessage(), e);
        }
    }
}
