package io.syncline.registry.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.syncline.registry.client.SchemaMetadata;
import io.syncline.registry.client.SchemaRegistryClient;
import io.syncline.registry.client.SchemaRegistryClientConfig;
import io.syncline.registry.client.SchemaRegistryException;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer writing Avro in Confluent's wire format (magic byte, schema id, Avro binary); a drop-in for
 * {@code io.confluent.kafka.serializers.KafkaAvroSerializer} with the same configuration keys.
 *
 * <p>Accepts SpecificRecord, GenericRecord (and other GenericContainers: enums, fixed, arrays) and the Avro primitives
 * {@code null}, Boolean, Integer, Long, Float, Double, CharSequence, byte[] and ByteBuffer. The schema id is looked up
 * once per (topic, schema) and cached with its DatumWriter; the encoder and output buffer are reused per thread, so a
 * record costs one allocation beyond Avro's own: the returned array. Null stays null (tombstones).
 */
public class KafkaAvroSerializer implements Serializer<Object> {

    private static final Schema BOOLEAN_SCHEMA = Schema.create(Schema.Type.BOOLEAN);
    private static final Schema INT_SCHEMA = Schema.create(Schema.Type.INT);
    private static final Schema LONG_SCHEMA = Schema.create(Schema.Type.LONG);
    private static final Schema FLOAT_SCHEMA = Schema.create(Schema.Type.FLOAT);
    private static final Schema DOUBLE_SCHEMA = Schema.create(Schema.Type.DOUBLE);
    private static final Schema STRING_SCHEMA = Schema.create(Schema.Type.STRING);
    private static final Schema BYTES_SCHEMA = Schema.create(Schema.Type.BYTES);
    /** Largest per-thread buffer kept between records; a bigger one (a huge record) is dropped after use. */
    private static final int MAX_RETAINED_BUFFER = 1 << 20;

    private static final ThreadLocal<OutputBuffer> BUFFERS = ThreadLocal.withInitial(OutputBuffer::new);

    private SchemaRegistryClient client;
    private boolean ownsClient;
    private boolean isKey;
    private boolean autoRegister;
    private boolean useLatest;
    private boolean latestStrict;
    private long latestTtlNanos;
    private SubjectNameStrategy strategy;
    private GenericData genericData = new NullableUnionData();

    /** Writer entries by topic (or one shared map when the subject does not depend on the topic), then by schema. */
    private final Map<String, Map<Schema, WriterEntry>> specificByTopic = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, WriterEntry>> genericByTopic = new ConcurrentHashMap<>();

    /** What a record needs to be written: its 5-byte header and the writer for its schema. */
    private record WriterEntry(byte[] header, DatumWriter<Object> writer, boolean expires, long expiresAtNanos) {

        boolean expired() {
            return expires && System.nanoTime() - expiresAtNanos > 0;
        }
    }

    /** A growable array the encoder writes into; reused by one thread. */
    private static final class OutputBuffer extends ByteArrayOutputStream {
        BinaryEncoder encoder;

        OutputBuffer() {
            super(512);
        }

        byte[] copy() {
            return Arrays.copyOf(buf, count);
        }

        void shrinkIfHuge() {
            if (buf.length > MAX_RETAINED_BUFFER) {
                buf = new byte[512];
            }
        }
    }

    /** For Kafka: configured through {@link #configure}. */
    public KafkaAvroSerializer() {
    }

    /** With a given registry client (tests, or one client shared by several serdes); not closed by {@link #close}. */
    public KafkaAvroSerializer(SchemaRegistryClient client) {
        this.client = client;
    }

    /** With a given client, configured at once. */
    public KafkaAvroSerializer(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        this.client = client;
        configure(configs, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        configure(new AvroSerdeConfig(withPlaceholderUrl(configs, client)), isKey);
    }

    /** Configures from an already parsed configuration (the Connect converter's). */
    public void configure(AvroSerdeConfig config, boolean isKey) {
        this.isKey = isKey;
        this.autoRegister = config.getBoolean(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS);
        this.useLatest = !autoRegister && config.getBoolean(AvroSerdeConfig.USE_LATEST_VERSION);
        this.latestStrict = config.getBoolean(AvroSerdeConfig.LATEST_COMPATIBILITY_STRICT);
        long ttl = config.getLong(SchemaRegistryClientConfig.LATEST_CACHE_TTL_SEC);
        this.latestTtlNanos = ttl < 0 ? Long.MAX_VALUE : ttl * 1_000_000_000L;
        this.strategy = config.subjectNameStrategy(isKey);
        this.genericData = config.getBoolean(AvroSerdeConfig.AVRO_USE_LOGICAL_TYPE_CONVERTERS)
                ? withLogicalTypes(new NullableUnionData()) : new NullableUnionData();
        if (client == null) {
            client = SchemaRegistryClient.create(config);
            ownsClient = true;
        }
        specificByTopic.clear();
        genericByTopic.clear();
    }

    /** A configuration map for a caller that handed us a client and may have left the URL out. */
    static Map<String, ?> withPlaceholderUrl(Map<String, ?> configs, SchemaRegistryClient client) {
        if (client == null || configs.containsKey(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL)) {
            return configs;
        }
        Map<String, Object> copy = new HashMap<>(configs);
        copy.put(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, "mock://client-given");
        return copy;
    }

    static GenericData withLogicalTypes(GenericData data) {
        data.addLogicalTypeConversion(new Conversions.DecimalConversion());
        data.addLogicalTypeConversion(new Conversions.UUIDConversion());
        data.addLogicalTypeConversion(new TimeConversions.DateConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimeMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        data.addLogicalTypeConversion(new TimeConversions.LocalTimestampMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
        return data;
    }

    /** The registry client in use. */
    public SchemaRegistryClient client() {
        return client;
    }

    @Override
    public byte[] serialize(String topic, Object data) {
        return serialize(topic, null, data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, Object data) {
        if (data == null) {
            return null;
        }
        if (strategy == null) {
            throw new IllegalStateException("KafkaAvroSerializer used before configure()");
        }
        Object datum = data;
        Schema schema;
        boolean specific = false;
        if (data instanceof GenericContainer container) {
            schema = container.getSchema();
            specific = data instanceof SpecificRecord;
        } else {
            schema = primitiveSchema(data, topic);
            if (data instanceof byte[] bytes) {
                datum = ByteBuffer.wrap(bytes);
            }
        }
        return write(topic, schema, datum, specific, data);
    }

    /**
     * Writes {@code datum}, an Avro generic datum, with {@code schema} (the Connect converter's path: the schema carries
     * {@code connect.*} properties that the registered schema must keep). Null stays null.
     */
    public byte[] serialize(String topic, Headers headers, Schema schema, Object datum) {
        if (datum == null) {
            return null;
        }
        if (strategy == null) {
            throw new IllegalStateException("KafkaAvroSerializer used before configure()");
        }
        return write(topic, schema, datum, false, datum);
    }

    private byte[] write(String topic, Schema schema, Object datum, boolean specific, Object data) {
        WriterEntry entry = entry(topic, schema, specific, data);
        OutputBuffer out = BUFFERS.get();
        out.reset();
        out.write(entry.header(), 0, WireFormat.HEADER_SIZE);
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, out.encoder);
            out.encoder = encoder;
            entry.writer().write(datum, encoder);
            encoder.flush();
            return out.copy();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Error serializing Avro " + describe(schema) + " for topic '" + topic
                    + "' (" + (isKey ? "key" : "value") + ", schema id " + WireFormat.readSchemaId(entry.header(), 0)
                    + "): " + e.getMessage(), e);
        } finally {
            out.shrinkIfHuge();
        }
    }

    private WriterEntry entry(String topic, Schema schema, boolean specific, Object data) {
        Map<String, Map<Schema, WriterEntry>> byTopic = specific ? specificByTopic : genericByTopic;
        String topicKey = strategy.usesTopic() ? topic : "";
        Map<Schema, WriterEntry> bySchema = byTopic.get(topicKey);
        if (bySchema == null) {
            bySchema = byTopic.computeIfAbsent(topicKey, t -> new ConcurrentHashMap<>());
        }
        WriterEntry entry = bySchema.get(schema);
        if (entry == null || entry.expired()) {
            entry = newEntry(topic, schema, specific, data);
            bySchema.put(schema, entry);
        }
        return entry;
    }

    private WriterEntry newEntry(String topic, Schema schema, boolean specific, Object data) {
        String subject;
        try {
            subject = strategy.subjectName(topic, isKey, schema);
        } catch (RuntimeException e) {
            throw new SerializationException("Cannot name the subject of " + describe(schema) + " for topic '" + topic
                    + "' with " + strategy.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        try {
            int id;
            DatumWriter<Object> writer;
            boolean expires = false;
            if (autoRegister) {
                id = client.register(subject, schema);
                writer = writerFor(schema, specific, data);
            } else if (useLatest) {
                SchemaMetadata latest = client.getLatestSchemaMetadata(subject);
                Schema latestSchema = client.getSchemaById(latest.id());
                if (latestStrict) {
                    SchemaCompatibility.SchemaPairCompatibility check =
                            SchemaCompatibility.checkReaderWriterCompatibility(latestSchema, schema);
                    if (check.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                        throw new SerializationException("The latest version (" + latest.version() + ", id "
                                + latest.id() + ") of subject '" + subject + "' cannot read " + describe(schema)
                                + " (latest.compatibility.strict=true): " + check.getDescription());
                    }
                }
                id = latest.id();
                writer = latestSchema.equals(schema) ? writerFor(schema, specific, data)
                        : new ByNameDatumWriter(latestSchema, specific ? dataFor(data) : genericData);
                expires = latestTtlNanos != Long.MAX_VALUE;
            } else {
                id = client.getId(subject, schema);
                writer = writerFor(schema, specific, data);
            }
            byte[] header = new byte[WireFormat.HEADER_SIZE];
            WireFormat.writeHeader(header, 0, id);
            return new WriterEntry(header, writer, expires, expires ? System.nanoTime() + latestTtlNanos : 0L);
        } catch (SchemaRegistryException e) {
            String doing = autoRegister ? "registering" : useLatest ? "fetching the latest version of" : "looking up";
            throw new SerializationException("Error " + doing + " the Avro schema of " + describe(schema)
                    + " for topic '" + topic + "' under subject '" + subject + "': " + e.getMessage(), e);
        }
    }

    private DatumWriter<Object> writerFor(Schema schema, boolean specific, Object data) {
        return specific ? new SpecificDatumWriter<>(schema, dataFor(data)) : new GenericDatumWriter<>(schema, genericData);
    }

    private static SpecificData dataFor(Object data) {
        return SpecificData.getForClass(data.getClass());
    }

    private static Schema primitiveSchema(Object data, String topic) {
        if (data instanceof CharSequence) {
            return STRING_SCHEMA;
        } else if (data instanceof Integer) {
            return INT_SCHEMA;
        } else if (data instanceof Long) {
            return LONG_SCHEMA;
        } else if (data instanceof Boolean) {
            return BOOLEAN_SCHEMA;
        } else if (data instanceof Double) {
            return DOUBLE_SCHEMA;
        } else if (data instanceof Float) {
            return FLOAT_SCHEMA;
        } else if (data instanceof byte[] || data instanceof ByteBuffer) {
            return BYTES_SCHEMA;
        }
        throw new SerializationException("Cannot serialize a " + data.getClass().getName() + " for topic '" + topic
                + "' as Avro: expected a SpecificRecord, GenericRecord, GenericContainer or an Avro primitive "
                + "(Boolean, Integer, Long, Float, Double, CharSequence, byte[], ByteBuffer)");
    }

    private static String describe(Schema schema) {
        return schema.getType() == Schema.Type.RECORD || schema.getType() == Schema.Type.ENUM
                || schema.getType() == Schema.Type.FIXED ? "'" + schema.getFullName() + "'" : schema.getType().getName();
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }

    /**
     * Writes a record with another (the subject's latest) schema by field name: fields the record lacks take the
     * writer schema's default. Positions may differ between the two schemas.
     */
    private static final class ByNameDatumWriter extends GenericDatumWriter<Object> {

        ByNameDatumWriter(Schema writerSchema, GenericData data) {
            super(writerSchema, data);
        }

        @Override
        protected void writeField(Object datum, Schema.Field f, Encoder out, Object state) throws IOException {
            Schema.Field own = ((GenericContainer) datum).getSchema().getField(f.name());
            Object value;
            if (own != null) {
                value = ((IndexedRecord) datum).get(own.pos());
            } else if (f.hasDefaultValue()) {
                value = getData().getDefaultValue(f);
            } else {
                throw new SerializationException("field '" + f.name() + "' of the latest schema "
                        + ((GenericContainer) datum).getSchema().getFullName() + " has no default and the record lacks it");
            }
            write(f.schema(), value, out);
        }
    }
}
