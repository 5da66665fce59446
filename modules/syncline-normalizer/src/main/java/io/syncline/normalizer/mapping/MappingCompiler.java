package io.syncline.normalizer.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncline.config.ConfigException;
import io.syncline.config.ConfigProblem;
import io.syncline.config.SynclineConfigLoader;
import io.syncline.mapping.ExprCompiler;

/**
 * Compiles one mapping file into a {@link CompiledMapping}, checking it against the target's Avro schema; the
 * expressions themselves are compiled by the shared mapping language ({@link ExprCompiler}).
 *
 * <p>Every problem is collected with its file, line and key, so that one run reports all of them: an unknown
 * canonical field, a required field left unmapped, a value that can never convert to the field's type, an unknown
 * transform or option.
 */
public final class MappingCompiler {

    /** Top-level keys of a mapping file. */
    static final List<String> TOP_LEVEL_KEYS = List.of("description", "source", "target", "system", "source-id", "key",
            "updated-at", "version", "event-id", "trace-id", "delete-when", "fields", "checks", "dedupe");
    static final List<String> SOURCE_KEYS = List.of("topic", "envelopes", "object", "events", "bare");

    private MappingCompiler() {
    }

    /**
     * Compiles a mapping.
     *
     * @param text the YAML text
     * @param name the mapping's name (its path under the mappings directory without extension, e.g. stripe/charge)
     * @param source the file, as named in problems
     * @throws ConfigException with every problem found, each at its file, line and key
     */
    public static CompiledMapping compile(String text, String name, String source, TargetCatalog catalog) {
        return compile(text, name, source, catalog, EnvelopeCatalog.empty());
    }

    /**
     * Compiles a mapping whose {@code source.envelopes} name envelopes of {@code envelopes}.
     *
     * @throws ConfigException with every problem found, each at its file, line and key
     */
    public static CompiledMapping compile(String text, String name, String source, TargetCatalog catalog,
            EnvelopeCatalog envelopes) {
        Map<String, Integer> lines = SynclineConfigLoader.lineIndex(text);
        List<ConfigProblem> problems = new ArrayList<>();
        ExprCompiler c = new ExprCompiler((key, message) -> problems.add(new ConfigProblem(source,
                SynclineConfigLoader.lineOf(key, lines), key, message)))
                // Secret references (the hash transform's key) resolve like every secret of syncline.yaml; the
                // messages name the reference, never the value.
                .secrets(ref -> io.syncline.config.SecretRef.parse(ref).resolve());
        JsonNode root;
        try {
            root = text.isBlank() ? null : SynclineConfigLoader.yamlMapper().readTree(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ConfigException(List.of(new ConfigProblem(source, line, "", "not valid YAML: "
                    + e.getOriginalMessage())));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(List.of(new ConfigProblem(source, 1, "", "expected a mapping with keys "
                    + String.join(", ", TOP_LEVEL_KEYS))));
        }
        CompiledMapping mapping = MappingFileCompiler.compile(c, (ObjectNode) root, name, source, catalog,
                envelopes);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return mapping;
    }
}
