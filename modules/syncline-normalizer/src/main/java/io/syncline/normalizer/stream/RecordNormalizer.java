package io.syncline.normalizer.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
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
import io.syncline.mapping.envelope.Envelope;
import io.syncline.normalizer.mapping.CanonicalChange;
import io.syncline.normalizer.mapping.CompiledMapping;
import io.syncline.normalizer.mapping.MappingSet;
import io.syncline.normalizer.mapping.TargetCatalog.Target;
import io.syncline.normalizer.mapping.TopicPlan;
import io.syncline.registry.client.SchemaRegistryException;
import io.syncline.registry.serde.KafkaAvroDeserializer;
import io.syncline.registry.serde.KafkaAvroSerializer;
import io.syncline.registry.serde.WireFormat;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The per-record work of the normalizer without Kafka Streams around it: parse the raw JSON once (keeping only what
 * the topic's envelopes and mappings read), recognise the envelope, pick the mapping, map, check, encode. One per
 * stream task (it reuses its contexts and encoder); the topology adds dedupe, stale-drop, merging and dead letters
 * around it, and the benchmarks and {@code syncline mappings test} call it directly.
 */
public final class RecordNormalizer {

    /** What {@link #prepare} found. */
    public enum Prepared {
        /** A mapping takes the record: {@link #mapping()}, {@link #envelope()} and {@link #eventId()} describe it. */
        MAPPED,
        /** The record is skipped on purpose, for {@link #skipReason()}. */
        SKIPPED
    }

    /** Skip reason: the topic is declared in an {@code ignore:} list. */
    public static final String SKIP_IGNORED_TOPIC = "ignored-topic";
    /** Skip reason: a null value where an envelope declares tombstones expected ({@code null-value: skip}). */
    public static final String SKIP_NULL_VALUE = "null-value";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectReader JSON = MAPPER.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).reader();

    private final MappingSet mappings;
    private final KafkaAvroSerializer serializer;
    private final KafkaAvroDeserializer rawAvro;
    private final MappingContext ctx = new MappingContext();
    private final MappingContext rootCtx = new MappingContext();
    private final Envelope.Values values = new Envelope.Values();
    private final KafkaHeaders headerText = new KafkaHeaders();

    private CompiledMapping mapping;
    private String eventId;
    private String skipReason;
    private JsonNode object;
    private MessageDigest digest;
    private ByteArrayOutputStream hashBytes;
    private BinaryEncoder hashEncoder;
    private FieldWriter fieldWriter;

    /**
     * @param serdeConfig configuration of the value serializer: {@code schema.registry.url} (a {@code mock://scope}
     *     URL for an in-memory registry) and the serde's other keys
     */
    public RecordNormalizer(MappingSet mappings, Map<String, ?> serdeConfig) {
        this.mappings = mappings;
        this.serializer = new KafkaAvroSerializer();
        this.serializer.configure(serdeConfig, false);
        // Raw values in the registry's wire format (Debezium's change events through Syncline's Avro converter) are
        // read with the writer's schema from the same registry the canonical records are written to.
        this.rawAvro = new KafkaAvroDeserializer(serializer.client(), serdeConfig, false);
    }

    /** As {@link #prepare(String, int, long, long, Headers, byte[], byte[], long)} for a record without a key. */
    public Prepared prepare(String topic, int partition, long offset, long timestamp, Headers headers, byte[] value,
            long now) throws NormalizeFailure {
        return prepare(topic, partition, offset, timestamp, headers, null, value, now);
    }

    /**
     * Parses the record, recognises its envelope and selects its mapping.
     *
     * @param key the raw record's key (UTF-8, read by {@code $record/key}), or null
     * @return {@link Prepared#MAPPED}, or {@link Prepared#SKIPPED} for a topic declared ignored or an expected
     *     tombstone
     * @throws NormalizeFailure when the value is not JSON, no envelope or no mapping takes it
     */
    public Prepared prepare(String topic, int partition, long offset, long timestamp, Headers headers, byte[] key,
            byte[] value, long now) throws NormalizeFailure {
        mapping = null;
        eventId = null;
        skipReason = null;
        object = null;
        values.clear();
        TopicPlan plan = mappings.plan(topic);
        if (plan.ignored() != null) {
            skipReason = SKIP_IGNORED_TOPIC;
            return Prepared.SKIPPED;
        }
        if (value == null && plan.skipsNullValues()) {
            skipReason = SKIP_NULL_VALUE;
            return Prepared.SKIPPED;
        }
        JsonNode root = parse(topic, value, plan.parsePaths());
        if (root == null || !root.isObject()) {
            throw new NormalizeFailure(NormalizeFailure.Reason.PARSE, "expected a JSON object, got "
                    + (root == null ? "no value" : root.getNodeType().name().toLowerCase(Locale.ROOT)),
                    IllegalArgumentException.class.getName(), null);
        }
        if (plan.isUnmapped()) {
            throw new NormalizeFailure(NormalizeFailure.Reason.NO_MAPPING, "no mapping reads " + topic + ": add a"
                    + " mapping with source.topic: " + topic + ", or list the topic under ignore: in an envelopes.yaml"
                    + " beside the mappings if nothing should be made of it", IllegalStateException.class.getName(),
                    null);
        }
        headerText.headers = headers;
        rootCtx.reset(root, null, headerText, key, topic, partition, offset, timestamp, now);
        Envelope envelope = null;
        try {
            for (Envelope e : plan.envelopes()) {
                if (e.matches(rootCtx)) {
                    envelope = e;
                    break;
                }
            }
            if (envelope == null) {
                throw new NormalizeFailure(NormalizeFailure.Reason.ENVELOPE, "the value is in none of the envelopes"
                        + " the mappings of " + topic + " take (" + String.join(", ", plan.envelopes().stream()
                        .map(Envelope::name).toList()) + "): no envelope's when holds for it",
                        IllegalArgumentException.class.getName(), null);
            }
            values.read(envelope, rootCtx);
        } catch (MappingException e) {
            throw new NormalizeFailure(NormalizeFailure.Reason.ENVELOPE, (envelope == null ? "" : "envelope "
                    + envelope.name() + ": ") + e.getMessage(), e.getClass().getName(), null);
        }
        JsonNode obj = envelope.object(root);
        if (obj == null) {
            throw new NormalizeFailure(NormalizeFailure.Reason.ENVELOPE, "envelope " + envelope.name() + ": no object"
                    + " at " + envelope.objectPointers().stream().map(Object::toString).toList(),
                    IllegalArgumentException.class.getName(), null);
        }
        object = obj;
        ctx.reset(obj, obj == root ? null : root, headerText, key, topic, partition, offset, timestamp, now)
                .envelope(values);
        CompiledMapping m = plan.select(envelope, values.type());
        if (m == null) {
            String what = values.type() != null ? "events of type \"" + values.type() + "\"" : "bare objects";
            throw new NormalizeFailure(NormalizeFailure.Reason.NO_MAPPING, "no mapping takes " + what + " of"
                    + " envelope " + envelope.name() + " from " + topic, IllegalStateException.class.getName(), null);
        }
        if (m.objectType() != null && envelope.declaresObjectType()
                && !m.objectType().equals(values.objectType())) {
            throw new NormalizeFailure(NormalizeFailure.Reason.MAPPING, "expected a " + m.objectType()
                    + " object, got " + (values.objectType() == null ? "none" : "object \"" + values.objectType()
                    + "\""), MappingException.class.getName(), m);
        }
        mapping = m;
        try {
            eventId = m.eventId(ctx);
        } catch (RuntimeException e) {
            throw failure(e, m);
        }
        return Prepared.MAPPED;
    }

    private JsonNode parse(String topic, byte[] value, PathTrie paths) throws NormalizeFailure {
        // JSON text never starts with a zero byte, so the wire format's magic byte tells the two apart for certain.
        if (value != null && value.length > 0 && value[0] == WireFormat.MAGIC_BYTE) {
            try {
                KafkaAvroDeserializer.Result r = rawAvro.deserializeWithSchema(topic, value);
                return AvroJson.toJson(r.value(), r.schema());
            } catch (SerializationException | SchemaRegistryException | IOException e) {
                // A registry that does not answer fails the task (retried, as for encoding); a schema id it does not
                // know is this record's fault and dead-letters it.
                SchemaRegistryException registry = e instanceof SchemaRegistryException r ? r
                        : e.getCause() instanceof SchemaRegistryException r ? r : null;
                if (registry != null && registry.errorCode() != SchemaRegistryException.SCHEMA_NOT_FOUND) {
                    throw registry;
                }
                throw new NormalizeFailure(NormalizeFailure.Reason.PARSE, "not readable as Avro in the registry's"
                        + " wire format (magic byte 0, schema id " + (value.length >= WireFormat.HEADER_SIZE
                        ? WireFormat.readSchemaId(value, 0) : "missing") + "): " + e.getMessage(),
                        e.getClass().getName(), null);
            }
        }
        try {
            return value == null ? null : paths == null ? JSON.readTree(value) : PrunedJsonReader.read(value, paths);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new NormalizeFailure(NormalizeFailure.Reason.PARSE, "not valid JSON" + where + ": "
                    + e.getOriginalMessage(), e.getClass().getName(), null);
        } catch (IOException e) {
            throw new NormalizeFailure(NormalizeFailure.Reason.PARSE, "cannot read the value: " + e.getMessage(),
                    e.getClass().getName(), null);
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

    /** Why the prepared record is skipped ({@link Prepared#SKIPPED}). */
    public String skipReason() {
        return skipReason;
    }

    /** What the prepared record's envelope says (type, id, time, object id, a changed property…). */
    public Envelope.Values envelope() {
        return values;
    }

    /** The prepared record's object as parsed (only what the mappings read). */
    public JsonNode object() {
        return object;
    }

    /**
     * Maps another version of the prepared record's object instead of the one it carries (a merge of the latest full
     * version and newer property changes), as of {@code time}, which {@code $envelope/time} then reads.
     */
    public void rebase(JsonNode merged, long time) {
        object = merged;
        ctx.object(merged);
        values.time(time);
    }

    /** Maps the prepared record and checks the values. */
    public CanonicalChange map() throws NormalizeFailure {
        CanonicalChange change;
        try {
            change = mapping.apply(ctx, eventId, values.delete());
        } catch (RuntimeException e) {
            throw failure(e, mapping);
        }
        if (!change.delete() && !mapping.checks().isEmpty()) {
            try {
                mapping.checks().check(change.record(), change.updatedAt(), CompiledMapping.receivedAt(ctx));
            } catch (MappingException e) {
                throw new NormalizeFailure(NormalizeFailure.Reason.CHECK, e.getMessage(), e.getClass().getName(),
                        mapping);
            }
        }
        return change;
    }

    /**
     * A digest of the canonical content of a change of a mapping that {@link CompiledMapping#merges() merges}: its
     * fields but the metadata and those {@code dedupe.ignore} lists, Avro-encoded. Equal digests mean the version
     * carries nothing new.
     */
    public byte[] contentDigest(CanonicalChange change) {
        if (digest == null) {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
            hashBytes = new ByteArrayOutputStream(512);
            fieldWriter = new FieldWriter();
        }
        hashBytes.reset();
        hashEncoder = EncoderFactory.get().binaryEncoder(hashBytes, hashEncoder);
        GenericData.Record r = change.record();
        Schema schema = r.getSchema();
        try {
            for (int pos : change.mapping().contentFields()) {
                fieldWriter.writeField(schema.getFields().get(pos).schema(), r.get(pos), hashEncoder);
            }
            hashEncoder.flush();
        } catch (IOException e) {
            throw new IllegalStateException("encoding into memory cannot fail", e);
        }
        byte[] full = digest.digest(hashBytes.toByteArray());
        return java.util.Arrays.copyOf(full, 16);
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

    /** Writes one field's value with Avro's generic writer (whose per-schema write is otherwise protected). */
    private static final class FieldWriter extends GenericDatumWriter<Object> {
        void writeField(Schema schema, Object value, Encoder out) throws IOException {
            write(schema, value, out);
        }
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
