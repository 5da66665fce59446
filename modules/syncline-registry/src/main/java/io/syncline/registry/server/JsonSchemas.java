package io.syncline.registry.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.syncline.registry.server.SchemaTypes.Parsed;
import io.syncline.registry.server.SchemaTypes.Resolved;

/**
 * JSON Schema: the schema is checked against its draft's meta-schema (from {@code $schema}; draft-07 when absent, as
 * Confluent defaults) with networknt's validator; every {@code $ref} must point inside the document or at a
 * registered reference (remote schemas are never fetched). The canonical text is the compact JSON of the document
 * (with {@code normalize}, keys sorted).
 *
 * <p>Compatibility follows Confluent's JSON Schema rules (its {@code SchemaDiff}, strict set): a reader may widen
 * what it accepts (extend types, enums and unions, relax or drop length, range, item and property-count limits, drop
 * required properties, open additional properties) but not narrow it; a property added where the writer's content
 * model was open must have an empty schema, one removed where the reader's model is closed is incompatible, and a
 * required property may only be added with a default.
 *
 * <p>Kept as one class over 600 lines on purpose: it is the whole of one {@link SchemaTypes.Type}, and its
 * compatibility rules are one recursive walk over a pair of documents that shares its state from node to node.
 */
final class JsonSchemas implements SchemaTypes.Type {

    static final JsonSchemas TYPE = new JsonSchemas();

    private static final Map<SpecificationVersion, Schema> META_SCHEMAS = new java.util.concurrent.ConcurrentHashMap<>();

    private JsonSchemas() {
    }

    /** The document and the documents of its references, by reference name. */
    record Model(JsonNode root, Map<String, JsonNode> references) {
    }

    @Override
    public String name() {
        return SchemaTypes.JSON;
    }

    @Override
    public Parsed parse(String text, List<Resolved> references, boolean normalize) {
        if (text == null || text.isBlank()) {
            throw RegistryException.invalidSchema("Empty schema");
        }
        JsonNode root = readJson(text, "the schema");
        if (!root.isObject() && !root.isBoolean()) {
            throw invalid("a JSON Schema is an object or a boolean, got " + root.getNodeType());
        }
        Map<String, JsonNode> referenced = new HashMap<>();
        collect(references, referenced);
        if (root.isObject()) {
            SpecificationVersion spec = specification(root);
            List<Error> errors = metaSchema(spec).validate(root);
            if (!errors.isEmpty()) {
                List<String> messages = new ArrayList<>();
                for (int i = 0; i < Math.min(5, errors.size()); i++) {
                    messages.add(errors.get(i).toString());
                }
                throw invalid("the schema does not conform to " + spec.getDialectId() + ": " + messages);
            }
            checkRefs(root, root, referenced.keySet());
        }
        JsonNode canonicalTree = normalize ? sorted(root) : root;
        try {
            return new Parsed(SchemaTypes.JSON, StoreRecords.JSON.writeValueAsString(canonicalTree),
                    new Model(canonicalTree, referenced), references);
        } catch (JsonProcessingException e) {
            throw invalid(e.getOriginalMessage());
        }
    }

    private static void collect(List<Resolved> references, Map<String, JsonNode> out) {
        for (Resolved r : references) {
            if (!SchemaTypes.JSON.equals(r.schemaType())) {
                throw invalid("reference '" + r.name() + "' (" + r.subject() + " version " + r.version() + ") is a "
                        + r.schemaType() + " schema; a JSON Schema can only reference JSON schemas");
            }
            out.put(r.name(), readJson(r.schema(), "referenced schema '" + r.name() + "'"));
            collect(r.references(), out);
        }
    }

    private static JsonNode readJson(String text, String what) {
        try {
            JsonNode node = StoreRecords.JSON.readTree(text);
            if (node == null) {
                throw invalid(what + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw invalid(what + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid(what + " cannot be read: " + e.getMessage());
        }
    }

    private static SpecificationVersion specification(JsonNode root) {
        String id = root.path("$schema").asText("");
        if (id.contains("draft-04")) {
            return SpecificationVersion.DRAFT_4;
        }
        if (id.contains("draft-06")) {
            return SpecificationVersion.DRAFT_6;
        }
        if (id.contains("2019-09")) {
            return SpecificationVersion.DRAFT_2019_09;
        }
        if (id.contains("2020-12")) {
            return SpecificationVersion.DRAFT_2020_12;
        }
        return SpecificationVersion.DRAFT_7;
    }

    private static Schema metaSchema(SpecificationVersion spec) {
        return META_SCHEMAS.computeIfAbsent(spec, s -> SchemaRegistry.withDefaultDialect(s)
                .getSchema(SchemaLocation.of(s.getDialectId())));
    }

    /** Every {@code $ref} must resolve inside the document or name a reference; remote schemas are not fetched. */
    private static void checkRefs(JsonNode root, JsonNode node, Set<String> referenceNames) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual()) {
                String target = ref.asText();
                if (target.startsWith("#")) {
                    if (!target.equals("#") && root.at(pointer(target)).isMissingNode()) {
                        throw invalid("$ref '" + target + "' does not resolve inside the schema");
                    }
                } else if (referenceNames.stream().noneMatch(name -> documentOf(target).equals(name)
                        || documentOf(target).endsWith("/" + name))) {
                    throw invalid("$ref '" + target + "' names no registered reference (the request's references are "
                            + referenceNames + "); remote schemas are not fetched");
                }
            }
            node.fields().forEachRemaining(e -> checkRefs(root, e.getValue(), referenceNames));
        } else if (node.isArray()) {
            node.forEach(n -> checkRefs(root, n, referenceNames));
        }
    }

    private static String documentOf(String ref) {
        int hash = ref.indexOf('#');
        return hash < 0 ? ref : ref.substring(0, hash);
    }

    private static String pointer(String ref) {
        int hash = ref.indexOf('#');
        String p = hash < 0 ? "" : ref.substring(hash + 1);
        return p.isEmpty() ? "" : p.startsWith("/") ? p : "/" + p;
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            new TreeMap<String, JsonNode>(fields(node)).forEach((k, v) -> out.set(k, sorted(v)));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(sorted(n)));
            return out;
        }
        return node;
    }

    private static Map<String, JsonNode> fields(JsonNode node) {
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private static RegistryException invalid(String detail) {
        return RegistryException.invalidSchema("Invalid schema of type JSON, details: " + detail);
    }

    // ---------------------------------------------------------------- compatibility

    @Override
    public List<String> readerProblems(Parsed reader, Parsed writer, String readerName, String writerName) {
        Diff diff = new Diff((Model) writer.model(), (Model) reader.model(), readerName, writerName);
        diff.compare(((Model) writer.model()).root(), ((Model) reader.model()).root(), "#");
        return new ArrayList<>(diff.problems);
    }

    /** Compares the writer's schema ({@code original}) with the reader's ({@code update}), collecting what breaks. */
    private static final class Diff {
        private final Model originalModel;
        private final Model updateModel;
        private final String reader;
        private final String writer;
        private final Set<String> problems = new LinkedHashSet<>();
        private final Set<String> inProgress = new HashSet<>();

        Diff(Model originalModel, Model updateModel, String reader, String writer) {
            this.originalModel = originalModel;
            this.updateModel = updateModel;
            this.reader = reader;
            this.writer = writer;
        }

        private void problem(String type, String path, String detail) {
            problems.add("{errorType:\"" + type + "\", description:\"" + detail.replace("%path", "'" + path + "'")
                    + "\"}");
        }

        private boolean compatible(JsonNode original, JsonNode update, String path) {
            Diff sub = new Diff(originalModel, updateModel, reader, writer);
            sub.inProgress.addAll(inProgress);
            sub.compare(original, update, path);
            return sub.problems.isEmpty();
        }

        void compare(JsonNode originalIn, JsonNode updateIn, String path) {
            JsonNode original = deref(originalIn, originalModel);
            JsonNode update = deref(updateIn, updateModel);
            if (isEmpty(update) || isFalse(original)) {
                return; // the reader accepts anything, or the writer wrote nothing
            }
            if (isEmpty(original) || isFalse(update)) {
                problem("TYPE_NARROWED", path, "The " + reader + " schema at path %path accepts less than the "
                        + writer + " schema, which accepts any value");
                return;
            }
            String pair = System.identityHashCode(original) + "/" + System.identityHashCode(update);
            if (!inProgress.add(pair)) {
                return; // a recursive schema: the pair is being compared further up
            }
            try {
                compareTypes(original, update, path);
            } finally {
                inProgress.remove(pair);
            }
        }

        private void compareTypes(JsonNode original, JsonNode update, String path) {
            String oc = combiner(original);
            String uc = combiner(update);
            if (oc == null && uc != null && !uc.equals("allOf")) {
                for (JsonNode sub : update.get(uc)) {
                    if (compatible(original, sub, path)) {
                        return; // SUM_TYPE_EXTENDED
                    }
                }
                problem("SUM_TYPE_NARROWED", path, "No alternative of the " + reader + " schema's " + uc
                        + " at path %path accepts the " + writer + " schema");
                return;
            }
            if (oc != null && oc.equals("allOf") && uc == null) {
                for (JsonNode sub : original.get(oc)) {
                    if (compatible(sub, update, path)) {
                        return; // PRODUCT_TYPE_NARROWED
                    }
                }
            }
            if (oc != null || uc != null) {
                compareCombined(original, update, oc, uc, path);
                if (oc != null && uc != null) {
                    return;
                }
            }
            Set<String> ot = types(original);
            Set<String> ut = types(update);
            if (!ut.isEmpty()) {
                if (ot.isEmpty()) {
                    problem("TYPE_NARROWED", path, "The " + reader + " schema restricts the type at path %path to "
                            + ut + "; the " + writer + " schema allows any type");
                    return;
                }
                for (String t : ot) {
                    if (!ut.contains(t) && !(t.equals("integer") && ut.contains("number"))) {
                        problem("TYPE_CHANGED", path, "The type at path %path in the " + reader + " schema ("
                                + ut + ") does not accept " + t + " of the " + writer + " schema (" + ot + ")");
                        return;
                    }
                }
            }
            compareEnumAndConst(original, update, path);
            compareString(original, update, path);
            compareNumber(original, update, path);
            compareObject(original, update, path);
            compareArray(original, update, path);
            if (update.has("not")) {
                if (!original.has("not") || !compatible(update.get("not"), original.get("not"), path + "/not")) {
                    problem("NOT_TYPE_EXTENDED", path + "/not", "The " + reader + " schema's not at path %path"
                            + " excludes values the " + writer + " schema allows");
                }
            }
        }

        private void compareCombined(JsonNode original, JsonNode update, String oc, String uc, String path) {
            if (oc == null || uc == null) {
                if (uc != null && uc.equals("allOf")) {
                    for (JsonNode sub : update.get(uc)) {
                        compare(original, sub, path + "/allOf");
                    }
                } else if (oc != null && !oc.equals("allOf")) {
                    for (JsonNode sub : original.get(oc)) {
                        compare(sub, update, path + "/" + oc);
                    }
                }
                return;
            }
            if (!oc.equals(uc) && !(oc.equals("oneOf") && uc.equals("anyOf"))) {
                problem("COMBINED_TYPE_CHANGED", path, "The combination at path %path changed from " + oc + " to "
                        + uc);
                return;
            }
            if (uc.equals("allOf")) {
                int i = 0;
                for (JsonNode u : update.get(uc)) {
                    boolean covered = false;
                    for (JsonNode o : original.get(oc)) {
                        covered |= compatible(o, u, path + "/allOf/" + i);
                    }
                    if (!covered) {
                        problem("PRODUCT_TYPE_EXTENDED", path + "/allOf/" + i, "The " + reader + " schema adds a"
                                + " constraint at path %path that the " + writer + " schema's allOf does not imply");
                    }
                    i++;
                }
                return;
            }
            int i = 0;
            for (JsonNode o : original.get(oc)) {
                boolean covered = false;
                for (JsonNode u : update.get(uc)) {
                    covered |= compatible(o, u, path + "/" + oc + "/" + i);
                }
                if (!covered) {
                    problem("SUM_TYPE_NARROWED", path + "/" + oc + "/" + i, "The " + reader + " schema's " + uc
                            + " at path %path has no alternative for this alternative of the " + writer + " schema");
                }
                i++;
            }
        }

        private void compareEnumAndConst(JsonNode original, JsonNode update, String path) {
            if (update.has("enum")) {
                Set<JsonNode> allowed = new HashSet<>();
                update.get("enum").forEach(allowed::add);
                if (!original.has("enum") && !original.has("const")) {
                    problem("ENUM_ARRAY_NARROWED", path + "/enum", "The " + reader + " schema restricts the values at"
                            + " path %path to an enum the " + writer + " schema does not have");
                } else {
                    List<JsonNode> written = new ArrayList<>();
                    if (original.has("enum")) {
                        original.get("enum").forEach(written::add);
                    } else {
                        written.add(original.get("const"));
                    }
                    if (!allowed.containsAll(written)) {
                        problem("ENUM_ARRAY_NARROWED", path + "/enum", "The enum at path %path in the " + reader
                                + " schema lacks values of the " + writer + " schema");
                    }
                }
            }
            if (update.has("const") && !update.get("const").equals(original.get("const"))) {
                problem(original.has("const") ? "CONST_CHANGED" : "CONST_ADDED", path + "/const", "The const at path"
                        + " %path in the " + reader + " schema differs from the " + writer + " schema");
            }
        }

        private void compareString(JsonNode original, JsonNode update, String path) {
            upperBound(original, update, "maxLength", path, "MAX_LENGTH");
            lowerBound(original, update, "minLength", path, "MIN_LENGTH");
            if (update.has("pattern") && !update.get("pattern").equals(original.get("pattern"))) {
                problem(original.has("pattern") ? "PATTERN_CHANGED" : "PATTERN_ADDED", path + "/pattern", "The pattern"
                        + " at path %path in the " + reader + " schema is not the " + writer + " schema's");
            }
        }

        private void compareNumber(JsonNode original, JsonNode update, String path) {
            upperBound(original, update, "maximum", path, "MAXIMUM");
            lowerBound(original, update, "minimum", path, "MINIMUM");
            if (update.path("exclusiveMaximum").isNumber() || original.path("exclusiveMaximum").isNumber()) {
                upperBound(original, update, "exclusiveMaximum", path, "EXCLUSIVE_MAXIMUM");
            }
            if (update.path("exclusiveMinimum").isNumber() || original.path("exclusiveMinimum").isNumber()) {
                lowerBound(original, update, "exclusiveMinimum", path, "EXCLUSIVE_MINIMUM");
            }
            if (update.has("multipleOf")) {
                double u = update.get("multipleOf").asDouble();
                double o = original.path("multipleOf").asDouble(0);
                if (o == 0 || (o / u) != Math.rint(o / u)) {
                    problem(o == 0 ? "MULTIPLE_OF_ADDED" : "MULTIPLE_OF_EXPANDED", path + "/multipleOf", "The"
                            + " multipleOf at path %path in the " + reader + " schema rejects values the " + writer
                            + " schema allows");
                }
            }
        }

        private void compareObject(JsonNode original, JsonNode update, String path) {
            upperBound(original, update, "maxProperties", path, "MAX_PROPERTIES");
            lowerBound(original, update, "minProperties", path, "MIN_PROPERTIES");
            JsonNode op = original.path("properties");
            JsonNode up = update.path("properties");
            Set<String> names = new LinkedHashSet<>();
            op.fieldNames().forEachRemaining(names::add);
            up.fieldNames().forEachRemaining(names::add);
            JsonNode oa = original.get("additionalProperties");
            JsonNode ua = update.get("additionalProperties");
            for (String name : names) {
                String p = path + "/properties/" + name;
                JsonNode o = op.get(name);
                JsonNode u = up.get(name);
                if (o != null && u != null) {
                    compare(o, u, p);
                } else if (o != null) {
                    // Removed from the reader: data written with it must still fit the reader's content model.
                    if (ua != null && isFalse(ua)) {
                        problem("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", p, "The property at path %path is in the "
                                + writer + " schema but the " + reader + " schema does not allow additional"
                                + " properties");
                    } else if (ua != null && ua.isObject() && !isEmpty(ua) && !compatible(o, ua, p)) {
                        problem("PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", p, "The property at"
                                + " path %path of the " + writer + " schema does not fit the " + reader
                                + " schema's additionalProperties");
                    }
                } else {
                    // Added in the reader: whatever the writer may have put under that name must fit it.
                    if (oa != null && isFalse(oa)) {
                        continue; // OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL
                    }
                    if (oa != null && oa.isObject() && !isEmpty(oa)) {
                        if (!compatible(oa, u, p)) {
                            problem("PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", p, "The property"
                                    + " at path %path of the " + reader + " schema does not accept what the " + writer
                                    + " schema's additionalProperties allow");
                        }
                    } else if (!isEmpty(u)) {
                        problem("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", p, "The " + reader + " schema adds the property"
                                + " at path %path, but the " + writer + " schema's content model is open, so data"
                                + " written with it may hold any value there");
                    }
                }
            }
            Set<String> originalRequired = new HashSet<>();
            original.path("required").forEach(n -> originalRequired.add(n.asText()));
            for (JsonNode r : update.path("required")) {
                String name = r.asText();
                if (!originalRequired.contains(name) && !up.path(name).has("default")) {
                    problem("REQUIRED_ATTRIBUTE_ADDED",
                            path + "/required/" + name, "The " + reader + " schema requires the property " + name
                            + " at path %path, which the " + writer + " schema does not require, and it has no"
                            + " default");
                }
            }
            if (ua != null && !isEmpty(ua)) {
                if (oa == null || isEmpty(oa)) {
                    problem(isFalse(ua) ? "ADDITIONAL_PROPERTIES_REMOVED" : "ADDITIONAL_PROPERTIES_NARROWED",
                            path + "/additionalProperties", "The " + reader + " schema restricts additional properties"
                            + " at path %path, which the " + writer + " schema allows freely");
                } else if (!isFalse(oa)) {
                    compare(oa, ua, path + "/additionalProperties");
                }
            }
        }

        private void compareArray(JsonNode original, JsonNode update, String path) {
            upperBound(original, update, "maxItems", path, "MAX_ITEMS");
            lowerBound(original, update, "minItems", path, "MIN_ITEMS");
            if (update.path("uniqueItems").asBoolean(false) && !original.path("uniqueItems").asBoolean(false)) {
                problem("UNIQUE_ITEMS_ADDED", path + "/uniqueItems", "The " + reader + " schema requires unique items"
                        + " at path %path; the " + writer + " schema does not");
            }
            JsonNode oi = original.get("items");
            JsonNode ui = update.get("items");
            if (ui != null && ui.isArray()) {
                for (int i = 0; i < ui.size(); i++) {
                    JsonNode o = oi != null && oi.isArray() && i < oi.size() ? oi.get(i)
                            : oi != null && !oi.isArray() ? oi : original.get("additionalItems");
                    compare(o == null ? JsonNodeFactory.instance.booleanNode(true) : o, ui.get(i),
                            path + "/items/" + i);
                }
            } else if (ui != null) {
                if (oi == null) {
                    compare(JsonNodeFactory.instance.booleanNode(true), ui, path + "/items");
                } else if (oi.isArray()) {
                    for (int i = 0; i < oi.size(); i++) {
                        compare(oi.get(i), ui, path + "/items/" + i);
                    }
                } else {
                    compare(oi, ui, path + "/items");
                }
            }
        }

        private void upperBound(JsonNode original, JsonNode update, String keyword, String path, String type) {
            JsonNode u = update.get(keyword);
            if (u == null || !u.isNumber()) {
                return;
            }
            JsonNode o = original.get(keyword);
            if (o == null || !o.isNumber()) {
                problem(type + "_ADDED", path + "/" + keyword, "The keyword at path %path in the " + reader
                        + " schema is not present in the " + writer + " schema");
            } else if (u.decimalValue().compareTo(o.decimalValue()) < 0) {
                problem(type + "_DECREASED", path + "/" + keyword, "The value at path %path in the " + reader
                        + " schema is less than its value in the " + writer + " schema");
            }
        }

        private void lowerBound(JsonNode original, JsonNode update, String keyword, String path, String type) {
            JsonNode u = update.get(keyword);
            if (u == null || !u.isNumber()) {
                return;
            }
            JsonNode o = original.get(keyword);
            if (o == null || !o.isNumber()) {
                problem(type + "_ADDED", path + "/" + keyword, "The keyword at path %path in the " + reader
                        + " schema is not present in the " + writer + " schema");
            } else if (u.decimalValue().compareTo(o.decimalValue()) > 0) {
                problem(type + "_INCREASED", path + "/" + keyword, "The value at path %path in the " + reader
                        + " schema is more than its value in the " + writer + " schema");
            }
        }

        private static String combiner(JsonNode node) {
            for (String c : List.of("oneOf", "anyOf", "allOf")) {
                if (node.path(c).isArray()) {
                    return c;
                }
            }
            return null;
        }

        private static Set<String> types(JsonNode node) {
            Set<String> out = new LinkedHashSet<>();
            JsonNode t = node.get("type");
            if (t != null && t.isTextual()) {
                out.add(t.asText());
            } else if (t != null && t.isArray()) {
                t.forEach(v -> out.add(v.asText()));
            }
            return out;
        }

        private static boolean isFalse(JsonNode node) {
            return node != null && node.isBoolean() && !node.asBoolean();
        }

        /** {@code true}, {@code {}} or a schema with only annotations: accepts any value. */
        private static boolean isEmpty(JsonNode node) {
            if (node == null || (node.isBoolean() && node.asBoolean())) {
                return true;
            }
            if (!node.isObject()) {
                return false;
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!Set.of("$schema", "$id", "id", "title", "description", "$comment", "default", "examples",
                        "definitions", "$defs").contains(f)) {
                    return false;
                }
            }
            return true;
        }

        /** Follows {@code $ref} to the schema it names, inside the document or in a reference's document. */
        private static JsonNode deref(JsonNode node, Model model) {
            JsonNode current = node;
            JsonNode root = model.root();
            for (int hops = 0; hops < 32 && current != null && current.isObject() && current.has("$ref"); hops++) {
                String ref = current.get("$ref").asText();
                JsonNode document = root;
                String doc = documentOf(ref);
                if (!doc.isEmpty()) {
                    document = null;
                    for (Map.Entry<String, JsonNode> e : model.references().entrySet()) {
                        if (doc.equals(e.getKey()) || doc.endsWith("/" + e.getKey())) {
                            document = e.getValue();
                        }
                    }
                    if (document == null) {
                        return current;
                    }
                    root = document;
                }
                JsonNode target = document.at(pointer(ref));
                if (target.isMissingNode()) {
                    return current;
                }
                current = target;
            }
            return current;
        }
    }
}
