package io.syncline.registry.server;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Parsing, canonical form and compatibility checks for Avro schemas, with Confluent-shaped messages.
 *
 * <p>Identity is the string Avro prints for the parsed schema ({@link Schema#toString()}): whitespace, key order and
 * escaping no longer matter, while docs, defaults and aliases still do. This is what Confluent stores and compares
 * (its "canonical string"), not Avro's Parsing Canonical Form, which would wrongly equate schemas that differ in
 * defaults.
 */
final class AvroSchemas {

    static final String AVRO = "AVRO";

    private AvroSchemas() {
    }

    /** A parsed schema with the canonical text the registry stores, returns and compares. */
    record Parsed(Schema schema, String canonical) {
    }

    /** A registered version to check a candidate against. */
    record Previous(int version, Parsed parsed) {
    }

    /** Parses {@code text} as an Avro schema, or fails with 42201 saying what is wrong. */
    static Parsed parse(String text) {
        if (text == null || text.isBlank()) {
            throw RegistryException.invalidSchema("Empty schema");
        }
        try {
            // A fresh parser per schema: a parser remembers named types, which would leak between requests.
            Schema schema = new Schema.Parser().setValidateDefaults(true).parse(text);
            return new Parsed(schema, schema.toString());
        } catch (RuntimeException e) {
            throw RegistryException.invalidSchema("Invalid schema: " + e.getMessage());
        }
    }

    /**
     * Checks {@code candidate} against {@code previousAscending} (oldest first) under {@code level}: the latest only,
     * or, for transitive levels, every version from newest to oldest until the first failure. Returns an empty list
     * when compatible, otherwise Confluent-style detail lines.
     */
    static List<String> check(CompatibilityLevel level, Parsed candidate, List<Previous> previousAscending) {
        if (level == CompatibilityLevel.NONE || previousAscending.isEmpty()) {
            return List.of();
        }
        List<Previous> toCheck = new ArrayList<>();
        for (int i = previousAscending.size() - 1; i >= 0; i--) {
            toCheck.add(previousAscending.get(i));
            if (!level.transitive) {
                break;
            }
        }
        for (Previous previous : toCheck) {
            List<String> messages = checkPair(level, candidate, previous);
            if (!messages.isEmpty()) {
                messages.add("{compatibility: '" + level + "'}");
                return messages;
            }
        }
        return List.of();
    }

    private static List<String> checkPair(CompatibilityLevel level, Parsed candidate, Previous previous) {
        List<String> messages = new ArrayList<>();
        if (previous.parsed() == null) {
            messages.add("Incompatible because of different schema type");
            messages.add("{oldSchemaVersion: " + previous.version() + "}");
            return messages;
        }
        Schema oldSchema = previous.parsed().schema();
        if (level.forward) {
            // Old readers must read data written with the new schema.
            describe(SchemaCompatibility.checkReaderWriterCompatibility(oldSchema, candidate.schema()),
                    "old", "new", messages);
        }
        if (level.backward) {
            // The new schema must read data written with the old one.
            describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate.schema(), oldSchema),
                    "new", "old", messages);
        }
        if (!messages.isEmpty()) {
            messages.add("{oldSchemaVersion: " + previous.version() + "}");
            messages.add("{oldSchema: '" + previous.parsed().canonical() + "'}");
        }
        return messages;
    }

    private static void describe(SchemaCompatibility.SchemaPairCompatibility result, String reader, String writer,
            List<String> out) {
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            out.add("{errorType:'" + incompatibility.getType() + "', description:'"
                    + description(incompatibility, reader, writer) + "', additionalInfo:'"
                    + incompatibility.getMessage() + "'}");
        }
    }

    private static String description(Incompatibility incompatibility, String reader, String writer) {
        String path = incompatibility.getLocation();
        return switch (incompatibility.getType()) {
            case FIXED_SIZE_MISMATCH -> "The size of FIXED type field at path '" + path + "' in the " + reader
                    + " schema does not match with the " + writer + " schema";
            case TYPE_MISMATCH -> "The type (path '" + path + "') of a field in the " + reader
                    + " schema does not match with the " + writer + " schema";
            case NAME_MISMATCH -> "The name of the schema has changed (path '" + path + "')";
            case MISSING_ENUM_SYMBOLS -> "The " + reader + " schema is missing enum symbols '"
                    + incompatibility.getMessage() + "' at path '" + path + "' in the " + writer + " schema";
            case MISSING_UNION_BRANCH -> "The " + reader + " schema is missing a type inside a union field at path '"
                    + path + "' in the " + writer + " schema";
            case READER_FIELD_MISSING_DEFAULT_VALUE -> "The field '" + incompatibility.getMessage() + "' at path '"
                    + path + "' in the " + reader + " schema has no default value and is missing in the " + writer
                    + " schema";
        };
    }
}
