package io.syncline.mapping;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncline.json.PathTrie;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Compiles expressions of the mapping language (source paths, constants and {@link Transforms transforms}) into
 * {@link Expr}s, for an Avro target (a canonical field: the normalizer's mappings) or a JSON target (a request body or
 * a property of a sink). What can never work is reported at compile time, each problem under the key it was found
 * at, so that one run reports all of them; the caller decides how a key is shown (file and line, or config key).
 *
 * <p>It also records which JSON paths the compiled expressions read ({@link #objectPaths()}), so that a reader can
 * skip the rest of each record.
 *
 * <p>One compiler per mapping (or per configuration); not thread-safe. The compiled expressions are immutable and
 * shared by all threads.
 */
public final class ExprCompiler {

    /** Where compile problems go: a key (e.g. {@code fields.amount.currency}) and what is wrong there. */
    @FunctionalInterface
    public interface Problems {
        void report(String key, String message);
    }

    public static final Schema STRING = Schema.create(Schema.Type.STRING);
    public static final Schema OPTIONAL_STRING = Schema.createUnion(Schema.create(Schema.Type.NULL), STRING);
    public static final Schema TIMESTAMP = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    public static final Schema BOOLEAN = Schema.create(Schema.Type.BOOLEAN);

    /** Placeholder for a part that failed to compile (already reported); suppresses follow-on problems. */
    public static final Typed ERROR = Typed.of(ValueKind.JSON, ctx -> null);
    public static final Expr ERROR_EXPR = ERROR.expr();

    static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final Problems problems;
    private String system = "";
    private boolean omitNullMembers = true;
    private java.util.function.Function<String, String> secrets;
    // What the expressions read, so the parser can skip the rest of each record.
    private final PathTrie objectPaths = new PathTrie();
    private final PathTrie eventPaths = new PathTrie();
    private final Deque<String[]> bases = new ArrayDeque<>(List.<String[]>of(new String[0]));
    private boolean readsEverything;
    private int suppressUsage;
    private int problemCount;

    public ExprCompiler(Problems problems) {
        this.problems = problems;
    }

    // ---- problems ----------------------------------------------------------------------------------------------

    /** Reports a problem at {@code key}. */
    public void problem(String key, String message) {
        problemCount++;
        problems.report(key, message);
    }

    /** How many problems were reported so far. */
    public int problemCount() {
        return problemCount;
    }

    Typed fail(String key, String message) {
        problem(key, message);
        return ERROR;
    }

    /** The system {@code ref} prefixes ids with when it names none, e.g. {@code stripe}; empty: ref needs system. */
    public ExprCompiler system(String system) {
        this.system = system == null ? "" : system;
        return this;
    }

    public String system() {
        return system;
    }

    /**
     * How secret references ({@code env:NAME}, {@code file:PATH}) in a mapping resolve, e.g. the hash transform's
     * key: the caller passes its secret resolver (the normalizer: syncline-config's SecretRef). Its exceptions must
     * name the reference, never the value.
     */
    public ExprCompiler secrets(java.util.function.Function<String, String> resolver) {
        this.secrets = resolver;
        return this;
    }

    /** The secret {@code reference} names; throws when there is no resolver here or it cannot be read. */
    String secret(String reference) {
        if (secrets == null) {
            throw new IllegalStateException("secret " + reference + " cannot be resolved here: keys are resolved"
                    + " where mappings are compiled with secrets (the normalizer)");
        }
        return secrets.apply(reference);
    }

    /** Whether objects built for a JSON target leave out members whose value is null (the default) or keep them. */
    public ExprCompiler omitNullMembers(boolean omit) {
        this.omitNullMembers = omit;
        return this;
    }

    boolean omitNullMembers() {
        return omitNullMembers;
    }

    // ---- what the mapping reads ----------------------------------------------------------------------------------

    private void use(SourcePath.Usage u) {
        switch (u.root()) {
            case CURRENT -> {
                objectPaths.add(concat(bases.peek(), u.segments()), 0);
            }
            case OBJECT -> objectPaths.add(u.segments(), 0);
            case EVENT -> eventPaths.add(u.segments(), 0);
            default -> {
                // headers and record coordinates are not in the JSON
            }
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Compiles the base expression of {@code record from}/{@code each} and returns the base for the inner paths. */
    Typed base(JsonNode node, String path, boolean array) {
        suppressUsage++;
        Typed t;
        try {
            // Any kind: the caller says what it needs ("each needs a path to a JSON array").
            t = value(node, path);
        } finally {
            suppressUsage--;
        }
        String[] base = null;
        if (node != null && node.isTextual()) {
            SourcePath.Usage u = SourcePath.usage(node.textValue());
            if (u.root() == SourcePath.Root.CURRENT) {
                base = concat(bases.peek(), u.segments());
            } else if (u.root() == SourcePath.Root.OBJECT) {
                base = u.segments();
            }
        }
        if (base == null) {
            // A computed base (coalesce, event paths…): do not guess what lies under it.
            readsEverything = true;
            bases.push(new String[0]);
            return t;
        }
        if (array) {
            base = concat(base, new String[] {PathTrie.ANY_ELEMENT});
        }
        objectPaths.node(base);
        bases.push(base);
        return t;
    }

    /** Ends the scope opened by {@link #base}. */
    void endBase() {
        bases.pop();
    }

    /** Nothing may be skipped: a Java function, or a caller that reads the whole object itself, sees all of it. */
    public void readsEverything() {
        readsEverything = true;
    }

    /** The paths read of the object (relative paths and {@code $object/…}), or null when anything may be read. */
    public PathTrie objectPaths() {
        return readsEverything ? null : objectPaths;
    }

    /** The paths read of the event envelope ({@code $event/…}), or null when anything may be read. */
    public PathTrie eventPaths() {
        return readsEverything ? null : eventPaths;
    }

    // ---- values ------------------------------------------------------------------------------------------------

    /** Compiles an expression where any value is expected (an input of a transform). */
    public Typed value(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return Typed.of(ValueKind.JSON, ctx -> null);
        }
        if (node.isTextual()) {
            String text = node.textValue();
            if (!SourcePath.looksLikePath(text)) {
                return fail(path, "\"" + text + "\" is neither a source path nor a constant: write /" + text
                        + " for a field of the source object, or {const: " + text + "} for a constant");
            }
            try {
                Typed compiled = SourcePath.compile(text);
                if (suppressUsage == 0) {
                    use(SourcePath.usage(text));
                }
                return compiled;
            } catch (IllegalArgumentException e) {
                return fail(path, e.getMessage());
            }
        }
        if (node.isNumber() || node.isBoolean()) {
            return Transforms.constant(node);
        }
        if (node.isArray()) {
            return fail(path, "a list is not an expression; combine values with {coalesce: […]} or {concat: […]}");
        }
        Transform t = transformOf((ObjectNode) node, path);
        if (t == null) {
            return ERROR;
        }
        if (t.value() == null) {
            return fail(path, "'" + t.name() + "' shapes a canonical field (enum, record, array or map) and can only"
                    + " stand directly under a field, not inside another transform");
        }
        return t.value().compile(this, (ObjectNode) node, path);
    }

    /** Compiles an expression that must produce {@code kind}, e.g. the boolean of {@code delete-when}. */
    public Typed valueOf(JsonNode node, String path, ValueKind... kinds) {
        Typed t = value(node, path);
        if (t == ERROR || t.kind() == ValueKind.JSON || t.kind() == ValueKind.AVRO) {
            return t;
        }
        for (ValueKind k : kinds) {
            if (t.kind() == k) {
                return t;
            }
        }
        return fail(path, "expected " + describeKinds(kinds) + ", but this produces " + t.kind().description());
    }

    private static String describeKinds(ValueKind... kinds) {
        return Arrays.stream(kinds).map(ValueKind::description).collect(Collectors.joining(" or "));
    }

    /** Finds the transform an object names, checking its options; reports and returns null when it cannot. */
    Transform transformOf(ObjectNode node, String path) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (Transforms.BY_NAME.containsKey(key)) {
                names.add(key);
            }
        }
        if (names.isEmpty()) {
            String keys = String.join(", ", iterable(node.fieldNames()));
            problem(path, "unknown transform {" + keys + "}; expected one of " + String.join(", ",
                    Transforms.BY_NAME.keySet()));
            return null;
        }
        List<String> keys = iterable(node.fieldNames());
        if (names.size() > 1) {
            // Some options share a name with a transform (money's currency, each's record): the transform is the
            // key whose options cover all the others.
            List<String> fitting = names.stream().filter(n -> Transforms.BY_NAME.get(n).options().containsAll(
                    keys.stream().filter(k -> !k.equals(n)).toList())).toList();
            if (fitting.size() != 1) {
                problem(path, "one transform per object, found " + String.join(" and ", names)
                        + "; nest them instead, e.g. {email: {coalesce: […]}}");
                return null;
            }
            names = fitting;
        }
        Transform t = Transforms.BY_NAME.get(names.get(0));
        boolean ok = true;
        for (String key : iterable(node.fieldNames())) {
            if (!key.equals(t.name()) && !t.options().contains(key)) {
                problem(path + "." + key, "unknown option \"" + key + "\" for " + t.name() + (t.options().isEmpty()
                        ? " (it takes none)" : "; expected " + String.join(", ", t.options())));
                ok = false;
            }
        }
        return ok ? t : null;
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    // ---- fields ------------------------------------------------------------------------------------------------

    /** The non-null branch of an optional union, the schema itself when it is not a union, null when unsupported. */
    public static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        List<Schema> types = schema.getTypes();
        List<Schema> rest = types.stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        return rest.size() == 1 ? rest.get(0) : null;
    }

    public static boolean nullable(Schema schema) {
        return schema.getType() == Schema.Type.NULL || (schema.getType() == Schema.Type.UNION
                && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL));
    }

    /**
     * Compiles the expression of a canonical field: the result is a value valid for {@code target}, or null
     * (the caller decides what null means: the default, null, or a mapping error).
     */
    public Expr field(JsonNode node, String path, Schema target, String label) {
        Schema x = nonNull(target);
        if (x == null) {
            problem(path, "field " + label + " has the union type " + target + ", which mappings cannot fill;"
                    + " use a {java: …} function");
            return ERROR_EXPR;
        }
        if (node != null && node.isObject()) {
            Transform t = transformOf((ObjectNode) node, path);
            if (t == null) {
                return ERROR_EXPR;
            }
            if (t.field() != null) {
                return t.field().compile(this, (ObjectNode) node, path, x, label);
            }
            if (t.name().equals("const") && x.getType() == Schema.Type.ENUM) {
                return Transforms.constantEnum(this, node.get("const"), path, x);
            }
        }
        return convert(value(node, path), x, path, label);
    }

    /** Converts a plain value to the Java value Avro writes for {@code x}; reports what can never convert. */
    Expr convert(Typed t, Schema x, String path, String label) {
        return AvroConversions.convert(this, t, x, path, label);
    }

    public static String typeName(Schema s) {
        if (s.getType() == Schema.Type.UNION) {
            return s.getTypes().stream().map(ExprCompiler::typeName).collect(Collectors.joining(" | "));
        }
        if (s.getLogicalType() != null) {
            return s.getType().getName() + " (" + s.getLogicalType().getName() + ")";
        }
        return switch (s.getType()) {
            case RECORD, ENUM, FIXED -> s.getType().getName() + " " + s.getName();
            case ARRAY -> "array of " + typeName(s.getElementType());
            case MAP -> "map of " + typeName(s.getValueType());
            default -> s.getType().getName();
        };
    }

    // ---- records -----------------------------------------------------------------------------------------------

    /**
     * Compiles {@code fields} (canonical field name → expression) for a record schema.
     *
     * @param skip fields filled by the normalizer itself (the change metadata), not by the mapping
     */
    public RecordExpr record(JsonNode fields, String path, Schema schema, String labelPrefix, Set<String> skip) {
        return record(fields, path, schema, labelPrefix, skip, Set.of());
    }

    /** As {@link #record(JsonNode, String, Schema, String, Set)}; {@code auto} fields may be left out (filled later). */
    public RecordExpr record(JsonNode fields, String path, Schema schema, String labelPrefix, Set<String> skip,
            Set<String> auto) {
        List<Schema.Field> all = schema.getFields();
        Expr[] exprs = new Expr[all.size()];
        if (fields == null || !fields.isObject()) {
            problem(path, "expected the fields of " + schema.getFullName() + " as a mapping of field name to"
                    + " expression");
            fields = NODES.objectNode();
        }
        Set<String> known = new LinkedHashSet<>();
        all.forEach(f -> known.add(f.name()));
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String fieldPath = path + "." + entry.getKey();
            Schema.Field f = schema.getField(entry.getKey());
            if (f == null) {
                problem(fieldPath, "no field \"" + entry.getKey() + "\" in " + schema.getFullName()
                        + closest(entry.getKey(), known) + "; its fields are " + String.join(", ", known));
                continue;
            }
            if (skip.contains(f.name())) {
                problem(fieldPath, "field " + f.name() + " is filled by the normalizer from source-id, updated-at,"
                        + " event-id, trace-id and delete-when; remove it from fields");
                continue;
            }
            exprs[f.pos()] = field(entry.getValue(), fieldPath, f.schema(), labelPrefix + f.name());
        }
        Object[] defaults = new Object[all.size()];
        boolean[] nullable = new boolean[all.size()];
        boolean[] hasDefault = new boolean[all.size()];
        String[] labels = new String[all.size()];
        for (Schema.Field f : all) {
            int i = f.pos();
            labels[i] = labelPrefix + f.name();
            nullable[i] = nullable(f.schema());
            hasDefault[i] = f.hasDefaultValue();
            if (f.hasDefaultValue()) {
                defaults[i] = GenericData.get().getDefaultValue(f);
            }
            if (exprs[i] == null && !skip.contains(f.name()) && !auto.contains(f.name()) && !nullable[i]
                    && !hasDefault[i]) {
                problem(path, "required field " + labelPrefix + f.name() + " (" + typeName(f.schema())
                        + ") of " + schema.getFullName() + " is not mapped");
            }
        }
        return new RecordExpr(schema, exprs, defaults, nullable, hasDefault, labels);
    }

    // ---- JSON targets -------------------------------------------------------------------------------------------

    /**
     * Compiles the expression of a member of a JSON target (a request body, a CRM property): the result is a
     * {@link JsonNode}, or null when there is no value (the caller decides whether null is sent or left out). Plain
     * values become JSON as they are (text, numbers, true/false, a JSON value from the source), timestamps ISO-8601
     * instants in UTC; {@code record}, {@code each}, {@code map}, {@code enum} and {@code money} build JSON; a
     * transform that only fills Avro fields ({@code java}) is refused.
     */
    public Expr json(JsonNode node, String path, String label) {
        if (node != null && node.isObject()) {
            Transform t = transformOf((ObjectNode) node, path);
            if (t == null) {
                return ERROR_EXPR;
            }
            if (t.json() != null) {
                return t.json().compile(this, (ObjectNode) node, path, label);
            }
            if (t.value() == null) {
                problem(path, "'" + t.name() + "' fills fields of canonical Avro records only; it cannot build a"
                        + " JSON value");
                return ERROR_EXPR;
            }
        }
        return toJson(value(node, path));
    }

    /** Converts a compiled plain value to JSON (see {@link #json}). */
    Expr toJson(Typed t) {
        if (t == ERROR) {
            return ERROR_EXPR;
        }
        Expr e = t.expr();
        if (t.kind() == ValueKind.TIMESTAMP) {
            return ctx -> {
                Long ms = (Long) e.eval(ctx);
                return ms == null ? null : NODES.textNode(Values.isoInstant(ms));
            };
        }
        return ctx -> Values.json(e.eval(ctx));
    }

    /**
     * Compiles a JSON object: {@code fields} maps member names to expressions (see {@link #json}); members without a
     * value are left out or kept as null, per {@link #omitNullMembers}.
     */
    public Expr jsonObject(JsonNode fields, String path, String labelPrefix) {
        if (fields == null || !fields.isObject()) {
            problem(path, "expected the members of a JSON object as a mapping of name to expression, e.g."
                    + " {email: /email}");
            return ERROR_EXPR;
        }
        int n = fields.size();
        String[] names = new String[n];
        String[] labels = new String[n];
        Expr[] exprs = new Expr[n];
        int i = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); i++) {
            Map.Entry<String, JsonNode> entry = it.next();
            names[i] = entry.getKey();
            labels[i] = labelPrefix + entry.getKey();
            exprs[i] = json(entry.getValue(), path.isEmpty() ? entry.getKey() : path + "." + entry.getKey(),
                    labelPrefix + entry.getKey());
        }
        boolean omit = omitNullMembers;
        return ctx -> {
            ObjectNode out = NODES.objectNode();
            for (int k = 0; k < exprs.length; k++) {
                JsonNode v;
                try {
                    v = (JsonNode) exprs[k].eval(ctx);
                } catch (MappingException e) {
                    String label = labels[k];
                    if (e.field().equals(label) || e.field().startsWith(label + ".") || e.field().startsWith(label
                            + "[")) {
                        throw e; // already named by a nested object
                    }
                    // Name the member, as a canonical field names itself: "amount: currency: … is not ISO-4217".
                    throw new MappingException(label, e.getMessage());
                }
                if (v == null || v.isNull()) {
                    if (!omit) {
                        out.putNull(names[k]);
                    }
                    continue;
                }
                out.set(names[k], v);
            }
            return out;
        };
    }

    private static String closest(String name, Set<String> known) {
        String n = name.toLowerCase(Locale.ROOT).replaceAll("[_-]", "");
        for (String k : known) {
            if (k.toLowerCase(Locale.ROOT).replaceAll("[_-]", "").equals(n)) {
                return " (did you mean " + k + "?)";
            }
        }
        return "";
    }
}
