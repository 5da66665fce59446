package io.syncline.registry.connect;

import java.util.Map;

import io.syncline.registry.client.SchemaRegistryClient;
import io.syncline.registry.serde.KafkaAvroDeserializer;
import io.syncline.registry.serde.KafkaAvroSerializer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

/**
 * Kafka Connect converter between Connect data and Avro in Confluent's wire format, registering and fetching schemas
 * in a Confluent-compatible registry; a drop-in for {@code io.confluent.connect.avro.AvroConverter} (same keys, same
 * schema conventions, see {@link AvroData}).
 *
 * <p>Worker configuration: {@code value.converter=io.syncline.registry.connect.AvroConverter} and
 * {@code value.converter.schema.registry.url=http://registry:8081}. A null value converts to null bytes and back
 * (tombstones).
 */
public class AvroConverter implements Converter {

    private final SchemaRegistryClient givenClient;
    private SchemaRegistryClient ownedClient;
    private KafkaAvroSerializer serializer;
    private KafkaAvroDeserializer deserializer;
    private AvroData avroData;
    private boolean isKey;

    /** For Connect workers: configured through {@link #configure}. */
    public AvroConverter() {
        this(null);
    }

    /** With a given registry client (tests); the client is not closed by {@link #close}. */
    public AvroConverter(SchemaRegistryClient client) {
        this.givenClient = client;
    }

    @Override
    public ConfigDef config() {
        return AvroConverterConfig.configDef();
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        Map<String, ?> effective = configs;
        if (givenClient != null && !configs.containsKey(AvroConverterConfig.SCHEMA_REGISTRY_URL)) {
            Map<String, Object> copy = new java.util.HashMap<>(configs);
            copy.put(AvroConverterConfig.SCHEMA_REGISTRY_URL, "mock://client-given");
            effective = copy;
        }
        AvroConverterConfig config = new AvroConverterConfig(effective);
        SchemaRegistryClient client = givenClient != null ? givenClient : SchemaRegistryClient.create(config);
        // One client for both directions; the serde instances do not own it, this converter does.
        this.serializer = new KafkaAvroSerializer(client);
        this.serializer.configure(config, isKey);
        this.deserializer = new KafkaAvroDeserializer(client);
        this.deserializer.configure(config, isKey);
        this.avroData = new AvroData(config.getInt(AvroConverterConfig.SCHEMAS_CACHE_SIZE));
        this.ownedClient = givenClient == null ? client : null;
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        return fromConnectData(topic, null, schema, value);
    }

    @Override
    public byte[] fromConnectData(String topic, Headers headers, Schema schema, Object value) {
        requireConfigured();
        if (value == null) {
            return null;
        }
        if (schema == null) {
            throw new DataException("Cannot convert schemaless data for topic '" + topic + "' to Avro: the "
                    + (isKey ? "key" : "value") + " has no Connect schema (use a source or transform that attaches one)");
        }
        org.apache.avro.Schema avroSchema;
        Object avroValue;
        try {
            avroSchema = avroData.fromConnectSchema(schema);
            avroValue = avroData.fromConnectData(schema, avroSchema, value);
        } catch (DataException e) {
            throw new DataException("Converting Kafka Connect data to Avro failed for topic '" + topic + "' ("
                    + (isKey ? "key" : "value") + "): " + e.getMessage(), e);
        }
        try {
            return serializer.serialize(topic, headers, avroSchema, avroValue);
        } catch (SerializationException e) {
            throw new DataException("Converting Kafka Connect data to byte[] failed due to a serialization error for "
                    + "topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        return toConnectData(topic, null, value);
    }

    @Override
    public SchemaAndValue toConnectData(String topic, Headers headers, byte[] value) {
        requireConfigured();
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        KafkaAvroDeserializer.Result result;
        try {
            result = deserializer.deserializeWithSchema(topic, value);
        } catch (SerializationException e) {
            throw new DataException("Converting byte[] to Kafka Connect data failed due to a serialization error for "
                    + "topic '" + topic + "': " + e.getMessage(), e);
        }
        Schema schema = avroData.toConnectSchema(result.schema());
        return new SchemaAndValue(schema, avroData.toConnectData(schema, result.value()));
    }

    private void requireConfigured() {
        if (avroData == null) {
            throw new IllegalStateException("AvroConverter used before configure()");
        }
    }

    @Override
    public void close() {
        if (ownedClient != null) {
            ownedClient.close();
        }
    }
}
