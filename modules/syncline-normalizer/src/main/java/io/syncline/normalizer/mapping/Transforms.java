package io.syncline.normalizer.mapping;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncline.normalizer.mapping.Transform.Role;
import io.syncline.normalizer.spi.MappingFunction;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/** The registry of the mapping language: every transform, its documentation and its compiler. */
public final class Transforms {

    private Transforms() {
    }

    static final List<Transform> ALL = List.of(
            new Transform("const", "{const: <value>}",
                    "A constant: text, number, true/false or null. Plain YAML numbers and booleans are constants too;"
                            + " text must be written as {const: …} so that a forgotten leading / is an error, not a"
                            + " silent constant. Under an enum field the text must be one of its symbols.",
                    List.of(), Role.VALUE, Transforms::compileConst, null),
            new Transform("coalesce", "{coalesce: [<expr>, <expr>, …]}",
                    "The first of the expressions that is not null (missing and JSON null count as null); null when"
                            + " all are. Under a field, each expression is compiled against the field's type.",
                    List.of(), Role.BOTH, Transforms::coalesceValue, Transforms::coalesceField),
            new Transform("concat", "{concat: [<expr>, …]}",
                    "The parts joined as text. Null when any part is null, so {concat: [{const: 'stripe:'},"
                            + " /customer]} is null when there is no customer.",
                    List.of(), Role.VALUE, Transforms::concat, null),
            new Transform("ref", "{ref: <expr>, system: <name>}",
                    "The canonical id of another object, <system>:<value> (the mapping's system unless `system` is"
                            + " given); null when the value is null. For links such as a charge's customer.",
                    List.of("system"), Role.VALUE, Transforms::ref, null),
            new Transform("enum", "{enum: <expr>, values: {<source>: <SYMBOL>, …}, default: <SYMBOL>|null}",
                    "Maps source text to a symbol of the field's Avro enum. `default` is required and is used for"
                            + " values not listed and for a missing value; symbols are checked at start. A null"
                            + " default leaves an optional field empty.",
                    List.of("values", "default"), Role.FIELD, null, Transforms::enumField),
            new Transform("timestamp", "{timestamp: <expr>, from: unix-seconds|unix-millis|iso-8601|auto}",
                    "An instant for timestamp-millis fields (also timestamp-micros and date). unix-seconds and"
                            + " unix-millis read numbers or digit strings; iso-8601 needs a zone offset (or a plain"
                            + " date, taken as UTC midnight); auto takes numbers below 10^11 as seconds, larger ones"
                            + " as milliseconds, and anything else as ISO-8601. Empty text is null.",
                    List.of("from"), Role.VALUE, Transforms::timestamp, null),
            new Transform("minor-units", "{minor-units: <expr>, from: minor|major, currency: <expr>}",
                    "A money amount as a whole number of the currency's minor units (cents; the unit itself for"
                            + " zero-decimal currencies such as JPY). from: minor (default) checks that the source is"
                            + " already a whole number that fits 64 bits; from: major multiplies a decimal amount by"
                            + " the ISO-4217 minor-unit exponent of `currency` and fails when that is not exact.",
                    List.of("from", "currency"), Role.VALUE, Transforms::minorUnits, null),
            new Transform("money", "{money: <amount expr>, currency: <expr>, from: minor|major}",
                    "A money record (fields amount and currency, e.g. common.Money): the amount as minor-units"
                            + " (same `from`), the currency as the currency transform does. Null when the amount is"
                            + " null; an amount without a currency fails the record.",
                    List.of("currency", "from"), Role.FIELD, null, Transforms::moneyField),
            new Transform("currency", "{currency: <expr>}",
                    "An ISO-4217 currency code, trimmed and upper-cased; a code that is not ISO-4217 fails the"
                            + " record (to the DLQ).",
                    List.of(), Role.VALUE, Transforms::currency, null),
            new Transform("email", "{email: <expr>}",
                    "An e-mail address trimmed and lower-cased; empty text is null.",
                    List.of(), Role.VALUE, text(s -> blankToNull(s.trim().toLowerCase(Locale.ROOT))), null),
            new Transform("trim", "{trim: <expr>}",
                    "Text without leading and trailing white space; empty text is null.",
                    List.of(), Role.VALUE, text(s -> blankToNull(s.trim())), null),
            new Transform("lower", "{lower: <expr>}", "Text in lower case (locale-independent).",
                    List.of(), Role.VALUE, text(s -> s.toLowerCase(Locale.ROOT)), null),
            new Transform("upper", "{upper: <expr>}", "Text in upper case (locale-independent).",
                    List.of(), Role.VALUE, text(s -> s.toUpperCase(Locale.ROOT)), null),
            new Transform("record", "{record: {<field>: <expr>, …}, from: <path>}",
                    "A nested Avro record. With `from`, relative paths (/…) inside start at that JSON object and"
                            + " the record is null when it is missing; $object/… still reaches the whole object.",
                    List.of("from"), Role.FIELD, null, Transforms::recordField),
            new Transform("each", "{each: <path to an array>, record: {…}} or {each: <path>, value: <expr>}",
                    "An Avro array with one element per element of a JSON array; inside, relative paths (/…) start"
                            + " at the element and $item is the element itself. A missing array is null (the"
                            + " field's default applies).",
                    List.of("record", "value"), Role.FIELD, null, Transforms::eachField),
            new Transform("map", "{map: <path to an object>}",
                    "A map of string to string from a JSON object (custom properties, Stripe metadata): numbers and"
                            + " booleans become text, null members are left out, nested objects and arrays become"
                            + " JSON text.",
                    List.of(), Role.FIELD, null, Transforms::mapField),
            new Transform("when", "{when: <condition>, then: <expr>, else: <expr>}",
                    "`then` when the condition is true, else `else` (null when omitted). A condition is any"
                            + " true/false expression, e.g. equals, in, exists, or a JSON boolean path.",
                    List.of("then", "else"), Role.BOTH, Transforms::whenValue, Transforms::whenField),
            new Transform("equals", "{equals: [<expr>, <expr>]}",
                    "True when both values are equal (text by content, numbers by value); null equals only null.",
                    List.of(), Role.VALUE, Transforms::equalsValue, null),
            new Transform("in", "{in: <expr>, values: [<constant>, …]}",
                    "True when the value equals one of the listed constants.",
                    List.of("values"), Role.VALUE, Transforms::inValue, null),
            new Transform("exists", "{exists: <expr>}",
                    "True when the value is present and not null.",
                    List.of(), Role.VALUE, Transforms::exists, null),
            new Transform("any", "{any: [<condition>, …]}", "True when at least one condition is true.",
                    List.of(), Role.VALUE, (c, n, p) -> logic(c, n, p, "any"), null),
            new Transform("all", "{all: [<condition>, …]}", "True when every condition is true.",
                    List.of(), Role.VALUE, (c, n, p) -> logic(c, n, p, "all"), null),
            new Transform("not", "{not: <condition>}", "True when the condition is false or null.",
                    List.of(), Role.VALUE, Transforms::not, null),
            new Transform("java", "{java: <class name>, options: {<key>: <text>, …}}",
                    "Calls a io.syncline.normalizer.spi.MappingFunction on the class path for what the language"
                            + " cannot express. It is created and configured (with the field's Avro type) at start;"
                            + " its result is checked against the field's type per record.",
                    List.of("options"), Role.FIELD, null, Transforms::javaField));

    static final Map<String, Transform> BY_NAME;

    static {
        Map<String, Transform> m = new LinkedHashMap<>();
        ALL.forEach(t -> m.put(t.name(), t));
        BY_NAME = java.util.Collections.unmodifiableMap(m);
    }

    /**
     * The transform reference as Markdown, generated from this registry; docs/mappings.md embeds it between
     * {@code <!-- transforms:start -->} and {@code <!-- transforms:end -->} and a test keeps it fresh.
     */
    public static String markdownReference() {
        StringBuilder md = new StringBuilder();
        md.append("| transform | syntax | where | what it does |\n|---|---|---|---|\n");
        for (Transform t : ALL) {
            String where = switch (t.role()) {
                case VALUE -> "anywhere";
                case FIELD -> "directly under a field";
                case BOTH -> "anywhere (typed by the field when directly under one)";
            };
            md.append("| `").append(t.name()).append("` | `").append(t.syntax().replace("|", "\\|"))
                    .append("` | ").append(where).append(" | ").append(t.doc().replace("|", "\\|")).append(" |\n");
        }
        return md.toString();
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static String blankToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    /** A value transform over text: compiles the input, converts to text, applies {@code f} to non-null text. */
    private static Transform.ValueCompiler text(Function<String, String> f) {
        return (c, node, path) -> {
            String name = node.fieldNames().next();
            Typed in = c.valueOf(node.get(name), path + "." + name, ValueKind.TEXT, ValueKind.INTEGER);
            if (in == MappingCompiler.ERROR) {
                return in;
            }
            Expr e = in.expr();
            return Typed.of(ValueKind.TEXT, ctx -> {
                String s = Values.text(e.eval(ctx), name);
                return s == null ? null : f.apply(s);
            });
        };
    }

    static Typed constant(JsonNode v) {
        if (v == null || v.isNull()) {
            return Typed.of(ValueKind.JSON, ctx -> null);
        }
        if (v.isTextual()) {
            String s = v.textValue();
            return Typed.of(ValueKind.TEXT, ctx -> s);
        }
        if (v.isBoolean()) {
            Boolean b = v.booleanValue();
            return Typed.of(ValueKind.BOOLEAN, ctx -> b);
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            Long l = v.longValue();
            return Typed.of(ValueKind.INTEGER, ctx -> l);
        }
        if (v.isNumber()) {
            Double d = v.doubleValue();
            return Typed.of(ValueKind.DECIMAL, ctx -> d);
        }
        return null;
    }

    private static Typed compileConst(MappingCompiler c, ObjectNode node, String path) {
        Typed t = constant(node.get("const"));
        return t != null ? t : c.fail(path + ".const", "a constant is text, a number, true/false or null");
    }

    static Expr constantEnum(MappingCompiler c, JsonNode v, String path, Schema x) {
        if (v != null && v.isTextual() && x.getEnumSymbols().contains(v.textValue())) {
            GenericData.EnumSymbol symbol = new GenericData.EnumSymbol(x, v.textValue());
            return ctx -> symbol;
        }
        if (v == null || v.isNull()) {
            return ctx -> null;
        }
        c.problem(path + ".const", "\"" + v.asText() + "\" is not a symbol of " + x.getName() + "; expected one of "
                + String.join(", ", x.getEnumSymbols()));
        return MappingCompiler.ERROR_EXPR;
    }

    private static List<JsonNode> list(MappingCompiler c, JsonNode v, String path, int min) {
        if (v == null || !v.isArray() || v.size() < min) {
            c.problem(path, "expected a list of at least " + min + " expression" + (min == 1 ? "" : "s"));
            return null;
        }
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    /** The kind of a choice between expressions: theirs when they agree, else a dynamic JSON-like value. */
    private static ValueKind merge(MappingCompiler c, List<Typed> parts, String path) {
        ValueKind kind = null;
        for (Typed t : parts) {
            if (t == MappingCompiler.ERROR) {
                continue;
            }
            if (kind == null || kind == t.kind()) {
                kind = t.kind();
            } else if (isPlain(kind) && isPlain(t.kind())) {
                kind = ValueKind.JSON;
            } else {
                c.problem(path, "the choices produce different kinds of value (" + kind.description() + ", "
                        + t.kind().description() + ")");
                return null;
            }
        }
        return kind == null ? ValueKind.JSON : kind;
    }

    private static boolean isPlain(ValueKind k) {
        return k == ValueKind.JSON || k == ValueKind.TEXT || k == ValueKind.INTEGER || k == ValueKind.DECIMAL
                || k == ValueKind.BOOLEAN;
    }

    static boolean truthy(Object v, String label) {
        Boolean b = Values.bool(v, label);
        return b != null && b;
    }

    // ---- transforms --------------------------------------------------------------------------------------------

    private static Typed coalesceValue(MappingCompiler c, ObjectNode node, String path) {
        List<JsonNode> items = list(c, node.get("coalesce"), path + ".coalesce", 1);
        if (items == null) {
            return MappingCompiler.ERROR;
        }
        List<Typed> parts = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            parts.add(c.value(items.get(i), path + ".coalesce[" + i + "]"));
        }
        ValueKind kind = merge(c, parts, path);
        if (kind == null) {
            return MappingCompiler.ERROR;
        }
        Expr[] exprs = parts.stream().map(Typed::expr).toArray(Expr[]::new);
        return Typed.of(kind, coalesce(exprs));
    }

    private static Expr coalesce(Expr[] exprs) {
        return ctx -> {
            for (Expr e : exprs) {
                Object v = e.eval(ctx);
                if (v != null) {
                    return v;
                }
            }
            return null;
        };
    }

    private static Expr coalesceField(MappingCompiler c, ObjectNode node, String path, Schema x, String label) {
        List<JsonNode> items = list(c, node.get("coalesce"), path + ".coalesce", 1);
        if (items == null) {
            return MappingCompiler.ERROR_EXPR;
        }
        Expr[] exprs = new Expr[items.size()];
        for (int i = 0; i < items.size(); i++) {
            exprs[i] = c.field(items.get(i), path + ".coalesce[" + i + "]", x, label);
        }
        return coalesce(exprs);
    }

    private static Typed concat(MappingCompiler c, ObjectNode node, String path) {
        List<JsonNode> items = list(c, node.get("concat"), path + ".concat", 1);
        if (items == null) {
            return MappingCompiler.ERROR;
        }
        Expr[] parts = new Expr[items.size()];
        for (int i = 0; i < items.size(); i++) {
            String p = path + ".concat[" + i + "]";
            Typed t = c.valueOf(items.get(i), p, ValueKind.TEXT, ValueKind.INTEGER, ValueKind.DECIMAL,
                    ValueKind.BOOLEAN);
            parts[i] = t.expr();
        }
        return Typed.of(ValueKind.TEXT, ctx -> {
            StringBuilder sb = new StringBuilder();
            for (Expr e : parts) {
                String s = Values.text(e.eval(ctx), "concat");
                if (s == null) {
                    return null;
                }
                sb.append(s);
            }
            return sb.toString();
        });
    }

    private static Typed ref(MappingCompiler c, ObjectNode node, String path) {
        Typed in = c.valueOf(node.get("ref"), path + ".ref", ValueKind.TEXT, ValueKind.INTEGER);
        JsonNode sys = node.get("system");
        String system;
        if (sys == null) {
            system = c.system();
        } else if (sys.isTextual() && sys.textValue().matches("[a-z][a-z0-9-]*")) {
            system = sys.textValue();
        } else {
            return c.fail(path + ".system", "expected a system name in lower case, e.g. stripe");
        }
        Expr e = in.expr();
        String prefix = system + ":";
        return Typed.of(ValueKind.TEXT, ctx -> {
            String s = Values.text(e.eval(ctx), "ref");
            return s == null || s.isEmpty() ? null : prefix + s;
        });
    }

    private static Expr enumField(MappingCompiler c, ObjectNode node, String path, Schema x, String label) {
        if (x.getType() != Schema.Type.ENUM) {
            c.problem(path, "enum fills enum fields; field " + label + " is " + MappingCompiler.typeName(x));
            return MappingCompiler.ERROR_EXPR;
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
        if (in == MappingCompiler.ERROR) {
            return MappingCompiler.ERROR_EXPR;
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

    private static Typed timestamp(MappingCompiler c, ObjectNode node, String path) {
        JsonNode from = node.get("from");
        Values.TimeFormat format = from == null || !from.isTextual() ? null : Values.TimeFormat.of(from.textValue());
        if (format == null) {
            c.problem(path + (from == null ? "" : ".from"), "timestamp needs from: unix-seconds, unix-millis,"
                    + " iso-8601 or auto" + (from == null ? "" : ", got \"" + from.asText() + "\""));
        }
        Typed in = c.valueOf(node.get("timestamp"), path + ".timestamp", ValueKind.TEXT, ValueKind.INTEGER,
                ValueKind.DECIMAL, ValueKind.TIMESTAMP);
        if (in == MappingCompiler.ERROR || format == null) {
            return MappingCompiler.ERROR;
        }
        if (in.kind() == ValueKind.TIMESTAMP) {
            return in;
        }
        Expr e = in.expr();
        return Typed.of(ValueKind.TIMESTAMP, ctx -> Values.timestamp(e.eval(ctx), format, "timestamp"));
    }

    private static Typed minorUnits(MappingCompiler c, ObjectNode node, String path) {
        Typed in = c.valueOf(node.get("minor-units"), path + ".minor-units", ValueKind.TEXT, ValueKind.INTEGER,
                ValueKind.DECIMAL);
        JsonNode from = node.get("from");
        String mode = from == null ? "minor" : from.asText();
        if (!mode.equals("minor") && !mode.equals("major")) {
            return c.fail(path + ".from", "expected minor or major, got \"" + mode + "\"");
        }
        if (in == MappingCompiler.ERROR) {
            return in;
        }
        Expr e = in.expr();
        if (mode.equals("minor")) {
            if (node.has("currency")) {
                return c.fail(path + ".currency", "currency is only needed with from: major");
            }
            return Typed.of(ValueKind.INTEGER, ctx -> Values.integer(e.eval(ctx), "minor-units"));
        }
        if (!node.has("currency")) {
            return c.fail(path, "from: major needs currency: <expr> to know how many minor units make one major"
                    + " unit");
        }
        Typed cur = currency(c, node, path + ".currency", node.get("currency"));
        if (cur == MappingCompiler.ERROR) {
            return cur;
        }
        Expr ce = cur.expr();
        return Typed.of(ValueKind.INTEGER, ctx -> {
            Object v = e.eval(ctx);
            if (v == null) {
                return null;
            }
            String code = (String) ce.eval(ctx);
            if (code == null) {
                throw new MappingException("minor-units", "an amount in major units needs a currency, but it is"
                        + " missing");
            }
            int digits = Currency.getInstance(code).getDefaultFractionDigits();
            if (digits < 0) {
                throw new MappingException("minor-units", code + " has no minor unit");
            }
            BigDecimal major;
            try {
                major = v instanceof JsonNode n && n.isNumber() ? n.decimalValue()
                        : new BigDecimal(Values.text(v, "minor-units").trim());
            } catch (NumberFormatException ex) {
                throw new MappingException("minor-units", "expected an amount, got " + Values.describe(v));
            }
            BigDecimal minor = major.movePointRight(digits);
            try {
                return minor.longValueExact();
            } catch (ArithmeticException ex) {
                throw new MappingException("minor-units", major.toPlainString() + " " + code
                        + " is not a whole number of minor units (" + digits + " decimals) or does not fit 64 bits");
            }
        });
    }

    private static Typed currency(MappingCompiler c, ObjectNode node, String path) {
        return currency(c, node, path + ".currency", node.get("currency"));
    }

    private static Typed currency(MappingCompiler c, ObjectNode node, String inputPath, JsonNode input) {
        Typed in = c.valueOf(input, inputPath, ValueKind.TEXT);
        if (in == MappingCompiler.ERROR) {
            return in;
        }
        Expr e = in.expr();
        return Typed.of(ValueKind.TEXT, ctx -> {
            String s = Values.text(e.eval(ctx), "currency");
            if (s == null) {
                return null;
            }
            // Hot path: the code as the source writes it (usd, USD) maps straight to the ISO code.
            String code = CURRENCY_CODES.get(s);
            if (code == null) {
                code = CURRENCY_CODES.get(s.trim());
            }
            if (code == null) {
                throw new MappingException("currency", Values.describe(s) + " is not an ISO-4217 currency code");
            }
            return code;
        });
    }

    /** Every ISO-4217 code in upper and lower case → the upper-case code. */
    private static final Map<String, String> CURRENCY_CODES;

    static {
        Map<String, String> codes = new HashMap<>();
        for (Currency c : Currency.getAvailableCurrencies()) {
            String code = c.getCurrencyCode();
            codes.put(code, code);
            codes.put(code.toLowerCase(Locale.ROOT), code);
        }
        CURRENCY_CODES = Map.copyOf(codes);
    }

    private static Expr moneyField(MappingCompiler c, ObjectNode node, String path, Schema x, String label) {
        Schema.Field amount = x.getType() == Schema.Type.RECORD ? x.getField("amount") : null;
        Schema.Field currency = x.getType() == Schema.Type.RECORD ? x.getField("currency") : null;
        if (amount == null || currency == null || MappingCompiler.nonNull(amount.schema()).getType() != Schema.Type.LONG
                || MappingCompiler.nonNull(currency.schema()).getType() != Schema.Type.STRING) {
            c.problem(path, "money fills records with a long amount and a string currency; field " + label + " is "
                    + MappingCompiler.typeName(x));
            return MappingCompiler.ERROR_EXPR;
        }
        for (Schema.Field f : x.getFields()) {
            if (f != amount && f != currency && !f.hasDefaultValue() && !MappingCompiler.nullable(f.schema())) {
                c.problem(path, "money cannot fill required field " + label + "." + f.name() + " of " + x.getName()
                        + "; use {record: {…}}");
                return MappingCompiler.ERROR_EXPR;
            }
        }
        if (!node.has("currency")) {
            c.problem(path, "money needs currency: <expr>");
            return MappingCompiler.ERROR_EXPR;
        }
        ObjectNode units = node.objectNode();
        units.set("minor-units", node.get("money"));
        if (node.has("from")) {
            units.set("from", node.get("from"));
            if ("major".equals(node.get("from").asText())) {
                units.set("currency", node.get("currency"));
            }
        }
        Typed amountExpr = minorUnits(c, units, path);
        Typed currencyExpr = currency(c, node, path + ".currency", node.get("currency"));
        if (amountExpr == MappingCompiler.ERROR || currencyExpr == MappingCompiler.ERROR) {
            return MappingCompiler.ERROR_EXPR;
        }
        Expr a = amountExpr.expr();
        Expr cur = currencyExpr.expr();
        int amountPos = amount.pos();
        int currencyPos = currency.pos();
        Object[] defaults = new Object[x.getFields().size()];
        for (Schema.Field f : x.getFields()) {
            defaults[f.pos()] = f.hasDefaultValue() ? GenericData.get().getDefaultValue(f) : null;
        }
        return ctx -> {
            Object v = a.eval(ctx);
            if (v == null) {
                return null;
            }
            Object code = cur.eval(ctx);
            if (code == null) {
                throw new MappingException(label, "an amount needs a currency, but the currency is missing");
            }
            GenericData.Record r = new GenericData.Record(x);
            for (int i = 0; i < defaults.length; i++) {
                r.put(i, defaults[i]);
            }
            r.put(amountPos, v);
            r.put(currencyPos, code);
            return r;
        };
    }

    private static Expr recordField(MappingCompiler c, ObjectNode node, String path, Schema x, String label) {
        if (x.getType() != Schema.Type.RECORD) {
            c.problem(path, "record fills record fields; field " + label + " is " + MappingCompiler.typeName(x));
            return MappingCompiler.ERROR_EXPR;
        }
        if (!node.has("from")) {
            return c.record(node.get("record"), path + ".record", x, label + ".", java.util.Set.of());
        }
        Typed base = c.base(node.get("from"), path + ".from", false);
        RecordExpr record;
        try {
            record = c.record(node.get("record"), path + ".record", x, label + ".", java.util.Set.of());
        } finally {
            c.endBase();
        }
        if (base.kind() != ValueKind.JSON) {
            c.problem(path + ".from", "from needs a path to a JSON object");
            return MappingCompiler.ERROR_EXPR;
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

    private static Expr eachField(MappingCompiler c, ObjectNode node, String path, Schema x, String label) {
        if (x.getType() != Schema.Type.ARRAY) {
            c.problem(path, "each fills array fields; field " + label + " is " + MappingCompiler.typeName(x));
            return MappingCompiler.ERROR_EXPR;
        }
        Schema element = x.getElementType();
        boolean elementNullable = MappingCompiler.nullable(element);
        if (node.has("record") == node.has("value")) {
            c.problem(path, "each needs exactly one of record: {…} (for an array of records) or value: <expr>");
            return MappingCompiler.ERROR_EXPR;
        }
        Typed in = c.base(node.get("each"), path + ".each", true);
        Expr elementExpr;
        try {
            if (node.has("record")) {
                Schema rec = MappingCompiler.nonNull(element);
                if (rec == null || rec.getType() != Schema.Type.RECORD) {
                    c.problem(path + ".record", "the elements of " + label + " are "
                            + MappingCompiler.typeName(element) + ", not records; use value: <expr>");
                    return MappingCompiler.ERROR_EXPR;
                }
                elementExpr = c.record(node.get("record"), path + ".record", rec, label + "[].", java.util.Set.of());
            } else {
                elementExpr = c.field(node.get("value"), path + ".value", element, label + "[]");
            }
        } finally {
            c.endBase();
        }
        if (in == MappingCompiler.ERROR) {
            return MappingCompiler.ERROR_EXPR;
        }
        if (in.kind() != ValueKind.JSON) {
            c.problem(path + ".each", "each needs a path to a JSON array");
            return MappingCompiler.ERROR_EXPR;
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

    private static Expr mapField(MappingCompiler c, ObjectNode node, String path, Schema x, String label) {
        Schema value = x.getType() == Schema.Type.MAP ? MappingCompiler.nonNull(x.getValueType()) : null;
        if (value == null || value.getType() != Schema.Type.STRING) {
            c.problem(path, "map fills map-of-string fields; field " + label + " is " + MappingCompiler.typeName(x));
            return MappingCompiler.ERROR_EXPR;
        }
        Typed in = c.valueOf(node.get("map"), path + ".map");
        if (in == MappingCompiler.ERROR) {
            return MappingCompiler.ERROR_EXPR;
        }
        if (in.kind() != ValueKind.JSON) {
            c.problem(path + ".map", "map needs a path to a JSON object");
            return MappingCompiler.ERROR_EXPR;
        }
        Expr e = in.expr();
        return ctx -> {
            Object v = e.eval(ctx);
            if (v == null) {
                return null;
            }
            if (!(v instanceof JsonNode n) || !n.isObject()) {
                throw new MappingException(label, "expected an object, got " + Values.describe(v));
            }
            Map<String, String> out = new LinkedHashMap<>(Math.max(4, n.size() * 2));
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode m = entry.getValue();
                if (m == null || m.isNull()) {
                    continue;
                }
                out.put(entry.getKey(), m.isValueNode() ? m.asText() : m.toString());
            }
            return out;
        };
    }

    private static Typed whenValue(MappingCompiler c, ObjectNode node, String path) {
        Expr cond = c.valueOf(node.get("when"), path + ".when", ValueKind.BOOLEAN).expr();
        Typed then = c.value(node.get("then"), path + ".then");
        Typed otherwise = node.has("else") ? c.value(node.get("else"), path + ".else")
                : Typed.of(then.kind(), ctx -> null);
        ValueKind kind = merge(c, List.of(then, otherwise), path);
        if (kind == null) {
            return MappingCompiler.ERROR;
        }
        return Typed.of(kind, when(cond, then.expr(), otherwise.expr()));
    }

    private static Expr when(Expr cond, Expr then, Expr otherwise) {
        return ctx -> truthy(cond.eval(ctx), "when") ? then.eval(ctx) : otherwise.eval(ctx);
    }

    private static Expr whenField(MappingCompiler c, ObjectNode node, String path, Schema x, String label) {
        Expr cond = c.valueOf(node.get("when"), path + ".when", ValueKind.BOOLEAN).expr();
        if (!node.has("then")) {
            c.problem(path, "when needs then: <expr>");
            return MappingCompiler.ERROR_EXPR;
        }
        Expr then = c.field(node.get("then"), path + ".then", x, label);
        Expr otherwise = node.has("else") ? c.field(node.get("else"), path + ".else", x, label) : ctx -> null;
        return when(cond, then, otherwise);
    }

    private static Typed equalsValue(MappingCompiler c, ObjectNode node, String path) {
        List<JsonNode> items = list(c, node.get("equals"), path + ".equals", 2);
        if (items == null) {
            return MappingCompiler.ERROR;
        }
        if (items.size() != 2) {
            return c.fail(path + ".equals", "equals compares exactly two values");
        }
        Expr a = c.value(items.get(0), path + ".equals[0]").expr();
        Expr b = c.value(items.get(1), path + ".equals[1]").expr();
        return Typed.of(ValueKind.BOOLEAN, ctx -> Values.sameValue(a.eval(ctx), b.eval(ctx)));
    }

    private static Typed inValue(MappingCompiler c, ObjectNode node, String path) {
        Expr in = c.value(node.get("in"), path + ".in").expr();
        JsonNode values = node.get("values");
        if (values == null || !values.isArray() || values.isEmpty()) {
            return c.fail(path + (values == null ? "" : ".values"), "in needs values: [<constant>, …]");
        }
        List<Object> constants = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            JsonNode v = values.get(i);
            if (!v.isValueNode()) {
                return c.fail(path + ".values[" + i + "]", "expected a constant (text, number or true/false)");
            }
            constants.add(v);
        }
        return Typed.of(ValueKind.BOOLEAN, ctx -> {
            Object v = in.eval(ctx);
            for (Object k : constants) {
                if (Values.sameValue(v, k)) {
                    return Boolean.TRUE;
                }
            }
            return Boolean.FALSE;
        });
    }

    private static Typed exists(MappingCompiler c, ObjectNode node, String path) {
        Expr e = c.value(node.get("exists"), path + ".exists").expr();
        return Typed.of(ValueKind.BOOLEAN, ctx -> e.eval(ctx) != null);
    }

    private static Typed logic(MappingCompiler c, ObjectNode node, String path, String op) {
        List<JsonNode> items = list(c, node.get(op), path + "." + op, 1);
        if (items == null) {
            return MappingCompiler.ERROR;
        }
        Expr[] conds = new Expr[items.size()];
        for (int i = 0; i < items.size(); i++) {
            conds[i] = c.valueOf(items.get(i), path + "." + op + "[" + i + "]", ValueKind.BOOLEAN).expr();
        }
        boolean any = op.equals("any");
        return Typed.of(ValueKind.BOOLEAN, ctx -> {
            for (Expr e : conds) {
                if (truthy(e.eval(ctx), op) == any) {
                    return any;
                }
            }
            return !any;
        });
    }

    private static Typed not(MappingCompiler c, ObjectNode node, String path) {
        Expr e = c.valueOf(node.get("not"), path + ".not", ValueKind.BOOLEAN).expr();
        return Typed.of(ValueKind.BOOLEAN, ctx -> !truthy(e.eval(ctx), "not"));
    }

    private static Expr javaField(MappingCompiler c, ObjectNode node, String path, Schema x, String label) {
        JsonNode cls = node.get("java");
        if (cls == null || !cls.isTextual()) {
            c.problem(path + ".java", "expected the class name of a " + MappingFunction.class.getName());
            return MappingCompiler.ERROR_EXPR;
        }
        Map<String, String> options = new LinkedHashMap<>();
        JsonNode opts = node.get("options");
        if (opts != null) {
            if (!opts.isObject()) {
                c.problem(path + ".options", "expected a mapping of option names to text");
                return MappingCompiler.ERROR_EXPR;
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
                return MappingCompiler.ERROR_EXPR;
            }
            fn = (MappingFunction) type.getDeclaredConstructor().newInstance();
            fn.configure(x, Map.copyOf(options));
        } catch (ClassNotFoundException e) {
            c.problem(path + ".java", "class " + cls.textValue() + " is not on the class path");
            return MappingCompiler.ERROR_EXPR;
        } catch (IllegalArgumentException e) {
            c.problem(path, cls.textValue() + " refuses field " + label + ": " + e.getMessage());
            return MappingCompiler.ERROR_EXPR;
        } catch (ReflectiveOperationException | RuntimeException e) {
            c.problem(path + ".java", "cannot create " + cls.textValue() + " (" + e + "); it needs a public"
                    + " no-argument constructor");
            return MappingCompiler.ERROR_EXPR;
        }
        MappingFunction f = fn;
        return ctx -> {
            Object v = f.apply(ctx);
            if (v != null && !GenericData.get().validate(x, v)) {
                throw new MappingException(label, f.getClass().getName() + " returned " + Values.describe(v)
                        + ", which is not a valid " + MappingCompiler.typeName(x));
            }
            return v;
        };
    }
}
