package io.syncline.registry.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
 * {@code references} only when non-empty), {@code {"compatibilityLevel":…}} for configs, {@code {"subject","version"}}
 * for a soft-deleted subject (every version up to {@code version} is deleted). A null value is a tombstone. NOOP
 * values are ignored by Confluent's reader; Syncline stores {@code {"maxId":…}} there, the highest schema id ever
 * issued, so that ids of permanently deleted schemas are not handed out again after compaction removed their records.
 */
final class StoreRecords {

    static final ObjectMapper JSON = new ObjectMapper();

    private StoreRecords() {
    }

    /** A logical key of the topic. */
    sealed interface Key permits SchemaKey, ConfigKey, DeleteSubjectKey, NoopKey {
    }

    /** One version of one subject. */
    record SchemaKey(String subject, int version) implements Key {
    }

    /** The compatibility level of a subject, or the global one when {@code subject} is null. */
    record ConfigKey(String subject) implements Key {
    }

    /** Marks every version up to a watermark of a subject as soft-deleted. */
    record DeleteSubjectKey(String subject) implements Key {
    }

    /** Confluent's no-op key; Syncline puts the id high-water mark in its value. */
    record NoopKey() implements Key {
    }

    /** A registered schema version; {@code schemaType} null means AVRO; {@code references} null means none. */
    record SchemaValue(String subject, int version, int id, String schemaType, JsonNode references, String schema,
            boolean deleted) {

        SchemaValue withDeleted(boolean value) {
            return new SchemaValue(subject, version, id, schemaType, references, schema, value);
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
            } else if (key instanceof DeleteSubjectKey k) {
                g.writeStringField("keytype", "DELETE_SUBJECT");
                g.writeStringField("subject", k.subject());
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
        if (value.references() != null && !value.references().isEmpty()) {
            node.set("references", value.references());
        }
        node.put("schema", value.schema());
        node.put("deleted", value.deleted());
        return write(node);
    }

    static SchemaValue parseSchemaValue(SchemaKey key, byte[] bytes) {
        JsonNode node = readTree(bytes, "SCHEMA value");
        if (!node.path("id").canConvertToInt() || !node.path("schema").isTextual()) {
            throw new IllegalArgumentException("SCHEMA value without id or schema");
        }
        JsonNode type = node.get("schemaType");
        String schemaType = type == null || type.isNull() || AvroSchemas.AVRO.equals(type.asText()) ? null
                : type.asText();
        JsonNode references = node.get("references");
        if (references != null && (!references.isArray() || references.isEmpty())) {
            references = null;
        }
        // The key is authoritative for subject and version: compaction works on keys, so must replay.
        return new SchemaValue(key.subject(), key.version(), node.get("id").asInt(), schemaType, references,
                node.get("schema").asText(), node.path("deleted").asBoolean(false));
    }

    static byte[] configValueBytes(CompatibilityLevel level) {
        ObjectNode node = JSON.createObjectNode();
        node.put("compatibilityLevel", level.name());
        return write(node);
    }

    /** The level in a CONFIG value, or empty when the value sets none this registry understands. */
    static java.util.Optional<CompatibilityLevel> parseConfigValue(byte[] bytes) {
        JsonNode node = readTree(bytes, "CONFIG value");
        return CompatibilityLevel.parse(node.path("compatibilityLevel").asText(null));
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

    static byte[] noopValueBytes(int maxId) {
        ObjectNode node = JSON.createObjectNode();
        node.put("maxId", maxId);
        return write(node);
    }

    /** The id high-water mark in a NOOP value; 0 for Confluent's own (null or empty) no-ops. */
    static int parseNoopValue(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return 0;
        }
        try {
            return JSON.readTree(bytes).path("maxId").asInt(0);
        } catch (IOException e) {
            return 0;
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
