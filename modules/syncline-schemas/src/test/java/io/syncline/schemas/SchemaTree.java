package io.syncline.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.SchemaParser;

/** A folder of {@code .avsc} files ({@code <domain>/<Name>.avsc}) parsed together, as the Maven plugin does. */
final class SchemaTree {

    /** Where the schema tree lives: set by the module's surefire configuration. */
    static Path schemasDir() {
        return Path.of(System.getProperty("syncline.schemas.dir", "../../schemas")).toAbsolutePath().normalize();
    }

    static Path docsDir() {
        return Path.of(System.getProperty("syncline.docs.dir", "../../docs")).toAbsolutePath().normalize();
    }

    /** One parsed file. */
    record SchemaFile(String path, String domain, String baseName, Schema schema) {

        /** The {@code syncline.major} property of a canonical record, or null for shared types. */
        Integer major() {
            Object major = schema.getObjectProp(CanonicalSchemas.MAJOR_PROPERTY);
            return major instanceof Integer i ? i : null;
        }

        boolean isCanonical() {
            return schema.getType() == Schema.Type.RECORD && schema.getObjectProp(CanonicalSchemas.MAJOR_PROPERTY) != null;
        }
    }

    private SchemaTree() {
    }

    /**
     * Parses every {@code .avsc} below {@code root} except {@code released/}, {@code common/} first, with one
     * parser so that files can refer to each other's types by full name.
     *
     * @return files by path relative to {@code root} with forward slashes, e.g. {@code finance/Payment.avsc}
     */
    static Map<String, SchemaFile> load(Path root) {
        List<Path> files = avscFiles(root);
        SchemaParser parser = new SchemaParser();
        Map<Path, SchemaParser.ParseResult> results = new LinkedHashMap<>();
        for (Path file : files) {
            try {
                results.put(file, parser.parse(file));
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + file, e);
            } catch (SchemaParseException e) {
                throw new IllegalStateException(root.relativize(file) + " is not a valid Avro schema: " + e.getMessage(), e);
            }
        }
        Map<String, SchemaFile> tree = new LinkedHashMap<>();
        for (Map.Entry<Path, SchemaParser.ParseResult> entry : results.entrySet()) {
            Path relative = root.relativize(entry.getKey());
            String path = relative.toString().replace('\\', '/');
            Schema schema;
            try {
                // Resolved only now: a file may refer to a type defined in a file parsed after it.
                schema = entry.getValue().mainSchema();
            } catch (RuntimeException e) {
                throw new IllegalStateException(path + " refers to a type no schema file defines: " + e.getMessage(), e);
            }
            String domain = relative.getNameCount() > 1 ? relative.getName(0).toString() : "";
            String fileName = relative.getFileName().toString();
            tree.put(path, new SchemaFile(path, domain, fileName.substring(0, fileName.length() - ".avsc".length()),
                    schema));
        }
        return tree;
    }

    private static List<Path> avscFiles(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("schema directory " + root + " does not exist");
        }
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> files = new ArrayList<>(walk
                    .filter(p -> !root.relativize(p).startsWith("released"))
                    .filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".avsc"))
                    .toList());
            files.sort(Comparator.comparing((Path p) -> !root.relativize(p).startsWith("common"))
                    .thenComparing(p -> root.relativize(p).toString()));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + root, e);
        }
    }
}
