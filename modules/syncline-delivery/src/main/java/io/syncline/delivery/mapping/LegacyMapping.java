package io.syncline.delivery.mapping;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncline.json.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sinks' first mapping syntax, still read so that no connector configuration breaks on upgrade, and converted to
 * the mapping language ({@code docs/mappings.md}) on the way in:
 *
 * <ul>
 *   <li>dotted field paths ({@code metadata.source_id}) become JSON Pointers ({@code /metadata/source_id}), and the
 *       record attributes {@code $key}, {@code $topic}, {@code $partition}, {@code $offset} become
 *       {@code $record/key}, … ;</li>
 *   <li>a body or property mapping written as {@code target=source|transform|…} entries (targets dotted for nesting,
 *       {@code 'literals'}) becomes the equivalent expression object, e.g. {@code email=email|lower,name.first=name|
 *       given_name} → {@code {email: {lower: /email}, name: {record: {first: {given-name: /name}}}}}.</li>
 * </ul>
 *
 * <p>Each deprecated value is logged once per worker, at WARN, with the form to write instead.
 */
public final class LegacyMapping {

    private static final Logger LOG = LoggerFactory.getLogger(LegacyMapping.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** How Connect splits a LIST value, which the old entry lists were. */
    private static final Pattern COMMA = Pattern.compile("\\s*,\\s*");
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    /** Record attributes the old paths could name, and what they are now. */
    static final Map<String, String> ATTRIBUTES = Map.of("$key", "$record/key", "$topic", "$record/topic",
            "$partition", "$record/partition", "$offset", "$record/offset");
    private static final List<String> ATTRIBUTE_NAMES = List.of("$key", "$topic", "$partition", "$offset");

    /** The old transforms and their names in the mapping language. */
    static final Map<String, String> TRANSFORMS = Map.of("lower", "lower", "upper", "upper", "trim", "trim",
            "given_name", "given-name", "family_name", "family-name", "date", "date", "datetime", "datetime",
            "epoch_millis", "epoch-millis", "money", "major-units", "string", "text");
    private static final List<String> TRANSFORM_NAMES = List.of("lower", "upper", "trim", "given_name", "family_name",
            "date", "datetime", "epoch_millis", "money", "string");

    private LegacyMapping() {
    }

    /**
     * True when {@code text} is written in the mapping language: a JSON Pointer, a {@code $root/…} path or an
     * expression object; anything else is the old dotted form.
     */
    public static boolean isExpression(String text) {
        String t = text.trim();
        return t.startsWith("/") || t.startsWith("{") || t.startsWith("$record/") || t.startsWith("$header/")
                || t.equals("$object") || t.startsWith("$object/") || t.equals("$event") || t.startsWith("$event/")
                || t.equals("$item");
    }

    /**
     * The source path for an old dotted path or record attribute: {@code metadata.event_id} →
     * {@code /metadata/event_id}, {@code $key} → {@code $record/key}.
     *
     * @throws IllegalArgumentException naming the path when it is empty, has empty parts or names an unknown attribute
     */
    public static String path(String dotted) {
        String t = dotted.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty field path (expected e.g. email or metadata.event_id)");
        }
        if (t.startsWith("$")) {
            String attribute = ATTRIBUTES.get(t);
            if (attribute == null) {
                throw new IllegalArgumentException("'" + t + "' is not a record attribute (expected one of "
                        + String.join(", ", ATTRIBUTE_NAMES) + ")");
            }
            return attribute;
        }
        String[] parts = t.split("\\.", -1);
        if (Arrays.stream(parts).anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("'" + t + "' is not a field path (expected names joined by dots, e.g. "
                    + "metadata.event_id)");
        }
        return Pointer.of(parts).text();
    }

    /**
     * The expression object for an old entry list ({@code target=source|transform,…}).
     *
     * @throws IllegalArgumentException naming the entry and what is wrong with it
     */
    public static ObjectNode entries(String list) {
        ObjectNode root = NODES.objectNode();
        Set<String> leaves = new HashSet<>();
        Set<String> parents = new HashSet<>();
        String trimmed = list.trim();
        for (String raw : trimmed.isEmpty() ? new String[0] : COMMA.split(trimmed, -1)) {
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
            JsonNode value;
            if (rhs.startsWith("'")) {
                int close = rhs.indexOf('\'', 1);
                if (close < 0) {
                    throw new IllegalArgumentException("mapping entry '" + text + "' has an unterminated literal");
                }
                value = NODES.objectNode().put("const", rhs.substring(1, close));
                rhs = rhs.substring(close + 1).trim();
                if (!rhs.isEmpty() && !rhs.startsWith("|")) {
                    throw new IllegalArgumentException("mapping entry '" + text
                            + "' has text after its literal (expected |transform or nothing)");
                }
            } else {
                int bar = rhs.indexOf('|');
                String sourceText = bar < 0 ? rhs : rhs.substring(0, bar);
                rhs = bar < 0 ? "" : rhs.substring(bar);
                try {
                    value = NODES.textNode(path(sourceText));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("mapping entry '" + text + "': " + e.getMessage(), e);
                }
            }
            if (!rhs.isEmpty()) {
                for (String t : rhs.substring(1).split("\\|", -1)) {
                    String name = TRANSFORMS.get(t.trim());
                    if (name == null) {
                        throw new IllegalArgumentException("mapping entry '" + text + "': unknown transform '"
                                + t.trim() + "' (expected one of " + String.join(", ", TRANSFORM_NAMES) + ")");
                    }
                    value = NODES.objectNode().set(name, value);
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
            ObjectNode parent = root;
            for (int i = 0; i < target.size() - 1; i++) {
                JsonNode nested = parent.get(target.get(i));
                if (nested == null) {
                    nested = NODES.objectNode().set("record", NODES.objectNode());
                    parent.set(target.get(i), nested);
                }
                parent = (ObjectNode) nested.get("record");
            }
            parent.set(target.get(target.size() - 1), value);
        }
        return root;
    }

    /** Logs, once per worker and value, that {@code key} uses the old form and what to write instead. */
    public static void warnDeprecated(String key, String old, String replacement) {
        if (WARNED.add(key + '\u0000' + old)) {
            LOG.warn("{}: '{}' is written in the deprecated dotted form of the sinks' first mapping syntax; it is read"
                    + " as {} (see docs/mappings.md), write that instead", key, old, replacement);
        }
    }

    /** An expression as YAML flow text, the form a connector configuration holds it in. */
    public static String flow(JsonNode node) {
        StringBuilder out = new StringBuilder();
        flow(node, out);
        return out.toString();
    }

    private static void flow(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            out.append('{');
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.append(scalar(e.getKey())).append(": ");
                flow(e.getValue(), out);
                if (it.hasNext()) {
                    out.append(", ");
                }
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                flow(node.get(i), out.append(i == 0 ? "" : ", "));
            }
            out.append(']');
        } else if (node.isTextual()) {
            out.append(scalar(node.textValue()));
        } else {
            out.append(node.asText());
        }
    }

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_$/][A-Za-z0-9_$/.~@+-]*");
    private static final Set<String> YAML_WORDS = Set.of("true", "false", "null", "yes", "no", "on", "off", "y", "n");

    /** Text as a YAML scalar: plain where YAML reads it back as the same text, else single-quoted. */
    private static String scalar(String text) {
        if (PLAIN.matcher(text).matches() && !YAML_WORDS.contains(text.toLowerCase(Locale.ROOT))) {
            return text;
        }
        return "'" + text.replace("'", "''") + "'";
    }
}
