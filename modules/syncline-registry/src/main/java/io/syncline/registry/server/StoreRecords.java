package io.syncline.registry.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.registry.server.RegistryState.Reference;

/**
 * The records of the {@code _schemas} topic, in Confluent Schema Registry's JSON format.
 *
 * <p>Keys: {@code {"keytype":"SCHEMA","subject":…,"version":…,"magic":1}}, {@code {"keytype":"CONFIG","subject":…,
 * "magic":0}} (no subject for the global config), {@code {"keytype":"DELETE_SUBJECT","subject":…,"magic":0}} and
 * {@code {"keytype":"NOOP","magic":0}}. Keys are always written with the same field order and no whitespace because the
 * log cleaner compacts by exact key bytes: a tombstone whose bytes differ from the record it should delete deletes
 * nothing (the cause of confluentinc/schema-registry#2961 and #4420).
 *
 * <p>Values: {@code {"subject","version","id","schema","deleted"}} for schemas ({@code schemaType} only when not AVRO,
 * {@code references}, {@code metadata} and {@code ruleSet} only when present), Confluent's config fields
 * ({@code compatibilityLevel}, {@code normalize}, {@code defaultMetadata}, …) for configs, {@code {"mode":…}} for modes,
 * {@code {"subject","version"}} for a soft-deleted subject (every version up to {@code version} is deleted). A null value is a tombstone. NOOP
 * values are ignored by Confluent's reader; Syncline stores {@code {"maxId":…}} there, the highest schema id ever
 * issued, so that ids of permanently deleted schemas are not handed out again after compaction removed their records.
 */
final class StoreRecords {

    static final ObjectMapper JSON = new ObjectMapper();

    private StoreRecords() {
    }

    /** A logical key of the topic. */
    sealed interface Key permits SchemaKey, ConfigKey, ModeKey, DeleteSubjectKey, ClearSubjectKey, ContextKey,
            NoopKey {
    }

    /** One version of one subject. */
    record SchemaKey(String subject, int version) implements Key {
    }

    /** The compatibility level of a subject, or the global one when {@code subject} is null. */
    record ConfigKey(String subject) implements Key {
    }

    /** The mode (READWRITE, READONLY, IMPORT, …) of a subject or context, or the global one when null. */
    record ModeKey(String subject) implements Key {
    }

    /** Confluent writes it when a subject is switched to IMPORT; the registry reads and ignores it. */
    record ClearSubjectKey(String subject) implements Key {
    }

    /** A non-default context exists (Confluent's CONTEXT record, tenant {@code default}). */
    record ContextKey(String context) implements Key {
    }

    /** Marks every version up to a watermark of a subject as soft-deleted. */
    record DeleteSubjectKey(String subject) implements Key {
    }

    /** Confluent's no-op key; Syncline puts the id high-water mark in its value. */
    record NoopKey() implements Key {
    }

    /**
     * A registered schema version; {@code schemaType} null means AVRO; {@code metadata} and {@code ruleSet} are
     * normalised (see {@link Contracts}) or null; {@code timestamp} is the record's, not stored in the value.
     */
    record SchemaValue(String subject, int version, int id, String schemaType, List<Reference> references,
            ObjectNode metadata, ObjectNode ruleSet, String schema, boolean deleted, long timestamp) {

        SchemaValue {
            references = references == null ? List.of() : List.copyOf(references);
        }

        SchemaValue withDeleted(boolean value) {
            return new SchemaValue(subject, version, id, schemaType, references, metadata, ruleSet, schema, value,
                    timestamp);
        }
    }

    static byte[] keyBytes(Key key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            // Java 17: no pattern matching in switch yet.
            if (key instanceof SchemaKey k) {
                g.writeStringField("keytype", "SCHEMA");
                g.writeStringField("subject", k.subject());
                g.writeNumberField("version", k.version());
                g.writeNumberField("magic", 1);
            } else if (key instanceof ConfigKey k) {
                g.writeStringField("keytype", "CONFIG");
                if (k.subject() != null) {
                    g.writeStringField("subject", k.subject());
                }
                g.writeNumberField("magic", 0);
            } else if (key instanceof ModeKey k) {
                g.writeStringField("keytype", "MODE");
                if (k.subject() != null) {
                    g.writeStringField("subject", k.subject());
                }
                g.writeNumberField("magic", 0);
            } else if (key instanceof DeleteSubjectKey k) {
                g.writeStringField("keytype", "DELETE_SUBJECT");
                g.writeStringField("subject", k.subject());
                g.writeNumberField("magic", 0);
            } else if (key instanceof ClearSubjectKey k) {
                g.writeStringField("keytype", "CLEAR_SUBJECT");
                g.writeStringField("subject", k.subject());
                g.writeNumberField("magic", 0);
            } else if (key instanceof ContextKey k) {
                g.writeStringField("keytype", "CONTEXT");
                g.writeStringField("tenant", "default");
                g.writeStringField("context", k.context());
                g.writeNumberField("magic", 0);
            } else {
                g.writeStringField("keytype", "NOOP");
                g.writeNumberField("magic", 0);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("serialising a _schemas key", e);
        }
        return out.toByteArray();
    }

    /** Parses a key written by Syncline or Confluent; fails with a message naming what is wrong. */
    static Key parseKey(byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("record has no key");
        }
        JsonNode node = readTree(bytes, "key");
        String type = node.path("keytype").asText("");
        JsonNode subject = node.get("subject");
        String subjectText = subject == null || subject.isNull() ? null : subject.asText();
        return switch (type) {
            case "SCHEMA" -> {
                if (subjectText == null || !node.path("version").canConvertToInt()) {
                    throw new IllegalArgumentException("SCHEMA key without subject or version");
                }
                yield new SchemaKey(subjectText, node.get("version").asInt());
            }
            case "CONFIG" -> new ConfigKey(subjectText == null || subjectText.isEmpty() ? null : subjectText);
            case "MODE" -> new ModeKey(subjectText == null || subjectText.isEmpty() ? null : subjectText);
            case "CLEAR_SUBJECT" -> new ClearSubjectKey(subjectText);
            case "CONTEXT" -> {
                String context = node.path("context").asText(null);
                if (context == null) {
                    throw new IllegalArgumentException("CONTEXT key without context");
                }
                yield new ContextKey(context);
            }
            case "DELETE_SUBJECT" -> {
                if (subjectText == null) {
                    throw new IllegalArgumentException("DELETE_SUBJECT key without subject");
                }
                yield new DeleteSubjectKey(subjectText);
            }
            case "NOOP" -> new NoopKey();
            default -> throw new IllegalArgumentException("unknown keytype '" + type + "'");
        };
    }

    static byte[] schemaValueBytes(SchemaValue value) {
        ObjectNode node = JSON.createObjectNode();
        node.put("subject", value.subject());
        node.put("version", value.version());
        node.put("id", value.id());
        if (value.schemaType() != null && !AvroSchemas.AVRO.equals(value.schemaType())) {
            node.put("schemaType", value.schemaType());
        }
        if (!value.references().isEmpty()) {
            node.set("references", referencesNode(value.references()));
        }
        if (value.metadata() != null) {
            node.set("metadata", value.metadata());
        }
        if (value.ruleSet() != null) {
            node.set("ruleSet", value.ruleSet());
        }
        node.put("schema", value.schema());
        node.put("deleted", value.deleted());
        return write(node);
    }

    static SchemaValue parseSchemaValue(SchemaKey key, byte[] bytes, long timestamp) {
        JsonNode node = readTree(bytes, "SCHEMA value");
        if (!node.path("id").canConvertToInt() || !node.path("schema").isTextual()) {
            throw new IllegalArgumentException("SCHEMA value without id or schema");
        }
        JsonNode type = node.get("schemaType");
        String schemaType = type == null || type.isNull() || AvroSchemas.AVRO.equals(type.asText()) ? null
                : type.asText();
        // Written by this registry or by Confluent's: normalise the contract parts the same way either way.
        ObjectNode metadata = Contracts.metadata(node.get("metadata"), "metadata");
        ObjectNode ruleSet = Contracts.ruleSet(node.get("ruleSet"), "ruleSet");
        // The key is authoritative for subject and version: compaction works on keys, so must replay.
        return new SchemaValue(key.subject(), key.version(), node.get("id").asInt(), schemaType,
                parseReferences(node.get("references")), metadata, ruleSet, node.get("schema").asText(),
                node.path("deleted").asBoolean(false), timestamp);
    }

    /** References as stored and as sent by clients: {@code [{"name","subject","version"}]}. */
    static List<Reference> parseReferences(JsonNode references) {
        if (references == null || references.isNull()) {
            return List.of();
        }
        if (!references.isArray()) {
            throw new IllegalArgumentException("references must be a list of {name, subject, version}");
        }
        List<Reference> out = new ArrayList<>();
        for (JsonNode r : references) {
            JsonNode name = r.get("name");
            JsonNode subject = r.get("subject");
            JsonNode version = r.get("version");
            if (name == null || !name.isTextual() || subject == null || !subject.isTextual() || version == null
                    || !version.canConvertToInt()) {
                throw new IllegalArgumentException("a reference needs a name, a subject and a version, got " + r);
            }
            out.add(new Reference(name.asText(), subject.asText(), version.asInt()));
        }
        return out;
    }

    static ArrayNode referencesNode(List<Reference> references) {
        ArrayNode a = JSON.createArrayNode();
        for (Reference r : references) {
            ObjectNode o = a.addObject();
            o.put("name", r.name());
            o.put("subject", r.subject());
            o.put("version", r.version());
        }
        return a;
    }

    /** A CONFIG value: Confluent's config fields ({@code compatibilityLevel}, {@code normalize}, …) as they are. */
    static byte[] configValueBytes(ObjectNode config) {
        return write(config);
    }

    /** The config fields of a CONFIG value (Confluent also writes {@code subject}; that comes from the key). */
    static ObjectNode parseConfigValue(byte[] bytes) {
        ObjectNode node = (ObjectNode) readTree(bytes, "CONFIG value");
        node.remove("subject");
        node.remove("offset");
        node.remove("ts");
        return node;
    }

    static byte[] modeValueBytes(String subject, String mode) {
        ObjectNode node = JSON.createObjectNode();
        if (subject != null) {
            node.put("subject", subject);
        }
        node.put("mode", mode);
        return write(node);
    }

    /** The mode in a MODE value. */
    static String parseModeValue(byte[] bytes) {
        JsonNode mode = readTree(bytes, "MODE value").get("mode");
        if (mode == null || !mode.isTextual()) {
            throw new IllegalArgumentException("MODE value without mode");
        }
        return mode.asText();
    }

    static byte[] contextValueBytes(String context) {
        ObjectNode node = JSON.createObjectNode();
        node.put("tenant", "default");
        node.put("context", context);
        return write(node);
    }

    static byte[] deleteSubjectValueBytes(String subject, int version) {
        ObjectNode node = JSON.createObjectNode();
        node.put("subject", subject);
        node.put("version", version);
        return write(node);
    }

    static int parseDeleteSubjectValue(byte[] bytes) {
        JsonNode node = readTree(bytes, "DELETE_SUBJECT value");
        if (!node.path("version").canConvertToInt()) {
            throw new IllegalArgumentException("DELETE_SUBJECT value without version");
        }
        return node.get("version").asInt();
    }

    /**
     * The id high-water marks: {@code maxId} for the default context and, when other contexts exist,
     * {@code contextMaxIds} per context (ids are numbered per context).
     */
    static byte[] noopValueBytes(Map<String, Integer> maxIds) {
        ObjectNode node = JSON.createObjectNode();
        node.put("maxId", maxIds.getOrDefault(Subjects.DEFAULT_CONTEXT, 0));
        ObjectNode others = null;
        for (Map.Entry<String, Integer> e : new TreeMap<>(maxIds).entrySet()) {
            if (!e.getKey().equals(Subjects.DEFAULT_CONTEXT)) {
                if (others == null) {
                    others = node.putObject("contextMaxIds");
                }
                others.put(e.getKey(), e.getValue());
            }
        }
        return write(node);
    }

    /** The id high-water marks in a NOOP value by context; empty for Confluent's own (null or empty) no-ops. */
    static Map<String, Integer> parseNoopValue(byte[] bytes) {
        Map<String, Integer> out = new HashMap<>();
        if (bytes == null || bytes.length == 0) {
            return out;
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null) {
                return out;
            }
            out.put(Subjects.DEFAULT_CONTEXT, node.path("maxId").asInt(0));
            node.path("contextMaxIds").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asInt(0)));
            return out;
        } catch (IOException e) {
            return out;
        }
    }

    private static JsonNode readTree(byte[] bytes, String what) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getMessage());
        }
    }

    private static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException("serialising a _schemas value", e);
        }
    }
}
