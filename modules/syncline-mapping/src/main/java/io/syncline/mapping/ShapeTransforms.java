package io.syncline.mapping;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncline.mapping.spi.MappingFunction;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Shapes: enum, record, each, map and java, which build a value for the target they stand under: an Avro enum,
 * record, array or map of a canonical field, or JSON text, objects and arrays in a JSON target.
 */
final class ShapeTransforms {

    private ShapeTransforms() {
    }

    static Expr enumField(ExprCompiler c, ObjectNode node, String path, Schema x, String label) {
        if (x.getType() != Schema.Type.ENUM) {
            c.problem(path, "enum fills enum fields; field " + label + " is " + ExprCompiler.typeName(x));
            return ExprCompiler.ERROR_EXPR;
        }
        List<String> symbols = x.getEnumSymbols();
        Typed in = c.valueOf(node.get("enum"), path + ".enum", ValueKind.TEXT, ValueKind.INTEGER,
                ValueKind.BOOLEAN);
        Map<String, GenericData.EnumSymbol> table = new HashMap<>();
        JsonNode values = node.get("values");
        if (values == null || !values.isObject() || values.isEmpty()) {
            c.problem(path + ".values", "expected source values mapped to symbols, e.g. {succeeded: SUCCEEDED}");
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode sym = e.getValue();
                if (sym == null || !sym.isTextual() || !symbols.contains(sym.textValue())) {
                    c.problem(path + ".values." + e.getKey(), "\"" + (sym == null ? "" : sym.asText())
                            + "\" is not a symbol of " + x.getName() + "; expected one of " + String.join(", ",
                            symbols));
                } else {
                    table.put(e.getKey(), new GenericData.EnumSymbol(x, sym.textValue()));
                }
            }
        }
        GenericData.EnumSymbol fallback = null;
        if (!node.has("default")) {
            c.problem(path, "enum needs an explicit default (a symbol of " + x.getName() + ", or null for an optional"
                    + " field): the source may send values nobody listed");
        } else if (!node.get("default").isNull()) {
            JsonNode d = node.get("default");
            if (!d.isTextual() || !symbols.contains(d.textValue())) {
                c.problem(path + ".default", "\"" + d.asText() + "\" is not a symbol of " + x.getName()
                        + "; expected one of " + String.join(", ", symbols));
            } else {
                fallback = new GenericData.EnumSymbol(x, d.textValue());
            }
        }
        if (in == ExprCompiler.ERROR) {
            return ExprCompiler.ERROR_EXPR;
        }
        Expr e = in.expr();
        GenericData.EnumSymbol def = fallback;
        return ctx -> {
            Object v = e.eval(ctx);
            if (v == null) {
                return def;
            }
            GenericData.EnumSymbol s = table.get(Values.text(v, label));
            return s == null ? def : s;
        };
    }

    static Expr enumJson(ExprCompiler c, ObjectNode node, String path, String label) {
        Typed in = c.valueOf(node.get("enum"), path + ".enum", ValueKind.TEXT, ValueKind.INTEGER,
                ValueKind.BOOLEAN);
        Map<String, JsonNode> table = new HashMap<>();
        JsonNode values = node.get("values");
        if (values == null || !values.isObject() || values.isEmpty()) {
            c.problem(path + ".values", "expected source values mapped to text, e.g. {succeeded: paid}");
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    c.problem(path + ".values." + e.getKey(), "expected text, got " + Values.describe(e.getValue()));
                } else {
                    table.put(e.getKey(), e.getValue());
                }
            }
        }
        JsonNode fallback = null;
        if (!node.has("default")) {
            c.problem(path, "enum needs an explicit default (text, or null to leave the value out): the source may"
                    + " send values nobody listed");
        } else if (!node.get("default").isNull()) {
            if (!node.get("default").isTextual()) {
                c.problem(path + ".default", "expected text or null, got " + Values.describe(node.get("default")));
            } else {
                fallback = node.get("default");
            }
        }
        if (in == ExprCompiler.ERROR) {
            return ExprCompiler.ERROR_EXPR;
        }
        Expr e = in.expr();
        JsonNode def = fallback;
        return ctx -> {
            Object v = e.eval(ctx);
            if (v == null) {
                return def;
            }
            JsonNode s = table.get(Values.text(v, label));
            return s == null ? def : s;
        };
    }

    static Expr recordField(ExprCompiler c, ObjectNode node, String path, Schema x, String label) {
        if (x.getType() != Schema.Type.RECORD) {
            c.problem(path, "record fills record fields; field " + label + " is " + ExprCompiler.typeName(x));
            return ExprCompiler.ERROR_EXPR;
        }
        if (!node.has("from")) {
            return c.record(node.get("record"), path + ".record", x, label + ".", Set.of());
        }
        Typed base = c.base(node.get("from"), path + ".from", false);
        RecordExpr record;
        try {
            record = c.record(node.get("record"), path + ".record", x, label + ".", Set.of());
        } finally {
            c.endBase();
        }
        if (base.kind() != ValueKind.JSON) {
            c.problem(path + ".from", "from needs a path to a JSON object");
            return ExprCompiler.ERROR_EXPR;
        }
        Expr b = base.expr();
        return ctx -> {
            Object v = b.eval(ctx);
            if (v == null) {
                return null;
            }
            if (!(v instanceof JsonNode n) || !n.isObject()) {
                throw new MappingException(label, "expected an object, got " + Values.describe(v));
            }
            JsonNode previous = ctx.swapCurrent(n);
            try {
                return record.eval(ctx);
            } finally {
                ctx.swapCurrent(previous);
            }
        };
    }

    static Expr recordJson(ExprCompiler c, ObjectNode node, String path, String label) {
        if (!node.has("from")) {
            return emptyToNull(c, c.jsonObject(node.get("record"), path + ".record", label + "."));
        }
        Typed base = c.base(node.get("from"), path + ".from", false);
        Expr record;
        try {
            record = emptyToNull(c, c.jsonObject(node.get("record"), path + ".record", label + "."));
        } finally {
            c.endBase();
        }
        if (base.kind() != ValueKind.JSON) {
            c.problem(path + ".from", "from needs a path to a JSON object");
            return ExprCompiler.ERROR_EXPR;
        }
        return within(base.expr(), record, label);
    }

    /** Where null members are left out, a nested object none of whose members has a value is left out too. */
    private static Expr emptyToNull(ExprCompiler c, Expr object) {
        if (!c.omitNullMembers()) {
            return object;
        }
        return ctx -> {
            JsonNode o = (JsonNode) object.eval(ctx);
            return o == null || o.isEmpty() ? null : o;
        };
    }

    /** Evaluates {@code inner} with relative paths starting at the object {@code base} yields (null when none). */
    private static Expr within(Expr base, Expr inner, String label) {
        return ctx -> {
            Object v = base.eval(ctx);
            if (v == null) {
                return null;
            }
            if (!(v instanceof JsonNode n) || !n.isObject()) {
                throw new MappingException(label, "expected an object, got " + Values.describe(v));
            }
            JsonNode previous = ctx.swapCurrent(n);
            try {
                return inner.eval(ctx);
            } finally {
                ctx.swapCurrent(previous);
            }
        };
    }

    static Expr eachField(ExprCompiler c, ObjectNode node, String path, Schema x, String label) {
        if (x.getType() != Schema.Type.ARRAY) {
            c.problem(path, "each fills array fields; field " + label + " is " + ExprCompiler.typeName(x));
            return ExprCompiler.ERROR_EXPR;
        }
        Schema element = x.getElementType();
        boolean elementNullable = ExprCompiler.nullable(element);
        if (node.has("record") == node.has("value")) {
            c.problem(path, "each needs exactly one of record: {…} (for an array of records) or value: <expr>");
            return ExprCompiler.ERROR_EXPR;
        }
        Typed in = c.base(node.get("each"), path + ".each", true);
        Expr elementExpr;
        try {
            if (node.has("record")) {
                Schema rec = ExprCompiler.nonNull(element);
                if (rec == null || rec.getType() != Schema.Type.RECORD) {
                    c.problem(path + ".record", "the elements of " + label + " are "
                            + ExprCompiler.typeName(element) + ", not records; use value: <expr>");
                    return ExprCompiler.ERROR_EXPR;
                }
                elementExpr = c.record(node.get("record"), path + ".record", rec, label + "[].", Set.of());
            } else {
                elementExpr = c.field(node.get("value"), path + ".value", element, label + "[]");
            }
        } finally {
            c.endBase();
        }
        if (in == ExprCompiler.ERROR) {
            return ExprCompiler.ERROR_EXPR;
        }
        if (in.kind() != ValueKind.JSON) {
            c.problem(path + ".each", "each needs a path to a JSON array");
            return ExprCompiler.ERROR_EXPR;
        }
        Expr e = in.expr();
        return ctx -> {
            Object v = e.eval(ctx);
            if (v == null) {
                return null;
            }
            if (!(v instanceof JsonNode n) || !n.isArray()) {
                throw new MappingException(label, "expected an array, got " + Values.describe(v));
            }
            GenericData.Array<Object> out = new GenericData.Array<>(n.size(), x);
            JsonNode previous = ctx.current();
            try {
                for (int i = 0; i < n.size(); i++) {
                    ctx.swapCurrent(n.get(i));
                    Object item = elementExpr.eval(ctx);
                    if (item == null && !elementNullable) {
                        throw new MappingException(label + "[" + i + "]", "required, but the mapping produced no"
                                + " value");
                    }
                    out.add(item);
                }
            } finally {
                ctx.swapCurrent(previous);
            }
            return out;
        };
    }

    static Expr eachJson(ExprCompiler c, ObjectNode node, String path, String label) {
        if (node.has("record") == node.has("value")) {
            c.problem(path, "each needs exactly one of record: {…} (for an array of objects) or value: <expr>");
            return ExprCompiler.ERROR_EXPR;
        }
        Typed in = c.base(node.get("each"), path + ".each", true);
        Expr elementExpr;
        try {
            elementExpr = node.has("record") ? c.jsonObject(node.get("record"), path + ".record", label + "[].")
                    : c.json(node.get("value"), path + ".value", label + "[]");
        } finally {
            c.endBase();
        }
        if (in == ExprCompiler.ERROR) {
            return ExprCompiler.ERROR_EXPR;
        }
        if (in.kind() != ValueKind.JSON) {
            c.problem(path + ".each", "each needs a path to a JSON array");
            return ExprCompiler.ERROR_EXPR;
        }
        Expr e = in.expr();
        return ctx -> {
            Object v = e.eval(ctx);
            if (v == null) {
                return null;
            }
            if (!(v instanceof JsonNode n) || !n.isArray()) {
                throw new MappingException(label, "expected an array, got " + Values.describe(v));
            }
            ArrayNode out = ExprCompiler.NODES.arrayNode(n.size());
            JsonNode previous = ctx.current();
            try {
                for (int i = 0; i < n.size(); i++) {
                    ctx.swapCurrent(n.get(i));
                    Object item = elementExpr.eval(ctx);
                    out.add(item == null ? ExprCompiler.NODES.nullNode() : (JsonNode) item);
                }
            } finally {
                ctx.swapCurrent(previous);
            }
            return out;
        };
    }

    static Expr mapField(ExprCompiler c, ObjectNode node, String path, Schema x, String label) {
        Schema value = x.getType() == Schema.Type.MAP ? ExprCompiler.nonNull(x.getValueType()) : null;
        if (value == null || value.getType() != Schema.Type.STRING) {
            c.problem(path, "map fills map-of-string fields; field " + label + " is " + ExprCompiler.typeName(x));
            return ExprCompiler.ERROR_EXPR;
        }
        Expr e = mapSource(c, node, path);
        if (e == ExprCompiler.ERROR_EXPR) {
            return e;
        }
        String[] keys = mapKeys(c, node, path);
        return ctx -> {
            Object v = e.eval(ctx);
            if (v == null) {
                return null;
            }
            if (!(v instanceof JsonNode n) || !n.isObject()) {
                throw new MappingException(label, "expected an object, got " + Values.describe(v));
            }
            if (keys != null) {
                Map<String, String> out = new LinkedHashMap<>(Math.max(4, keys.length * 2));
                for (String k : keys) {
                    putText(out, k, n.get(k));
                }
                return out;
            }
            Map<String, String> out = new LinkedHashMap<>(Math.max(4, n.size() * 2));
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                putText(out, entry.getKey(), entry.getValue());
            }
            return out;
        };
    }

    private static void putText(Map<String, String> out, String key, JsonNode m) {
        if (m != null && !m.isNull()) {
            out.put(key, m.isValueNode() ? m.asText() : m.toString());
        }
    }

    /**
     * The object a {@code map} copies. With {@code keys}, only those members are recorded as read, so that the
     * parser skips the rest of a large object (a HubSpot object's hundreds of properties).
     */
    private static Expr mapSource(ExprCompiler c, ObjectNode node, String path) {
        Typed in;
        JsonNode keys = node.get("keys");
        if (keys != null && keys.isArray() && node.get("map") != null && node.get("map").isTextual()) {
            in = c.base(node.get("map"), path + ".map", false);
            try {
                for (JsonNode k : keys) {
                    if (k.isTextual()) {
                        c.value(com.fasterxml.jackson.databind.node.TextNode.valueOf("/"
                                + io.syncline.json.Pointer.escape(k.textValue())), path + ".keys");
                    }
                }
            } finally {
                c.endBase();
            }
        } else {
            in = c.valueOf(node.get("map"), path + ".map");
        }
        if (in == ExprCompiler.ERROR) {
            return ExprCompiler.ERROR_EXPR;
        }
        if (in.kind() != ValueKind.JSON) {
            c.problem(path + ".map", "map needs a path to a JSON object");
            return ExprCompiler.ERROR_EXPR;
        }
        return in.expr();
    }

    /** The members {@code keys} lists, or null for every member. */
    private static String[] mapKeys(ExprCompiler c, ObjectNode node, String path) {
        JsonNode keys = node.get("keys");
        if (keys == null) {
            return null;
        }
        if (!keys.isArray()) {
            c.problem(path + ".keys", "expected a list of member names, e.g. keys: [favourite_colour, plan]");
            return new String[0];
        }
        String[] out = new String[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            JsonNode k = keys.get(i);
            if (!k.isTextual() || k.textValue().isEmpty()) {
                c.problem(path + ".keys[" + i + "]", "expected a member name, got " + Values.describe(k));
                out[i] = "";
            } else {
                out[i] = k.textValue();
            }
        }
        return out;
    }

    static Expr mapJson(ExprCompiler c, ObjectNode node, String path, String label) {
        Expr e = mapSource(c, node, path);
        if (e == ExprCompiler.ERROR_EXPR) {
            return e;
        }
        String[] keys = mapKeys(c, node, path);
        return ctx -> {
            Object v = e.eval(ctx);
            if (v == null) {
                return null;
            }
            if (!(v instanceof JsonNode n) || !n.isObject()) {
                throw new MappingException(label, "expected an object, got " + Values.describe(v));
            }
            if (keys == null) {
                return n;
            }
            ObjectNode out = ExprCompiler.NODES.objectNode();
            for (String k : keys) {
                JsonNode m = n.get(k);
                if (m != null) {
                    out.set(k, m);
                }
            }
            return out;
        };
    }

    static Expr javaField(ExprCompiler c, ObjectNode node, String path, Schema x, String label) {
        JsonNode cls = node.get("java");
        if (cls == null || !cls.isTextual()) {
            c.problem(path + ".java", "expected the class name of a " + MappingFunction.class.getName());
            return ExprCompiler.ERROR_EXPR;
        }
        Map<String, String> options = new LinkedHashMap<>();
        JsonNode opts = node.get("options");
        if (opts != null) {
            if (!opts.isObject()) {
                c.problem(path + ".options", "expected a mapping of option names to text");
                return ExprCompiler.ERROR_EXPR;
            }
            opts.fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
        }
        c.readsEverything();
        MappingFunction fn;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> type = Class.forName(cls.textValue(), true, loader == null
                    ? Transforms.class.getClassLoader() : loader);
            if (!MappingFunction.class.isAssignableFrom(type)) {
                c.problem(path + ".java", cls.textValue() + " does not implement " + MappingFunction.class.getName());
                return ExprCompiler.ERROR_EXPR;
            }
            fn = (MappingFunction) type.getDeclaredConstructor().newInstance();
            fn.configure(x, Map.copyOf(options));
        } catch (ClassNotFoundException e) {
            c.problem(path + ".java", "class " + cls.textValue() + " is not on the class path");
            return ExprCompiler.ERROR_EXPR;
        } catch (IllegalArgumentException e) {
            c.problem(path, cls.textValue() + " refuses field " + label + ": " + e.getMessage());
            return ExprCompiler.ERROR_EXPR;
        } catch (ReflectiveOperationException | RuntimeException e) {
            c.problem(path + ".java", "cannot create " + cls.textValue() + " (" + e + "); it needs a public"
                    + " no-argument constructor");
            return ExprCompiler.ERROR_EXPR;
        }
        MappingFunction f = fn;
        return ctx -> {
            Object v = f.apply(ctx);
            if (v != null && !GenericData.get().validate(x, v)) {
                throw new MappingException(label, f.getClass().getName() + " returned " + Values.describe(v)
                        + ", which is not a valid " + ExprCompiler.typeName(x));
            }
            return v;
        };
    }
}
