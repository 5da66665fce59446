package io.syncline.delivery.mapping;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Builds a JSON object from a record with entries {@code target=source|transform|...}, parsed once from
 * configuration:
 *
 * <ul>
 *   <li>{@code target}: a JSON field, dotted for nesting ({@code customer.email} → {@code {"customer":{"email":…}}});
 *   <li>{@code source}: a {@link FieldPath} ({@code email}, {@code metadata.event_id}, {@code $key}) or a literal in
 *       single quotes ({@code 'stripe'});
 *   <li>{@code transform}: zero or more {@link Transform}s applied in order.
 * </ul>
 *
 * An empty mapping means "the whole record value as JSON" (see {@link ConnectJson}).
 */
public final class JsonMapping {

    /** One mapping entry. */
    public record Entry(String text, List<String> target, FieldPath path, String literal, List<Transform> transforms) {
        /** The target as written ({@code customer.email}). */
        public String targetName() {
            return String.join(".", target);
        }
    }

    private final List<Entry> entries;

    private JsonMapping(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses entries such as {@code email=email|lower}.
     *
     * @throws IllegalArgumentException naming the entry and what is wrong with it
     */
    public static JsonMapping parse(List<String> entries) {
        List<Entry> parsed = new ArrayList<>();
        Set<String> leaves = new HashSet<>();
        Set<String> parents = new HashSet<>();
        for (String raw : entries) {
            String text = raw.trim();
            if (text.isEmpty()) {
                continue;
            }
            int eq = text.indexOf('=');
            if (eq <= 0 || eq == text.length() - 1) {
                throw new IllegalArgumentException("mapping entry '" + text
                        + "' is not target=source (expected e.g. email=email|lower or source='stripe')");
            }
            String targetText = text.substring(0, eq).trim();
            List<String> target = Arrays.asList(targetText.split("\\.", -1));
            if (target.stream().anyMatch(p -> p.isBlank() || !p.equals(p.trim()))) {
                throw new IllegalArgumentException("mapping entry '" + text + "' has an invalid target '" + targetText
                        + "' (expected JSON field names joined by dots)");
            }
            String rhs = text.substring(eq + 1).trim();
            FieldPath path = null;
            String literal = null;
            List<Transform> transforms = new ArrayList<>();
            String sourceText;
            if (rhs.startsWith("'")) {
                int close = rhs.indexOf('\'', 1);
                if (close < 0) {
                    throw new IllegalArgumentException("mapping entry '" + text + "' has an unterminated literal");
                }
                literal = rhs.substring(1, close);
                sourceText = null;
                rhs = rhs.substring(close + 1).trim();
                if (!rhs.isEmpty() && !rhs.startsWith("|")) {
                    throw new IllegalArgumentException("mapping entry '" + text
                            + "' has text after its literal (expected |transform or nothing)");
                }
            } else {
                int bar = rhs.indexOf('|');
                sourceText = bar < 0 ? rhs : rhs.substring(0, bar);
                rhs = bar < 0 ? "" : rhs.substring(bar);
                try {
                    path = FieldPath.parse(sourceText);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("mapping entry '" + text + "': " + e.getMessage(), e);
                }
            }
            if (!rhs.isEmpty()) {
                for (String t : rhs.substring(1).split("\\|", -1)) {
                    try {
                        transforms.add(Transform.of(t));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("mapping entry '" + text + "': " + e.getMessage(), e);
                    }
                }
            }
            String leaf = String.join(".", target);
            for (int i = 1; i < target.size(); i++) {
                String parent = String.join(".", target.subList(0, i));
                if (leaves.contains(parent)) {
                    throw new IllegalArgumentException("mapping entry '" + text + "' writes inside '" + parent
                            + "', which another entry sets to a value");
                }
                parents.add(parent);
            }
            if (!leaves.add(leaf)) {
                throw new IllegalArgumentException("mapping entry '" + text + "' sets '" + leaf
                        + "' a second time");
            }
            if (parents.contains(leaf)) {
                throw new IllegalArgumentException("mapping entry '" + text + "' sets '" + leaf
                        + "', which other entries write inside");
            }
            parsed.add(new Entry(text, target, path, literal, List.copyOf(transforms)));
        }
        return new JsonMapping(parsed);
    }

    /** Whether there are no entries (the whole value is sent). */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The entries, in order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The JSON object for {@code record} (or the whole value as JSON when the mapping is empty). */
    public JsonNode apply(SinkRecord record, boolean omitNulls) {
        if (entries.isEmpty()) {
            return ConnectJson.toJson(record.value(), record.valueSchema());
        }
        return build(p -> p.resolve(record), omitNulls);
    }

    /** The JSON object for a value (a Struct or Map) rather than a whole record. */
    public ObjectNode applyTo(Object value, Schema schema, boolean omitNulls) {
        return build(p -> p.resolveIn(value, schema), omitNulls);
    }

    private ObjectNode build(Function<FieldPath, FieldPath.Resolved> resolver, boolean omitNulls) {
        ObjectNode root = ConnectJson.NODES.objectNode();
        for (Entry entry : entries) {
            JsonNode value;
            if (entry.literal() != null) {
                value = ConnectJson.NODES.textNode(entry.literal());
            } else {
                FieldPath.Resolved resolved = resolver.apply(entry.path());
                value = ConnectJson.toJson(resolved.value(), resolved.schema());
            }
            for (Transform t : entry.transforms()) {
                try {
                    value = t.apply(value);
                } catch (MappingException e) {
                    throw new MappingException("mapping " + entry.text() + ": " + e.getMessage());
                }
            }
            if (value.isNull() && omitNulls) {
                continue;
            }
            ObjectNode parent = root;
            for (int i = 0; i < entry.target().size() - 1; i++) {
                JsonNode child = parent.get(entry.target().get(i));
                if (!(child instanceof ObjectNode)) {
                    child = parent.putObject(entry.target().get(i));
                }
                parent = (ObjectNode) child;
            }
            parent.set(entry.target().get(entry.target().size() - 1), value);
        }
        return root;
    }
}
