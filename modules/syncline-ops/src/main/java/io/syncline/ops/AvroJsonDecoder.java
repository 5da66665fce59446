package io.syncline.ops;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.registry.client.SchemaRegistryClient;
import io.syncline.registry.client.SchemaRegistryClientConfig;
import io.syncline.registry.serde.KafkaAvroDeserializer;
import org.apache.avro.generic.GenericData;

/**
 * Decodes Avro in the Confluent wire format into JSON through a schema registry, with the writer's schema (generic
 * records: no generated classes needed). Unions print as their value, bytes as Avro's JSON string of code points.
 */
public final class AvroJsonDecoder implements RecordJson.WireFormatDecoder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaAvroDeserializer keys;
    private final KafkaAvroDeserializer values;

    public AvroJsonDecoder(SchemaRegistryClient client, String registryUrl) {
        Map<String, Object> config = Map.of(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, registryUrl);
        this.keys = new KafkaAvroDeserializer(client, config, true);
        this.values = new KafkaAvroDeserializer(client, config, false);
    }

    @Override
    public JsonNode decode(String topic, boolean isKey, byte[] bytes) {
        Object datum = (isKey ? keys : values).deserialize(topic, bytes);
        String json = GenericData.get().toString(datum);
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            // GenericData renders every Avro value as JSON; should one not parse, show it as text rather than lose it.
            return JSON.getNodeFactory().textNode(json);
        }
    }
}
