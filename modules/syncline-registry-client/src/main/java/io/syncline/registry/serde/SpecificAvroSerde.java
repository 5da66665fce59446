package io.syncline.registry.serde;

import java.util.HashMap;
import java.util.Map;

import io.syncline.registry.client.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for generated {@link SpecificRecord} classes in Confluent's wire format (for Kafka Streams), like Confluent's
 * SpecificAvroSerde. Given a class, it reads every message into that class whatever the writer schema's name.
 */
public class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final KafkaAvroSerializer serializer;
    private final KafkaAvroDeserializer deserializer;
    private final Class<T> type;

    public SpecificAvroSerde() {
        this(null, null);
    }

    /** Reads into {@code type}; with a given registry client (or null to create one from the configuration). */
    public SpecificAvroSerde(SchemaRegistryClient client, Class<T> type) {
        this.type = type;
        this.serializer = new KafkaAvroSerializer(client);
        this.deserializer = new KafkaAvroDeserializer(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        Map<String, Object> specific = new HashMap<>(configs);
        specific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        if (type != null) {
            specific.put(isKey ? AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE : AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, type);
        }
        deserializer.configure(specific, isKey);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Serializer<T> serializer() {
        return (Serializer) serializer;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Deserializer<T> deserializer() {
        return (Deserializer) deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
