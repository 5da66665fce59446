package io.syncline.schemas;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.syncline.testsupport.docs.GeneratedSection;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** docs/schemas.md carries a catalogue generated from the schema files; it must match them. */
class SchemaCatalogueDocTest {

    @Test
    void theCatalogueInDocsIsUpToDate() {
        GeneratedSection.assertUpToDate(GeneratedSection.docsDir().resolve("schemas.md"), "catalogue",
                catalogue(SchemaTree.load(SchemaTree.schemasDir())));
    }

    static String catalogue(Map<String, SchemaTree.SchemaFile> tree) {
        StringBuilder out = new StringBuilder();
        Map<String, SchemaTree.SchemaFile> byFullName = new LinkedHashMap<>();
        tree.values().forEach(f -> byFullName.put(f.schema().getFullName(), f));

        out.append("| entity | topic | generated class | schema file |\n|---|---|---|---|\n");
        for (CanonicalEntity entity : CanonicalSchemas.entities()) {
            String file = "schemas/" + byFullName.get(entity.schema().getFullName()).path();
            out.append("| `").append(entity.name()).append("` | `").append(entity.topic()).append("` | `")
                    .append(entity.recordClass().getName()).append("` | [`").append(file).append("`](../")
                    .append(file).append(") |\n");
        }

        Map<String, Schema> named = new LinkedHashMap<>();
        for (SchemaTree.SchemaFile file : tree.values()) {
            collectNamed(file.schema(), named);
        }
        for (CanonicalEntity entity : CanonicalSchemas.entities()) {
            Schema schema = byFullName.get(entity.schema().getFullName()).schema();
            out.append("\n### ").append(entity.name()).append("\n\n");
            out.append("Topic `").append(entity.topic()).append("`, major version ").append(entity.majorVersion())
                    .append(", class `").append(entity.recordClass().getName()).append("`.\n\n");
            appendRecord(out, schema);
        }

        out.append("\n### Shared and nested types\n");
        List<Schema> others = named.values().stream()
                .filter(s -> CanonicalSchemas.findEntity(shortName(s)).isEmpty())
                .sorted(Comparator.comparing(SchemaCatalogueDocTest::shortName))
                .toList();
        for (Schema schema : others) {
            out.append("\n#### ").append(shortName(schema)).append("\n\n");
            if (schema.getType() == Schema.Type.ENUM) {
                out.append(cell(schema.getDoc())).append("\n\n");
                out.append("Symbols: ").append(schema.getEnumSymbols().stream().map(s -> "`" + s + "`")
                        .collect(Collectors.joining(", "))).append(". ");
                out.append(schema.getEnumDefault() != null
                        ? "Unknown symbols read as `" + schema.getEnumDefault() + "`."
                        : "Closed: no default symbol, so adding one is a new major version.").append("\n");
            } else {
                appendRecord(out, schema);
            }
        }
        return out.toString();
    }

    private static void appendRecord(StringBuilder out, Schema record) {
        out.append(cell(record.getDoc())).append("\n\n| field | type | description |\n|---|---|---|\n");
        for (Schema.Field field : record.getFields()) {
            out.append("| `").append(field.name()).append("` | ").append(type(field)).append(" | ")
                    .append(cell(field.doc())).append(" |\n");
        }
    }

    private static String type(Schema.Field field) {
        Schema schema = field.schema();
        if (schema.getType() == Schema.Type.UNION && schema.getTypes().get(0).getType() == Schema.Type.NULL) {
            return typeName(schema.getTypes().get(1)) + ", optional";
        }
        String name = typeName(schema);
        if (field.hasDefaultValue() && (schema.getType() == Schema.Type.ARRAY || schema.getType() == Schema.Type.MAP)) {
            return name + ", default empty";
        }
        return field.hasDefaultValue() ? name + ", default `" + field.defaultVal() + "`" : name + ", required";
    }

    private static String typeName(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> "`" + schema.getName() + "`";
            case ARRAY -> "array of " + typeName(schema.getElementType());
            case MAP -> "map of " + typeName(schema.getValueType());
            case UNION -> schema.getTypes().stream().map(SchemaCatalogueDocTest::typeName)
                    .collect(Collectors.joining(" or "));
            default -> "`" + (schema.getLogicalType() != null ? schema.getLogicalType().getName()
                    : schema.getType().getName()) + "`";
        };
    }

    private static void collectNamed(Schema root, Map<String, Schema> into) {
        Deque<Schema> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Schema schema = todo.pop();
            switch (schema.getType()) {
                case RECORD -> {
                    if (into.putIfAbsent(schema.getFullName(), schema) == null) {
                        schema.getFields().forEach(f -> todo.push(f.schema()));
                    }
                }
                case ENUM, FIXED -> into.putIfAbsent(schema.getFullName(), schema);
                case UNION -> schema.getTypes().forEach(todo::push);
                case ARRAY -> todo.push(schema.getElementType());
                case MAP -> todo.push(schema.getValueType());
                default -> {
                    // Primitives are described inline.
                }
            }
        }
    }

    /** {@code finance.PaymentStatus} for {@code io.syncline.schemas.finance.PaymentStatus}. */
    private static String shortName(Schema named) {
        return named.getFullName().substring(CanonicalSchemas.NAMESPACE_ROOT.length() + 1);
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }
}
