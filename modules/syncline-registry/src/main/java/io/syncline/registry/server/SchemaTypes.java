package io.syncline.registry.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The schema types the registry serves (Avro, JSON Schema, Protobuf): how each is parsed and validated, what its
 * canonical text is (the identity of a schema), which output formats it has, and how two versions are checked for
 * compatibility. The compatibility levels are applied the same way for every type, as Confluent applies them.
 */
final class SchemaTypes {

    static final String AVRO = "AVRO";
    static final String JSON = "JSON";
    static final String PROTOBUF = "PROTOBUF";
    /** What {@code GET /schemas/types} answers, in Confluent's order. */
    static final List<String> ALL = List.of(JSON, PROTOBUF, AVRO);

    private SchemaTypes() {
    }

    /** One schema type. */
    interface Type {
        String name();

        /**
         * Parses and validates {@code text} with its references already resolved; fails with 42201 naming what is
         * wrong. {@code normalize} asks for the type's normalised canonical form (Confluent's {@code normalize}).
         */
        Parsed parse(String text, List<Resolved> references, boolean normalize);

        /**
         * Why data written with {@code writer} cannot be read with {@code reader} (empty when it can); messages in
         * Confluent's {@code {errorType:…, description:…}} shape, with "reader"/"writer" spelt as new/old.
         */
        List<String> readerProblems(Parsed reader, Parsed writer, String readerName, String writerName);

        /** The schema in a named output format ({@code ?format=}); unknown formats give the canonical text. */
        default String formatted(Parsed parsed, String format) {
            return parsed.canonical();
        }
    }

    /**
     * A reference resolved to the schema it names, with that schema's own references resolved in turn.
     *
     * @param name the name the referring schema uses (an Avro full name, a .proto import path, a JSON {@code $ref} URL)
     */
    record Resolved(String name, String subject, int version, String schemaType, String schema,
            List<Resolved> references) {
    }

    /**
     * A parsed schema.
     *
     * @param canonical the text the registry stores, returns and compares
     * @param model the type's own object model (Avro {@code Schema}, JSON tree, Protobuf file)
     */
    record Parsed(String type, String canonical, Object model, List<Resolved> references) {
    }

    /** A registered version to check a candidate against; {@code parsed} null when it cannot be parsed here. */
    record Previous(int version, Parsed parsed) {
    }

    /** The type for a request's {@code schemaType} (null or empty means AVRO), or 42201 naming the served types. */
    static Type of(String schemaType) {
        String name = schemaType == null || schemaType.isBlank() ? AVRO : schemaType.trim().toUpperCase(Locale.ROOT);
        return switch (name) {
            case AVRO -> AvroSchemas.TYPE;
            case JSON -> JsonSchemas.TYPE;
            case PROTOBUF -> ProtobufSchemas.TYPE;
            default -> throw RegistryException.invalidSchema("Invalid schema type " + schemaType
                    + "; this registry serves " + ALL);
        };
    }

    /**
     * Checks {@code candidate} against {@code previousAscending} (oldest first) under {@code level}: the latest only,
     * or, for transitive levels, every version from newest to oldest until the first failure. Returns an empty list
     * when compatible, otherwise Confluent-style detail lines (the caller adds the level).
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
                return messages;
            }
        }
        return List.of();
    }

    private static List<String> checkPair(CompatibilityLevel level, Parsed candidate, Previous previous) {
        List<String> messages = new ArrayList<>();
        if (previous.parsed() == null || !previous.parsed().type().equals(candidate.type())) {
            messages.add("Incompatible because of different schema type");
            messages.add("{oldSchemaVersion: " + previous.version() + "}");
            return messages;
        }
        Type type = of(candidate.type());
        if (level.backward) {
            // The new schema must read data written with the old one.
            messages.addAll(type.readerProblems(candidate, previous.parsed(), "new", "old"));
        }
        if (level.forward) {
            // Old readers must read data written with the new schema.
            messages.addAll(type.readerProblems(previous.parsed(), candidate, "old", "new"));
        }
        if (!messages.isEmpty()) {
            messages.add("{oldSchemaVersion: " + previous.version() + "}");
            messages.add("{oldSchema: '" + previous.parsed().canonical() + "'}");
        }
        return messages;
    }

    /** Confluent's shape of one incompatibility line. */
    static String problem(String errorType, String description) {
        return "{errorType:'" + errorType + "', description:'" + description + "'}";
    }
}
