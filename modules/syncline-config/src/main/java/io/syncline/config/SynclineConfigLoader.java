package io.syncline.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads {@code syncline.yaml} into a {@link SynclineConfig}, or fails with every problem placed at file, line and key.
 *
 * <p>Keys are kebab-case. Unknown keys are errors (a typo must not silently fall back to a default). Jackson binds
 * the types; each section's {@link Validatable#validate} checks values and cross-field rules; a pass over the YAML
 * tokens maps key paths back to lines, which Jackson's tree model does not keep.
 */
public final class SynclineConfigLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private SynclineConfigLoader() {
    }

    /** The mapper that binds syncline.yaml sections; sections with their own files (e.g. mappings) reuse it. */
    public static ObjectMapper yamlMapper() {
        return YAML;
    }

    /** Loads and validates {@code file}; throws with every problem. */
    public static SynclineConfig load(Path file) {
        Checked<SynclineConfig> checked = check(file);
        if (!checked.problems().isEmpty()) {
            throw new ConfigException(checked.problems());
        }
        return checked.config();
    }

    /** Loads {@code file} when it exists, else the defaults (everything embedded). */
    public static SynclineConfig loadOrDefaults(Path file) {
        return Files.exists(file) ? load(file) : SynclineConfig.defaults();
    }

    /** Parses and validates YAML text; {@code source} names it in problems. */
    public static SynclineConfig parse(String text, String source) {
        return parse(text, source, SynclineConfig.class);
    }

    /**
     * Parses and validates any {@link Validatable} model from YAML text; {@code source} names it in problems.
     *
     * @throws ConfigException with every problem, ordered by line (see {@link #check(String, String, Class)})
     */
    public static <T extends Validatable> T parse(String text, String source, Class<T> type) {
        Checked<T> checked = check(text, source, type);
        if (!checked.problems().isEmpty()) {
            throw new ConfigException(checked.problems());
        }
        return checked.config();
    }

    /**
     * A model bound as far as its file allowed, with every problem found in it.
     *
     * @param config the model; with problems, the model without the nodes that could not be bound (defaults in their
     *               place), for checks that go on past them; null when the file could not be read as YAML at all
     * @param problems every problem, ordered by line; empty when the file is valid
     * @param lines the line of every key path in the file, to place further problems
     */
    public record Checked<T>(T config, List<ConfigProblem> problems, Map<String, Integer> lines) {
    }

    /** Reads and checks {@code file} without throwing for its problems; a missing file is one problem. */
    public static Checked<SynclineConfig> check(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Checked<>(null, List.of(new ConfigProblem(file.toString(), 0, "",
                    "file not found; create it (see syncline.yaml in the repository for an example) or pass --config")),
                    Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
        return check(text, file.toString(), SynclineConfig.class);
    }

    /**
     * Parses and validates YAML text, collecting every problem instead of stopping at the first: a binding problem
     * (unknown key, wrong type, a value its type refuses) is recorded and the offending node taken out of the tree,
     * and binding runs again until it succeeds; then the model validates itself, leaving out problems at keys
     * already reported. Only a YAML syntax error stops early, as the rest of the file cannot be read until it is
     * fixed.
     */
    public static <T extends Validatable> Checked<T> check(String text, String source, Class<T> type) {
        Map<String, String> valueStarts = new HashMap<>();
        Map<String, Integer> lines = index(text, valueStarts);
        JsonNode tree;
        try {
            tree = text.isBlank() ? null : YAML.readTree(text);
        } catch (JsonProcessingException e) {
            return new Checked<>(null, List.of(YamlSyntax.problem(e, source, lines, valueStarts)), lines);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            tree = YAML.createObjectNode();
        }
        List<ConfigProblem> problems = new ArrayList<>();
        List<String> reported = new ArrayList<>();
        T config = bindReportingEveryProblem(tree, type, source, lines, problems, reported);
        if (config != null) {
            Problems semantic = new Problems();
            config.validate(semantic, "");
            for (Problems.Problem p : semantic.all()) {
                if (reported.stream().noneMatch(r -> p.key().equals(r) || p.key().startsWith(r + ".")
                        || p.key().startsWith(r + "["))) {
                    problems.add(new ConfigProblem(source, lineOf(p.key(), lines), p.key(), p.message()));
                }
            }
        }
        return new Checked<>(config, byLine(problems), lines);
    }

    /** Problems ordered by line; stable, so problems on one line keep their order; keys absent from the file last. */
    public static List<ConfigProblem> byLine(List<ConfigProblem> problems) {
        List<ConfigProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt(p -> p.line() == 0 ? Integer.MAX_VALUE : p.line()));
        return List.copyOf(sorted);
    }

    /** Upper bound of binding passes: each pass removes one node, so a file would need this many problems. */
    private static final int MAX_BINDING_PASSES = 500;

    /**
     * Binds {@code tree}, recording each binding problem and removing its node until binding succeeds; null when a
     * problem cannot be isolated (the root itself is of the wrong type).
     */
    private static <T> T bindReportingEveryProblem(JsonNode tree, Class<T> type, String source,
            Map<String, Integer> lines, List<ConfigProblem> problems, List<String> reported) {
        // Elements removed from each list, by their index in the file, so later problems keep the file's indices.
        Map<JsonNode, List<Integer>> removed = new IdentityHashMap<>();
        for (int pass = 0; pass < MAX_BINDING_PASSES; pass++) {
            try {
                return YAML.treeToValue(tree, type);
            } catch (JsonProcessingException e) {
                List<JsonMappingException.Reference> path = e instanceof JsonMappingException m ? m.getPath() : List.of();
                String key = fileKey(tree, path, removed);
                problems.add(bindingProblem(e, source, lines, key));
                reported.add(key);
                if (!removeNode(tree, path, removed)) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The key path of {@code path} with list indices as they are in the file (before any removal). */
    private static String fileKey(JsonNode tree, List<JsonMappingException.Reference> path,
            Map<JsonNode, List<Integer>> removed) {
        StringBuilder key = new StringBuilder();
        JsonNode node = tree;
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                if (!key.isEmpty()) {
                    key.append('.');
                }
                key.append(ref.getFieldName());
                node = node == null ? null : node.get(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                key.append('[').append(fileIndex(node, ref.getIndex(), removed)).append(']');
                node = node == null ? null : node.get(ref.getIndex());
            }
        }
        return key.toString();
    }

    private static int fileIndex(JsonNode list, int current, Map<JsonNode, List<Integer>> removed) {
        int index = current;
        for (int r : removed.getOrDefault(list, List.of())) {
            if (r <= index) {
                index++;
            }
        }
        return index;
    }

    /** Removes the node {@code path} points at; false when there is none (nothing left to isolate). */
    private static boolean removeNode(JsonNode tree, List<JsonMappingException.Reference> path,
            Map<JsonNode, List<Integer>> removed) {
        if (path.isEmpty()) {
            return false;
        }
        JsonNode parent = tree;
        for (JsonMappingException.Reference ref : path.subList(0, path.size() - 1)) {
            parent = ref.getFieldName() != null ? parent.get(ref.getFieldName()) : parent.get(ref.getIndex());
            if (parent == null) {
                return false;
            }
        }
        JsonMappingException.Reference last = path.get(path.size() - 1);
        if (last.getFieldName() != null && parent instanceof ObjectNode object) {
            return object.remove(last.getFieldName()) != null;
        }
        if (last.getIndex() >= 0 && parent instanceof ArrayNode array && last.getIndex() < array.size()) {
            List<Integer> gone = removed.computeIfAbsent(array, a -> new ArrayList<>());
            gone.add(fileIndex(array, last.getIndex(), removed));
            gone.sort(null);
            array.remove(last.getIndex());
            return true;
        }
        return false;
    }

    /** Keys that existed once, with what to do instead: an upgrade then says more than "unknown key". */
    private static final Map<String, String> REMOVED_KEYS = Map.of(
            "normalizer.dedupe-window", "no longer needed: the normalizer drops every redelivery however late it "
                    + "comes, from its latest-version store (docs/normalizer.md, Guarantees); delete this line");

    private static ConfigProblem bindingProblem(JsonProcessingException e, String source, Map<String, Integer> lines,
            String key) {
        if (!(e instanceof JsonMappingException)) {
            return new ConfigProblem(source, lineOf(key, lines), "", "not valid YAML: " + e.getOriginalMessage());
        }
        int line = lineOf(key, lines);
        String message;
        if (e instanceof UnrecognizedPropertyException && REMOVED_KEYS.containsKey(key)) {
            message = REMOVED_KEYS.get(key);
        } else if (e instanceof UnrecognizedPropertyException unknown) {
            message = "unknown key \"" + unknown.getPropertyName() + "\"; expected one of "
                    + knownKeys(unknown.getKnownPropertyIds());
        } else if (e instanceof InvalidFormatException invalid) {
            message = "expected " + describe(invalid.getTargetType()) + ", got \"" + invalid.getValue() + "\"";
        } else if (e instanceof ValueInstantiationException instantiation && instantiation.getCause() != null) {
            message = instantiation.getCause().getMessage();
        } else if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            message = "expected " + describe(mismatched.getTargetType());
        } else {
            message = e.getOriginalMessage();
        }
        return new ConfigProblem(source, line, key, message);
    }

    private static String knownKeys(Collection<Object> ids) {
        return ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    private static String describe(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "text";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping of keys to values";
        }
        return "a " + type.getSimpleName();
    }

    /** The line of {@code key}, or of its nearest parent present in the file; 0 when none is. */
    public static int lineOf(String key, Map<String, Integer> lines) {
        String k = key;
        while (!k.isEmpty()) {
            Integer line = lines.get(k);
            if (line != null) {
                return line;
            }
            int cut = Math.max(k.lastIndexOf('.'), k.lastIndexOf('['));
            k = cut < 0 ? "" : k.substring(0, cut);
        }
        return 0;
    }

    /** Maps every key path in the YAML text ({@code a.b[2].c}) to the line it starts on. */
    public static Map<String, Integer> lineIndex(String text) {
        return index(text, new HashMap<>());
    }

    /**
     * {@link #lineIndex}, and in {@code valueStarts} the key path of every value by where it starts
     * ({@code "line:column"}, both 1-based), which names the key of a {@code [} or {@code {} a syntax error points at.
     */
    static Map<String, Integer> index(String text, Map<String, String> valueStarts) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = YAML.getFactory().createParser(text)) {
            Deque<Frame> stack = new ArrayDeque<>();
            String pendingKey = null;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                int line = parser.currentTokenLocation().getLineNr();
                String start = line + ":" + parser.currentTokenLocation().getColumnNr();
                switch (token) {
                    case FIELD_NAME -> {
                        Frame frame = stack.peek();
                        pendingKey = Problems.child(frame == null ? "" : frame.path, parser.currentName());
                        lines.putIfAbsent(pendingKey, line);
                    }
                    case START_OBJECT, START_ARRAY -> {
                        String path = elementPath(stack, pendingKey, line, lines);
                        valueStarts.putIfAbsent(start, path);
                        stack.push(new Frame(path, token == JsonToken.START_ARRAY));
                        pendingKey = null;
                    }
                    case END_OBJECT, END_ARRAY -> stack.pop();
                    default -> {
                        valueStarts.putIfAbsent(start, elementPath(stack, pendingKey, line, lines));
                        pendingKey = null;
                    }
                }
            }
        } catch (IOException e) {
            // Syntax errors are reported by the parse with their location; lines found so far still help.
        }
        return lines;
    }

    private static String elementPath(Deque<Frame> stack, String pendingKey, int line, Map<String, Integer> lines) {
        Frame parent = stack.peek();
        if (parent != null && parent.array) {
            String path = Problems.index(parent.path, parent.next++);
            lines.putIfAbsent(path, line);
            return path;
        }
        return pendingKey == null ? "" : pendingKey;
    }

    private static final class Frame {
        final String path;
        final boolean array;
        int next;

        Frame(String path, boolean array) {
            this.path = path;
            this.array = array;
        }
    }

    /** Renders problems one per line, for CLI output. */
    public static String describe(ConfigException e) {
        List<String> out = new ArrayList<>();
        for (ConfigProblem p : e.problems()) {
            out.add(p.toString());
        }
        return String.join("\n", out);
    }
}
