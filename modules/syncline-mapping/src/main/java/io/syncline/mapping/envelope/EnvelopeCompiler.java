package io.syncline.mapping.envelope;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.json.PathTrie;
import io.syncline.json.Pointer;
import io.syncline.mapping.Expr;
import io.syncline.mapping.ExprCompiler;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Compiles envelope declarations ({@code envelopes:} in {@code mappings/<provider>/envelopes.yaml}) with the mapping
 * language: conditions and values are expressions of docs/mappings.md over the raw value. Every problem is reported
 * under its key ({@code envelopes.<name>.<key>}), so that the caller can name file and line.
 *
 * <pre>
 * envelopes:
 *   stripe-event:
 *     description: A Stripe event; data.object is the object after the change.
 *     when: {equals: [/object, {const: event}]}     # how to recognise it; omitted: every record (tried last)
 *     object: /data/object                          # or a list, the first that holds an object; omitted: the value
 *     object-type: /data/object/object
 *     object-id: /data/object/id
 *     type: /type
 *     id: /id
 *     time: {timestamp: /created, from: unix-seconds}
 *     delete-when: {equals: [/type, {const: customer.deleted}]}
 *     change: {property: /propertyName, value: /propertyValue, into: /properties}   # one property, not the object
 *     null-value: skip                              # tombstones are expected (Debezium); default dead-letter
 * </pre>
 */
public final class EnvelopeCompiler {

    /** The keys of one envelope declaration. */
    public static final List<String> KEYS = List.of("description", "when", "object", "object-type", "object-id",
            "type", "id", "time", "delete-when", "change", "null-value");
    static final List<String> CHANGE_KEYS = List.of("property", "value", "into");
    static final Schema OPTIONAL_TIMESTAMP = Schema.createUnion(Schema.create(Schema.Type.NULL),
            LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)));

    private EnvelopeCompiler() {
    }

    /**
     * Compiles one declaration.
     *
     * @param node the declaration (a YAML mapping)
     * @param name its name, unique among all envelopes of a deployment
     * @param file the file it comes from, for messages
     * @param key the key it stands at, e.g. {@code envelopes.stripe-event}
     * @param problems where problems go, each under its key
     */
    public static Envelope compile(JsonNode node, String name, String file, String key,
            ExprCompiler.Problems problems) {
        ExprCompiler c = new ExprCompiler(problems);
        if (node == null || !node.isObject()) {
            c.problem(key, "expected an envelope declaration with keys " + String.join(", ", KEYS));
            return Envelope.bare();
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                c.problem(key + "." + k, "unknown key \"" + k + "\"; expected one of " + String.join(", ", KEYS));
            }
        }
        refuseRoots(c, node, key);
        String description = node.path("description").asText("");
        Expr when = node.has("when") ? c.field(node.get("when"), key + ".when", ExprCompiler.BOOLEAN, "when") : null;
        List<Pointer> objects = pointers(c, node.get("object"), key + ".object");
        Expr type = text(c, node, key, "type");
        Expr id = text(c, node, key, "id");
        Expr objectType = text(c, node, key, "object-type");
        Expr objectId = text(c, node, key, "object-id");
        Expr time = node.has("time") ? c.field(node.get("time"), key + ".time", OPTIONAL_TIMESTAMP, "time") : null;
        Expr deleteWhen = node.has("delete-when")
                ? c.field(node.get("delete-when"), key + ".delete-when", ExprCompiler.BOOLEAN, "delete-when") : null;
        Envelope.Change change = null;
        JsonNode ch = node.get("change");
        if (ch != null) {
            change = change(c, ch, key + ".change");
            if (objectId == null) {
                c.problem(key + ".change", "an envelope whose records change one property must say which object"
                        + " they change: add object-id, e.g. object-id: /objectId");
            }
            if (time == null) {
                c.problem(key + ".change", "an envelope whose records change one property must say when: add time,"
                        + " e.g. time: {timestamp: /occurredAt, from: unix-millis}; the newest change of a property"
                        + " wins");
            }
        }
        Envelope.NullValue nullValue = Envelope.NullValue.DEAD_LETTER;
        JsonNode nv = node.get("null-value");
        if (nv != null) {
            if (nv.isTextual() && nv.textValue().equals("skip")) {
                nullValue = Envelope.NullValue.SKIP;
            } else if (!nv.isTextual() || !nv.textValue().equals("dead-letter")) {
                c.problem(key + ".null-value", "expected skip (a null value is an expected tombstone, counted as a"
                        + " deliberate skip) or dead-letter (the default), got \"" + nv.asText() + "\"");
            }
        }
        PathTrie paths = c.objectPaths();
        if (paths != null) {
            // Where the object is must be parsed too, even when no expression reads it.
            for (Pointer p : objects) {
                paths.node(p.names());
            }
        }
        return new Envelope(name, file, description, when, objects, type, id, time, objectType, objectId, deleteWhen,
                change, nullValue, paths);
    }

    private static Expr text(ExprCompiler c, JsonNode node, String key, String member) {
        return node.has(member) ? c.field(node.get(member), key + "." + member, ExprCompiler.OPTIONAL_STRING, member)
                : null;
    }

    private static Envelope.Change change(ExprCompiler c, JsonNode ch, String key) {
        if (!ch.isObject()) {
            c.problem(key, "expected {property: <expr>, value: <expr>, into: <pointer>}, e.g. {property: /propertyName,"
                    + " value: /propertyValue, into: /properties}");
            return null;
        }
        for (Iterator<String> it = ch.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!CHANGE_KEYS.contains(k)) {
                c.problem(key + "." + k, "unknown key \"" + k + "\"; expected one of " + String.join(", ", CHANGE_KEYS));
            }
        }
        for (String k : CHANGE_KEYS) {
            if (!ch.has(k)) {
                c.problem(key, "missing " + k + "; a change says which property (property), its new value (value)"
                        + " and where the object keeps its properties (into)");
            }
        }
        Expr property = ch.has("property")
                ? c.field(ch.get("property"), key + ".property", ExprCompiler.OPTIONAL_STRING, "property")
                : ExprCompiler.ERROR_EXPR;
        Expr value = ch.has("value") ? c.json(ch.get("value"), key + ".value", "value") : ExprCompiler.ERROR_EXPR;
        Pointer into = Pointer.ROOT;
        JsonNode in = ch.get("into");
        if (in != null) {
            try {
                into = Pointer.parse(in.asText());
            } catch (IllegalArgumentException e) {
                c.problem(key + ".into", e.getMessage());
            }
        }
        return new Envelope.Change(property, value, into);
    }

    private static List<Pointer> pointers(ExprCompiler c, JsonNode node, String key) {
        List<Pointer> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        for (int i = 0; i < items.size(); i++) {
            JsonNode n = items.get(i);
            String k = node.isArray() ? key + "[" + i + "]" : key;
            if (!n.isTextual() || !n.textValue().startsWith("/")) {
                c.problem(k, "expected a JSON Pointer to the object, e.g. /data/object (or a list of them, the first"
                        + " that holds an object wins), got " + n);
                continue;
            }
            try {
                out.add(Pointer.parse(n.textValue()));
            } catch (IllegalArgumentException e) {
                c.problem(k, e.getMessage());
            }
        }
        return out;
    }

    /**
     * Envelope expressions read the raw value itself: {@code $envelope/…} would read what they are computing, and
     * {@code $event}/{@code $object} are what the envelope defines.
     */
    private static void refuseRoots(ExprCompiler c, JsonNode node, String key) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            refuse(c, e.getValue(), key + "." + e.getKey());
        }
    }

    private static void refuse(ExprCompiler c, JsonNode n, String key) {
        if (n.isTextual()) {
            String t = n.textValue();
            for (String root : List.of("$envelope", "$event", "$object")) {
                if (t.equals(root) || t.startsWith(root + "/")) {
                    c.problem(key, "envelope expressions read the raw value with plain paths (e.g. /type); "
                            + root + " is what the envelope itself defines, got \"" + t + "\"");
                }
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                refuse(c, n.get(i), key + "[" + i + "]");
            }
        } else if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                refuse(c, e.getValue(), key + "." + e.getKey());
            }
        }
    }
}
