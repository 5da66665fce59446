package io.syncline.registry.serde;

import java.util.Map;

import io.syncline.registry.client.SchemaRegistryClient;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Serde for {@link GenericRecord}s in Confluent's wire format (for Kafka Streams), like Confluent's GenericAvroSerde. */
public class GenericAvroSerde implements Serde<GenericRecord> {

    private final KafkaAvroSerializer serializer;
    private final KafkaAvroDeserializer deserializer;

    public GenericAvroSerde() {
        this(null);
    }

    /** With a given registry client, shared by both sides and not closed by the serde. */
    public GenericAvroSerde(SchemaRegistryClient client) {
        this.serializer = new KafkaAvroSerializer(client);
        this.deserializer = new KafkaAvroDeserializer(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Serializer<GenericRecord> serializer() {
        return (Serializer) serializer;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Deserializer<GenericRecord> deserializer() {
        return (Deserializer) deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
