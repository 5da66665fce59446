package io.syncline.schemas;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/** The written rules of docs/schemas.md, as code: one message per broken rule, naming file, field and rule. */
final class SchemaConventions {

    private static final Pattern FIELD_NAME = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
    private static final Pattern TYPE_NAME = Pattern.compile("[A-Z][A-Za-z0-9]*");
    private static final Pattern DOMAIN = Pattern.compile("[a-z]+");
    // Names that say "money": such a field must be a Money record, never a number.
    private static final Pattern MONEY_NAME = Pattern.compile("(^|_)(amount|price|total|subtotal|balance|revenue|tax)($|_)");
    private static final String COMMON = CanonicalSchemas.NAMESPACE_ROOT + ".common";

    private SchemaConventions() {
    }

    static List<String> violations(Map<String, SchemaTree.SchemaFile> tree) {
        List<String> violations = new ArrayList<>();
        for (SchemaTree.SchemaFile file : tree.values()) {
            new FileCheck(file, violations).run();
        }
        return violations;
    }

    private static final class FileCheck {
        private final SchemaTree.SchemaFile file;
        private final List<String> violations;
        private final Set<String> seen = new HashSet<>();
        private final String namespace;

        FileCheck(SchemaTree.SchemaFile file, List<String> violations) {
            this.file = file;
            this.violations = violations;
            this.namespace = CanonicalSchemas.NAMESPACE_ROOT + "." + file.domain();
        }

        void run() {
            Schema schema = file.schema();
            if (!DOMAIN.matcher(file.domain()).matches()) {
                report("is not in a domain folder: schemas live in schemas/<domain>/<Name>.avsc");
            }
            if (!isNamed(schema)) {
                report("must define one named type (record or enum), not a " + schema.getType().getName());
                return;
            }
            if (!schema.getName().equals(file.baseName())) {
                report("defines " + schema.getName() + " but a file is named after its type: " + schema.getName() + ".avsc");
            }
            Object major = schema.getObjectProp(CanonicalSchemas.MAJOR_PROPERTY);
            if (major != null) {
                checkCanonicalRecord(schema, major);
            }
            visit(schema);
        }

        private void checkCanonicalRecord(Schema schema, Object major) {
            if (!(major instanceof Integer i) || i < 1) {
                report("\"" + CanonicalSchemas.MAJOR_PROPERTY + "\" must be a positive integer, got " + major);
            }
            if (schema.getType() != Schema.Type.RECORD) {
                report("only records are canonical entities with a \"" + CanonicalSchemas.MAJOR_PROPERTY + "\"");
                return;
            }
            if (file.domain().equals("common")) {
                report("common/ holds shared types, not canonical entities with a topic");
            }
            List<Schema.Field> fields = schema.getFields();
            if (fields.size() < 2 || !fields.get(0).name().equals("id")
                    || fields.get(0).schema().getType() != Schema.Type.STRING) {
                report("a canonical record starts with field id: string (the canonical id <system>:<source id>)");
            }
            if (fields.size() < 2 || !fields.get(1).name().equals("metadata")
                    || !fields.get(1).schema().getFullName().equals(COMMON + ".ChangeMetadata")) {
                report("a canonical record's second field is metadata: " + COMMON + ".ChangeMetadata");
            }
            for (Schema.Field field : fields) {
                if (!field.name().equals("id") && !field.name().equals("metadata") && !field.hasDefaultValue()) {
                    report(schema.getName() + "." + field.name() + " needs a default: a DELETE carries only id and"
                            + " metadata, and a new field without default breaks readers");
                }
            }
        }

        private void visit(Schema schema) {
            switch (schema.getType()) {
                case RECORD -> {
                    if (!seen.add(schema.getFullName()) || !ownedHere(schema)) {
                        return;
                    }
                    checkNamed(schema);
                    for (Schema.Field field : schema.getFields()) {
                        checkField(schema, field);
                        visit(field.schema());
                    }
                }
                case ENUM, FIXED -> {
                    if (seen.add(schema.getFullName()) && ownedHere(schema)) {
                        checkNamed(schema);
                        if (schema.getType() == Schema.Type.ENUM) {
                            checkEnum(schema);
                        }
                    }
                }
                case UNION -> schema.getTypes().forEach(this::visit);
                case ARRAY -> visit(schema.getElementType());
                case MAP -> visit(schema.getValueType());
                default -> {
                    // Primitives carry no doc and no name.
                }
            }
        }

        /** Types from common/ are checked in their own file; everything else must be defined in this domain. */
        private boolean ownedHere(Schema named) {
            if (named.getNamespace() != null && named.getNamespace().equals(COMMON) && !file.domain().equals("common")) {
                return false;
            }
            if (!namespace.equals(named.getNamespace())) {
                report(named.getFullName() + " must be in namespace " + namespace + " (its folder) or " + COMMON);
                return false;
            }
            return true;
        }

        private void checkNamed(Schema named) {
            if (!TYPE_NAME.matcher(named.getName()).matches()) {
                report(named.getFullName() + ": type names are UpperCamelCase");
            }
            if (isBlank(named.getDoc())) {
                report(named.getFullName() + " has no doc");
            }
        }

        private void checkEnum(Schema schema) {
            boolean closed = Boolean.TRUE.equals(schema.getObjectProp(CanonicalSchemas.CLOSED_ENUM_PROPERTY));
            if (closed && schema.getEnumDefault() != null) {
                report(schema.getFullName() + " is marked closed but has a default symbol");
            }
            if (!closed && !CanonicalSchemas.UNKNOWN_SYMBOL.equals(schema.getEnumDefault())) {
                report(schema.getFullName() + " needs \"default\": \"" + CanonicalSchemas.UNKNOWN_SYMBOL
                        + "\" so that new source values never break readers (or \""
                        + CanonicalSchemas.CLOSED_ENUM_PROPERTY + "\": true if adding a symbol must be a new major"
                        + " version)");
            }
        }

        private void checkField(Schema record, Schema.Field field) {
            String where = record.getName() + "." + field.name();
            if (isBlank(field.doc())) {
                report(where + " has no doc");
            }
            if (!FIELD_NAME.matcher(field.name()).matches()) {
                report(where + ": field names are lower snake_case");
            }
            Schema type = field.schema();
            if (type.getType() == Schema.Type.UNION) {
                List<Schema> branches = type.getTypes();
                if (branches.size() != 2 || branches.get(0).getType() != Schema.Type.NULL) {
                    report(where + ": an optional field is [\"null\", T]; other unions are not used");
                } else if (field.defaultVal() != JsonProperties.NULL_VALUE) {
                    report(where + ": an optional field has \"default\": null");
                }
                type = branches.get(branches.size() - 1);
            }
            if (field.name().endsWith("_at") && !(type.getLogicalType() instanceof LogicalTypes.TimestampMillis)) {
                report(where + ": *_at fields are timestamp-millis");
            }
            if (type.getLogicalType() != null && !(type.getLogicalType() instanceof LogicalTypes.TimestampMillis)) {
                report(where + ": times are timestamp-millis; no other logical type is used (money is Money)");
            }
            boolean moneyName = MONEY_NAME.matcher(field.name()).find() && !field.name().endsWith("_id")
                    && !record.getFullName().equals(COMMON + ".Money");
            if (moneyName && !type.getFullName().equals(COMMON + ".Money")) {
                report(where + ": money is " + COMMON + ".Money (minor units and currency), not "
                        + type.getType().getName());
            }
        }

        private void report(String message) {
            violations.add(file.path() + ": " + message);
        }
    }

    private static boolean isNamed(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> true;
            default -> false;
        };
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
