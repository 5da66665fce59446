package io.syncline.normalizer.stream;

import java.util.HashMap;
import java.util.Map;

import io.syncline.registry.serde.AvroSerdeConfig;
import io.syncline.registry.serde.KafkaAvroDeserializer;
import io.syncline.schemas.CanonicalSchemas;

/**
 * Reads canonical records back into their generated classes ({@code Customer}, {@code Payment}, …) through the
 * registry serde, whatever version of the schema wrote them. One per stream task.
 */
final class CanonicalDecoder implements AutoCloseable {

    private final KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();

    CanonicalDecoder(Map<String, ?> serdeConfig) {
        CanonicalSchemas.trustGeneratedClasses();
        Map<String, Object> config = new HashMap<>(serdeConfig);
        config.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        deserializer.configure(config, false);
    }

    /** The record in {@code bytes} (Confluent wire format) as written to {@code topic}. */
    Object decode(String topic, byte[] bytes) {
        return deserializer.deserialize(topic, bytes);
    }

    @Override
    public void close() {
        deserializer.close();
    }
}
