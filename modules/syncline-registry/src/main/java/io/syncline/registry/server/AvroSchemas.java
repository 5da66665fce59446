package io.syncline.registry.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

import io.syncline.registry.server.SchemaTypes.Parsed;
import io.syncline.registry.server.SchemaTypes.Previous;
import io.syncline.registry.server.SchemaTypes.Resolved;

/**
 * Avro: parsing (with named types from referenced subjects), canonical form and compatibility checks with
 * Confluent-shaped messages.
 *
 * <p>Identity is the string Avro prints for the parsed schema ({@link Schema#toString()}): whitespace, key order and
 * escaping no longer matter, while docs, defaults and aliases still do. This is what Confluent stores and compares
 * (its "canonical string"), not Avro's Parsing Canonical Form, which would wrongly equate schemas that differ in
 * defaults. Types defined by references are printed by name only, as Confluent prints them, so the stored text still
 * refers to them; {@code ?format=resolved} inlines them.
 */
final class AvroSchemas implements SchemaTypes.Type {

    static final String AVRO = SchemaTypes.AVRO;
    static final AvroSchemas TYPE = new AvroSchemas();

    private AvroSchemas() {
    }

    /** What the Avro model of a parsed schema holds: the schema and the named types its references define. */
    record Model(Schema schema, List<Schema> referenced) {
    }

    @Override
    public String name() {
        return AVRO;
    }

    /** Parses a reference-free Avro schema, or fails with 42201 saying what is wrong. */
    static Parsed parse(String text) {
        return TYPE.parse(text, List.of(), false);
    }

    @Override
    public Parsed parse(String text, List<Resolved> references, boolean normalize) {
        if (text == null || text.isBlank()) {
            throw RegistryException.invalidSchema("Empty schema");
        }
        // A fresh parser per schema: a parser remembers named types, which would leak between requests.
        Schema.Parser parser = new Schema.Parser().setValidateDefaults(true);
        Map<String, Schema> referenced = new LinkedHashMap<>();
        for (Resolved reference : references) {
            addReference(parser, reference, referenced);
        }
        try {
            Schema schema = parser.parse(text);
            List<Schema> known = new ArrayList<>(referenced.values());
            String canonical = known.isEmpty() ? schema.toString() : schema.toString(known, false);
            return new Parsed(AVRO, canonical, new Model(schema, known), references);
        } catch (RuntimeException e) {
            throw RegistryException.invalidSchema("Invalid schema of type AVRO, details: " + e.getMessage());
        }
    }

    /** Parses a referenced schema (its own references first) into {@code parser}, so later schemas can use its names. */
    private static void addReference(Schema.Parser parser, Resolved reference, Map<String, Schema> referenced) {
        if (referenced.containsKey(reference.name())) {
            return;
        }
        if (!AVRO.equals(reference.schemaType() == null ? AVRO : reference.schemaType())) {
            throw RegistryException.invalidSchema("Invalid schema of type AVRO, details: reference '"
                    + reference.name() + "' (" + reference.subject() + " version " + reference.version() + ") is a "
                    + reference.schemaType() + " schema; an Avro schema can only reference Avro schemas");
        }
        for (Resolved nested : reference.references()) {
            addReference(parser, nested, referenced);
        }
        try {
            if (parser.getTypes().containsKey(reference.name())) {
                referenced.put(reference.name(), parser.getTypes().get(reference.name()));
                return;
            }
            referenced.put(reference.name(), parser.parse(reference.schema()));
        } catch (RuntimeException e) {
            throw RegistryException.invalidSchema("Invalid schema of type AVRO, details: referenced schema '"
                    + reference.name() + "' (" + reference.subject() + " version " + reference.version()
                    + ") does not parse: " + e.getMessage());
        }
    }

    @Override
    public String formatted(Parsed parsed, String format) {
        if ("resolved".equalsIgnoreCase(format)) {
            // Every referenced type inlined: what a client without reference support can parse on its own.
            return ((Model) parsed.model()).schema().toString();
        }
        return parsed.canonical();
    }

    /** The schema with every referenced type inlined (what a serializer built from a generated class sends). */
    static Schema resolved(Parsed parsed) {
        return ((Model) parsed.model()).schema();
    }

    /** Kept for the unit tests: {@link SchemaTypes#check} with the Avro type. */
    static List<String> check(CompatibilityLevel level, Parsed candidate, List<Previous> previousAscending) {
        List<String> messages = new ArrayList<>(SchemaTypes.check(level, candidate, previousAscending));
        if (!messages.isEmpty()) {
            messages.add("{compatibility: '" + level + "'}");
        }
        return messages;
    }

    @Override
    public List<String> readerProblems(Parsed reader, Parsed writer, String readerName, String writerName) {
        List<String> out = new ArrayList<>();
        SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(
                ((Model) reader.model()).schema(), ((Model) writer.model()).schema());
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            out.add("{errorType:'" + incompatibility.getType() + "', description:'"
                    + description(incompatibility, readerName, writerName) + "', additionalInfo:'"
                    + incompatibility.getMessage() + "'}");
        }
        return out;
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
