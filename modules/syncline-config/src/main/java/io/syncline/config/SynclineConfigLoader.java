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
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
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

    /** Loads and validates {@code file}. */
    public static SynclineConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), 0, "",
                    "file not found; create it (see syncline.yaml in the repository for an example) or pass --config")));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
        return parse(text, file.toString());
    }

    /** Loads {@code file} when it exists, else the defaults (everything embedded). */
    public static SynclineConfig loadOrDefaults(Path file) {
        return Files.exists(file) ? load(file) : SynclineConfig.defaults();
    }

    /** Parses and validates YAML text; {@code source} names it in problems. */
    public static SynclineConfig parse(String text, String source) {
        return parse(text, source, SynclineConfig.class);
    }

    /** Parses and validates any {@link Validatable} model from YAML text; {@code source} names it in problems. */
    public static <T extends Validatable> T parse(String text, String source, Class<T> type) {
        Map<String, Integer> lines = lineIndex(text);
        T config;
        try {
            config = text.isBlank() ? YAML.readValue("{}", type) : YAML.readValue(text, type);
            if (config == null) {
                config = YAML.readValue("{}", type);
            }
        } catch (JsonProcessingException e) {
            throw new ConfigException(List.of(bindingProblem(e, source, lines)));
        }
        Problems problems = new Problems();
        config.validate(problems, "");
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.all().stream()
                    .map(p -> new ConfigProblem(source, lineOf(p.key(), lines), p.key(), p.message()))
                    .toList());
        }
        return config;
    }

    /** Keys that existed once, with what to do instead: an upgrade then says more than "unknown key". */
    private static final Map<String, String> REMOVED_KEYS = Map.of(
            "normalizer.dedupe-window", "no longer needed: the normalizer drops every redelivery however late it "
                    + "comes, from its latest-version store (docs/normalizer.md, Guarantees); delete this line");

    private static ConfigProblem bindingProblem(JsonProcessingException e, String source, Map<String, Integer> lines) {
        JsonLocation location = e.getLocation();
        int line = location == null ? 0 : location.getLineNr();
        if (!(e instanceof JsonMappingException mapping)) {
            return new ConfigProblem(source, line, "", "not valid YAML: " + e.getOriginalMessage());
        }
        String key = keyPath(mapping.getPath());
        if (lines.containsKey(key)) {
            line = lines.get(key);
        }
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

    private static String keyPath(List<JsonMappingException.Reference> refs) {
        StringBuilder key = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                if (!key.isEmpty()) {
                    key.append('.');
                }
                key.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                key.append('[').append(ref.getIndex()).append(']');
            }
        }
        return key.toString();
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
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = YAML.getFactory().createParser(text)) {
            Deque<Frame> stack = new ArrayDeque<>();
            String pendingKey = null;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                int line = parser.currentTokenLocation().getLineNr();
                switch (token) {
                    case FIELD_NAME -> {
                        Frame frame = stack.peek();
                        pendingKey = Problems.child(frame == null ? "" : frame.path, parser.currentName());
                        lines.putIfAbsent(pendingKey, line);
                    }
                    case START_OBJECT, START_ARRAY -> {
                        String path = elementPath(stack, pendingKey, line, lines);
                        stack.push(new Frame(path, token == JsonToken.START_ARRAY));
                        pendingKey = null;
                    }
                    case END_OBJECT, END_ARRAY -> stack.pop();
                    default -> {
                        elementPath(stack, pendingKey, line, lines);
                        pendingKey = null;
                    }
                }
            }
        } catch (IOException e) {
            // Syntax errors are reported by the binding pass with their location; lines found so far still help.
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
