package io.syncline.registry.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

import io.syncline.registry.client.SchemaMetadata;
import io.syncline.registry.client.SchemaRegistryClient;
import io.syncline.registry.client.SchemaRegistryException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for Avro in Confluent's wire format; a drop-in for
 * {@code io.confluent.kafka.serializers.KafkaAvroDeserializer} with the same configuration keys.
 *
 * <p>The writer's schema comes from the registry by the id in the message; the data is resolved into the reader's
 * schema: the generated class's (with {@code specific.avro.reader}, or {@code specific.avro.key.type}/
 * {@code specific.avro.value.type} to read into a fixed class whatever the writer's namespace), the subject's latest
 * version ({@code use.latest.version}), or the writer's own. So consumers built with older classes read newer data and
 * vice versa, as far as Avro's schema resolution allows. A DatumReader is cached per schema id and decoders are reused
 * per thread. Bad input (wrong magic byte, unknown id, truncated data) fails with a {@link SerializationException}
 * naming the topic and the id; null stays null (tombstones).
 */
public class KafkaAvroDeserializer implements Deserializer<Object> {

    private static final ThreadLocal<BinaryDecoder[]> DECODERS = ThreadLocal.withInitial(() -> new BinaryDecoder[1]);

    private enum Mode { GENERIC, GENERIC_LATEST, SPECIFIC_BY_NAME, SPECIFIC_FIXED }

    private SchemaRegistryClient client;
    private boolean ownsClient;
    private boolean isKey;
    private Mode mode;
    private SubjectNameStrategy strategy;
    private GenericData genericData = GenericData.get();
    private Class<?> fixedType;
    private Schema fixedReaderSchema;
    private SpecificData fixedData;
    private ClassLoader loader;

    /** Readers by writer schema id (all modes but GENERIC_LATEST). */
    private final IntObjectMap<ReaderEntry> readers = new IntObjectMap<>();
    /** GENERIC_LATEST: readers by latest (reader) schema id, then writer schema id. */
    private final IntObjectMap<IntObjectMap<ReaderEntry>> latestReaders = new IntObjectMap<>();

    private record ReaderEntry(DatumReader<Object> reader, Schema writer, Schema readerSchema, boolean unwrapPrimitive) {
    }

    /**
     * A deserialized datum with the schema it was read into (the writer's, the subject's latest or the generated
     * class's).
     *
     * @param schema the reader schema
     * @param value the datum as Avro's DatumReader returns it (GenericRecord, Utf8, ByteBuffer, …)
     */
    public record Result(Schema schema, Object value) {
    }

    /** For Kafka: configured through {@link #configure}. */
    public KafkaAvroDeserializer() {
    }

    /** With a given registry client (tests, or one client shared by several serdes); not closed by {@link #close}. */
    public KafkaAvroDeserializer(SchemaRegistryClient client) {
        this.client = client;
    }

    /** With a given client, configured at once. */
    public KafkaAvroDeserializer(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        this.client = client;
        configure(configs, isKey);
    }

    /** With a given client, reading every message into {@code type}, a generated SpecificRecord class. */
    public KafkaAvroDeserializer(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey, Class<?> type) {
        this.client = client;
        this.fixedType = type;
        configure(configs, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        configure(new AvroSerdeConfig(KafkaAvroSerializer.withPlaceholderUrl(configs, client)), isKey);
    }

    /** Configures from an already parsed configuration (the Connect converter's). */
    public void configure(AvroSerdeConfig config, boolean isKey) {
        this.isKey = isKey;
        this.strategy = config.subjectNameStrategy(isKey);
        this.genericData = config.getBoolean(AvroSerdeConfig.AVRO_USE_LOGICAL_TYPE_CONVERTERS)
                ? KafkaAvroSerializer.withLogicalTypes(new GenericData()) : GenericData.get();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        this.loader = context != null ? context : KafkaAvroDeserializer.class.getClassLoader();
        Class<?> type = fixedType != null ? fixedType : config.specificType(isKey);
        if (type != null) {
            useFixedType(type);
        } else if (config.getBoolean(AvroSerdeConfig.SPECIFIC_AVRO_READER)) {
            mode = Mode.SPECIFIC_BY_NAME;
        } else if (config.getBoolean(AvroSerdeConfig.USE_LATEST_VERSION)) {
            mode = Mode.GENERIC_LATEST;
        } else {
            mode = Mode.GENERIC;
        }
        if (client == null) {
            client = SchemaRegistryClient.create(config);
            ownsClient = true;
        }
        readers.clear();
        latestReaders.clear();
    }

    private void useFixedType(Class<?> type) {
        if (!SpecificRecord.class.isAssignableFrom(type)) {
            throw new org.apache.kafka.common.config.ConfigException((isKey ? AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE
                    : AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE), type.getName(),
                    "expected a generated Avro class implementing " + SpecificRecord.class.getName());
        }
        fixedType = type;
        fixedData = SpecificData.getForClass(type);
        fixedReaderSchema = fixedData.getSchema(type);
        TrustedAvroPackages.trustNamespacesOf(fixedReaderSchema);
        mode = Mode.SPECIFIC_FIXED;
    }

    /** The registry client in use. */
    public SchemaRegistryClient client() {
        return client;
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        return data == null ? null : deserialize(topic, data, 0, data.length);
    }

    @Override
    public Object deserialize(String topic, Headers headers, byte[] data) {
        return data == null ? null : deserialize(topic, data, 0, data.length);
    }

    @Override
    public Object deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.hasArray()) {
            return deserialize(topic, data.array(), data.arrayOffset() + data.position(), data.remaining());
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return deserialize(topic, copy, 0, copy.length);
    }

    /** Reads the framed message in {@code data[offset, offset + length)}. */
    public Object deserialize(String topic, byte[] data, int offset, int length) {
        ReaderEntry entry = entry(topic, data, offset, length);
        Object result = read(topic, entry, data, offset, length);
        if (entry.unwrapPrimitive()) {
            if (result instanceof CharSequence s) {
                return s.toString();
            }
            if (result instanceof ByteBuffer b) {
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                return bytes;
            }
        }
        return result;
    }

    /** Reads a framed message and returns the datum with its reader schema (the Connect converter's path). */
    public Result deserializeWithSchema(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        ReaderEntry entry = entry(topic, data, 0, data.length);
        return new Result(entry.readerSchema(), read(topic, entry, data, 0, data.length));
    }

    private ReaderEntry entry(String topic, byte[] data, int offset, int length) {
        if (mode == null) {
            throw new IllegalStateException("KafkaAvroDeserializer used before configure()");
        }
        if (length < WireFormat.HEADER_SIZE) {
            throw new SerializationException("Cannot deserialize " + side() + " from topic '" + topic + "': "
                    + length + " bytes is shorter than the 5-byte header of Confluent's wire format (magic byte 0, "
                    + "4-byte schema id)");
        }
        if (data[offset] != WireFormat.MAGIC_BYTE) {
            throw new SerializationException("Cannot deserialize " + side() + " from topic '" + topic
                    + "': unknown magic byte " + data[offset] + ", expected 0 (Confluent wire format; was this record "
                    + "written by another serializer?)");
        }
        return entry(topic, WireFormat.readSchemaId(data, offset));
    }

    private Object read(String topic, ReaderEntry entry, byte[] data, int offset, int length) {
        BinaryDecoder[] holder = DECODERS.get();
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, offset + WireFormat.HEADER_SIZE,
                length - WireFormat.HEADER_SIZE, holder[0]);
        holder[0] = decoder;
        try {
            return entry.reader().read(null, decoder);
        } catch (IOException | AvroRuntimeException | ClassCastException | IndexOutOfBoundsException
                 | NegativeArraySizeException e) {
            throw new SerializationException("Cannot deserialize " + side() + " from topic '" + topic + "' (schema id "
                    + WireFormat.readSchemaId(data, offset) + ", " + (length - WireFormat.HEADER_SIZE) + " bytes of "
                    + "Avro data): truncated or corrupt data for writer schema " + describe(entry.writer()) + ": " + e, e);
        }
    }

    private ReaderEntry entry(String topic, int id) {
        if (mode == Mode.GENERIC_LATEST) {
            return latestEntry(topic, id);
        }
        ReaderEntry entry = readers.get(id);
        if (entry == null) {
            entry = newEntry(topic, id);
            readers.put(id, entry);
        }
        return entry;
    }

    private ReaderEntry latestEntry(String topic, int id) {
        Schema writer = writerSchema(topic, id);
        String subject = strategy.subjectName(topic, isKey, writer);
        SchemaMetadata latest;
        Schema latestSchema;
        try {
            latest = client.getLatestSchemaMetadata(subject);
            latestSchema = client.getSchemaById(latest.id());
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Cannot deserialize " + side() + " from topic '" + topic + "' (schema id "
                    + id + "): fetching the latest version of subject '" + subject + "' (use.latest.version=true) "
                    + "failed: " + e.getMessage(), e);
        }
        IntObjectMap<ReaderEntry> byWriter = latestReaders.get(latest.id());
        if (byWriter == null) {
            byWriter = new IntObjectMap<>();
            latestReaders.put(latest.id(), byWriter);
        }
        ReaderEntry entry = byWriter.get(id);
        if (entry == null) {
            entry = new ReaderEntry(new GenericDatumReader<>(writer, latestSchema, genericData), writer, latestSchema,
                    isPrimitive(latestSchema));
            byWriter.put(id, entry);
        }
        return entry;
    }

    private ReaderEntry newEntry(String topic, int id) {
        Schema writer = writerSchema(topic, id);
        switch (mode) {
            case SPECIFIC_FIXED:
                return new ReaderEntry(new SpecificDatumReader<>(writer, fixedReaderSchema, fixedData), writer,
                        fixedReaderSchema, false);
            case SPECIFIC_BY_NAME:
                if (writer.getType() == Schema.Type.RECORD || writer.getType() == Schema.Type.ENUM
                        || writer.getType() == Schema.Type.FIXED) {
                    Class<?> type = specificClass(topic, id, writer);
                    SpecificData data = SpecificData.getForClass(type);
                    Schema reader = data.getSchema(type);
                    TrustedAvroPackages.trustNamespacesOf(reader);
                    return new ReaderEntry(new SpecificDatumReader<>(writer, reader, data), writer, reader, false);
                }
                return new ReaderEntry(new GenericDatumReader<>(writer, writer, genericData), writer, writer, true);
            default:
                return new ReaderEntry(new GenericDatumReader<>(writer, writer, genericData), writer, writer,
                        isPrimitive(writer));
        }
    }

    private Class<?> specificClass(String topic, int id, Schema writer) {
        String name = SpecificData.getClassName(writer);
        Class<?> type;
        try {
            // Not initialized until we know it is a generated class: the name comes from the writer's schema.
            type = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new SerializationException("Cannot deserialize " + side() + " from topic '" + topic + "' (schema id "
                    + id + ") into a SpecificRecord: class " + name + " named by the writer's schema is not on the "
                    + "classpath; add it, or set " + (isKey ? AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE
                    : AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE) + " to the class to read into", e);
        }
        if (!SpecificRecord.class.isAssignableFrom(type) && !type.isEnum()) {
            throw new SerializationException("Cannot deserialize " + side() + " from topic '" + topic + "' (schema id "
                    + id + "): " + name + " is not a generated Avro class");
        }
        return type;
    }

    private Schema writerSchema(String topic, int id) {
        try {
            return client.getSchemaById(id);
        } catch (SchemaRegistryException e) {
            String what = e.isNotFound() ? "unknown schema id " + id : "fetching schema id " + id + " failed";
            throw new SerializationException("Cannot deserialize " + side() + " from topic '" + topic + "': " + what
                    + " (" + e.getMessage() + ")", e);
        }
    }

    private static boolean isPrimitive(Schema schema) {
        return schema.getType() == Schema.Type.STRING || schema.getType() == Schema.Type.BYTES;
    }

    private String side() {
        return isKey ? "key" : "value";
    }

    private static String describe(Schema schema) {
        return schema.getType() == Schema.Type.RECORD || schema.getType() == Schema.Type.ENUM
                || schema.getType() == Schema.Type.FIXED ? schema.getFullName() : schema.getType().getName();
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }
}
