package io.syncline.normalizer.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.syncline.json.PathTrie;
import io.syncline.mapping.MappingContext;
import io.syncline.mapping.MappingException;
import io.syncline.mapping.PrunedJsonReader;
import io.syncline.normalizer.mapping.CanonicalChange;
import io.syncline.normalizer.mapping.CompiledMapping;
import io.syncline.normalizer.mapping.MappingSet;
import io.syncline.normalizer.mapping.TargetCatalog.Target;
import io.syncline.registry.client.SchemaRegistryException;
import io.syncline.registry.serde.KafkaAvroSerializer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The per-record work of the normalizer without Kafka Streams around it: parse the raw JSON once, pick the mapping,
 * map, encode. One per stream task (it reuses its context and encoder); the topology adds dedupe, stale-drop and
 * dead letters around it, and the benchmarks and {@code syncline mappings test} call it directly.
 */
public final class RecordNormalizer {

    private static final ObjectReader JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .reader();

    private final MappingSet mappings;
    private final KafkaAvroSerializer serializer;
    private final MappingContext ctx = new MappingContext();
    private final KafkaHeaders headerText = new KafkaHeaders();

    private CompiledMapping mapping;
    private String eventId;

    /**
     * @param serdeConfig configuration of the value serializer: {@code schema.registry.url} (a {@code mock://scope}
     *     URL for an in-memory registry) and the serde's other keys
     */
    public RecordNormalizer(MappingSet mappings, Map<String, ?> serdeConfig) {
        this.mappings = mappings;
        this.serializer = new KafkaAvroSerializer();
        this.serializer.configure(serdeConfig, false);
    }

    /** As {@link #prepare(String, int, long, long, Headers, byte[], byte[], long)} for a record without a key. */
    public void prepare(String topic, int partition, long offset, long timestamp, Headers headers, byte[] value,
            long now) throws NormalizeFailure {
        prepare(topic, partition, offset, timestamp, headers, null, value, now);
    }

    /**
     * Parses the record and selects its mapping; afterwards {@link #mapping()} and {@link #eventId()} describe it.
     *
     * @param key the raw record's key (UTF-8, read by {@code $record/key}), or null
     * @throws NormalizeFailure when the value is not a JSON object or no mapping takes it
     */
    public void prepare(String topic, int partition, long offset, long timestamp, Headers headers, byte[] key,
            byte[] value, long now) throws NormalizeFailure {
        mapping = null;
        eventId = null;
        JsonNode root;
        try {
            PathTrie paths = mappings.parsePaths(topic);
            root = value == null ? null : paths == null ? JSON.readTree(value) : PrunedJsonReader.read(value, paths);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new NormalizeFailure(NormalizeFailure.Reason.PARSE, "not valid JSON" + where + ": "
                    + e.getOriginalMessage(), e.getClass().getName(), null);
        } catch (IOException e) {
            throw new NormalizeFailure(NormalizeFailure.Reason.PARSE, "cannot read the value: " + e.getMessage(),
                    e.getClass().getName(), null);
        }
        if (root == null || !root.isObject()) {
            throw new NormalizeFailure(NormalizeFailure.Reason.PARSE, "expected a JSON object, got "
                    + (root == null ? "no value" : root.getNodeType().name().toLowerCase(java.util.Locale.ROOT)),
                    IllegalArgumentException.class.getName(), null);
        }
        JsonNode object = root;
        JsonNode event = null;
        String eventType = null;
        JsonNode dataObject = root.path("data").path("object");
        if ("event".equals(root.path("object").textValue()) && dataObject.isObject()) {
            event = root;
            object = dataObject;
            eventType = root.path("type").textValue();
        }
        headerText.headers = headers;
        ctx.reset(object, event, headerText, key, topic, partition, offset, timestamp, now);
        CompiledMapping m = mappings.select(topic, event != null, eventType);
        if (m == null) {
            String what = event != null ? "events of type \"" + eventType + "\"" : "bare objects";
            throw new NormalizeFailure(NormalizeFailure.Reason.NO_MAPPING, "no mapping takes " + what + " from "
                    + topic, IllegalStateException.class.getName(), null);
        }
        if (m.objectType() != null && !m.objectType().equals(object.path("object").textValue())) {
            throw new NormalizeFailure(NormalizeFailure.Reason.MAPPING, "expected a " + m.objectType()
                    + " object, got object \"" + object.path("object").asText("") + "\"",
                    MappingException.class.getName(), m);
        }
        mapping = m;
        try {
            eventId = m.eventId(ctx);
        } catch (RuntimeException e) {
            throw failure(e, m);
        }
    }

    /** The mapping {@link #prepare} selected. */
    public CompiledMapping mapping() {
        return mapping;
    }

    /** The event id of the prepared record, or null. */
    public String eventId() {
        return eventId;
    }

    /** Maps the prepared record. */
    public CanonicalChange map() throws NormalizeFailure {
        try {
            return mapping.apply(ctx, eventId);
        } catch (RuntimeException e) {
            throw failure(e, mapping);
        }
    }

    /**
     * Encodes a canonical record in the Confluent wire format with the project's serde (registering its schema under
     * {@code <canonical topic>-value} on first use).
     *
     * @throws NormalizeFailure when the record does not fit its schema
     * @throws SerializationException when the registry cannot be reached: not the record's fault, so not dead-lettered
     */
    public byte[] encode(CanonicalChange change, Headers headers) throws NormalizeFailure {
        Target target = change.mapping().target();
        try {
            return serializer.serialize(target.topic(), headers, change.record());
        } catch (SerializationException e) {
            if (e.getCause() instanceof SchemaRegistryException) {
                throw e;
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new NormalizeFailure(NormalizeFailure.Reason.SCHEMA, "the canonical record does not fit "
                    + target.schema().getFullName() + ": " + cause.getMessage(), cause.getClass().getName(),
                    change.mapping());
        }
    }

    private static NormalizeFailure failure(RuntimeException e, CompiledMapping m) {
        String message = e instanceof MappingException ? e.getMessage() : e.toString();
        return new NormalizeFailure(NormalizeFailure.Reason.MAPPING, message, e.getClass().getName(), m);
    }

    /** The record's Kafka headers as the mapping language reads them; re-pointed per record, so nothing allocates. */
    private static final class KafkaHeaders implements MappingContext.Headers {
        private Headers headers;

        @Override
        public String text(String name) {
            if (headers == null) {
                return null;
            }
            Header h = headers.lastHeader(name);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    }
}
