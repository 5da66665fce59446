package io.syncline.mapping;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.mapping.Transform.Role;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * The registry of the mapping language: every transform, its documentation and its compilers. The compilers live by
 * subject in {@link ChoiceTransforms}, {@link TextTransforms}, {@link TimeTransforms}, {@link MoneyTransforms} and
 * {@link ShapeTransforms}; this list is the one place that names them, and the language reference in
 * {@code docs/mappings.md} is generated from it.
 */
public final class Transforms {

    private Transforms() {
    }

    static final List<Transform> ALL = List.of(
            Transform.value("const", "{const: <value>}",
                    "A constant: text, number, true/false or null. Plain YAML numbers and booleans are constants too;"
                            + " text must be written as {const: …} so that a forgotten leading / is an error, not a"
                            + " silent constant. Under an enum field the text must be one of its symbols.",
                    List.of(), ChoiceTransforms::compileConst),
            new Transform("coalesce", "{coalesce: [<expr>, <expr>, …]}",
                    "The first of the expressions that is not null (missing and JSON null count as null); null when"
                            + " all are. Under a field, each expression is compiled against the field's type.",
                    List.of(), Role.BOTH, ChoiceTransforms::coalesceValue, ChoiceTransforms::coalesceField,
                    ChoiceTransforms::coalesceJson, null),
            Transform.value("concat", "{concat: [<expr>, …]}",
                    "The parts joined as text. Null when any part is null, so {concat: [{const: 'stripe:'},"
                            + " /customer]} is null when there is no customer.",
                    List.of(), TextTransforms::concat),
            Transform.value("ref", "{ref: <expr>, system: <name>}",
                    "The canonical id of another object, <system>:<value> (the mapping's system unless `system` is"
                            + " given; a sink has no system, so it must be given there); null when the value is"
                            + " null. For links such as a charge's customer.",
                    List.of("system"), TextTransforms::ref),
            new Transform("enum", "{enum: <expr>, values: {<source>: <SYMBOL>, …}, default: <SYMBOL>|null}",
                    "Maps source text to a symbol of the field's Avro enum. `default` is required and is used for"
                            + " values not listed and for a missing value; symbols are checked at start. A null"
                            + " default leaves an optional field empty.",
                    List.of("values", "default"), Role.FIELD, null, ShapeTransforms::enumField,
                    ShapeTransforms::enumJson, "the listed text (any text, not only symbols), else `default`"),
            Transform.value("timestamp", "{timestamp: <expr>, from: unix-seconds|unix-millis|iso-8601|auto}",
                    "An instant for timestamp-millis fields (also timestamp-micros and date). unix-seconds and"
                            + " unix-millis read numbers or digit strings; iso-8601 needs a zone offset (or a plain"
                            + " date, taken as UTC midnight); auto takes numbers below 10^11 as seconds, larger ones"
                            + " as milliseconds, and anything else as ISO-8601. Empty text is null.",
                    List.of("from"), TimeTransforms::timestamp),
            Transform.value("date", "{date: <expr>}",
                    "The UTC calendar date of an instant as text, yyyy-MM-dd. The input is a {timestamp: …}, or a"
                            + " value read as epoch milliseconds (numbers, digit strings) or ISO-8601 (other text).",
                    List.of(), TimeTransforms.writeOut(ValueKind.TEXT, TimeTransforms::date)),
            Transform.value("datetime", "{datetime: <expr>}",
                    "An instant as ISO-8601 text in UTC (2024-05-01T12:00:00Z); input as for date.",
                    List.of(), TimeTransforms.writeOut(ValueKind.TEXT, Values::isoInstant)),
            Transform.value("epoch-millis", "{epoch-millis: <expr>}",
                    "An instant as a whole number of milliseconds since 1970-01-01T00:00:00Z; input as for date.",
                    List.of(), TimeTransforms.writeOut(ValueKind.INTEGER, ms -> ms)),
            Transform.value("minor-units", "{minor-units: <expr>, from: minor|major, currency: <expr>}",
                    "A money amount as a whole number of the currency's minor units (cents; the unit itself for"
                            + " zero-decimal currencies such as JPY). from: minor (default) checks that the source is"
                            + " already a whole number that fits 64 bits; from: major multiplies a decimal amount by"
                            + " the ISO-4217 minor-unit exponent of `currency` and fails when that is not exact.",
                    List.of("from", "currency"), MoneyTransforms::minorUnits),
            Transform.value("major-units", "{major-units: <expr>, currency: <expr>}",
                    "A whole number of minor units as a decimal number of major units (1999 USD → 19.99, 500 JPY →"
                            + " 500). Without `currency` the value must be a money object with amount (in minor"
                            + " units) and currency, such as a canonical Money.",
                    List.of("currency"), MoneyTransforms::majorUnits),
            new Transform("money", "{money: <amount expr>, currency: <expr>, from: minor|major}",
                    "A money record (fields amount and currency, e.g. common.Money): the amount as minor-units"
                            + " (same `from`), the currency as the currency transform does. Null when the amount is"
                            + " null; an amount without a currency fails the record.",
                    List.of("currency", "from"), Role.FIELD, null, MoneyTransforms::moneyField,
                    MoneyTransforms::moneyJson, "an object {\"amount\": <minor units>, \"currency\": <code>}"),
            Transform.value("currency", "{currency: <expr>}",
                    "An ISO-4217 currency code, trimmed and upper-cased; a code that is not ISO-4217 fails the"
                            + " record (to the DLQ).",
                    List.of(), TextTransforms::currency),
            Transform.value("country", "{country: <expr>}",
                    "An ISO-3166-1 alpha-2 country code (DE) from a code in any case or an English country name"
                            + " (Germany, United States, USA); null for text that names no known country, since CRM"
                            + " country fields are free text.",
                    List.of(), TextTransforms.over(TextTransforms::countryCode)),
            Transform.value("email", "{email: <expr>}",
                    "An e-mail address trimmed and lower-cased; empty text is null.",
                    List.of(), TextTransforms.over(s -> TextTransforms.blankToNull(s.trim().toLowerCase(Locale.ROOT)))),
            Transform.value("trim", "{trim: <expr>}",
                    "Text without leading and trailing white space; empty text is null.",
                    List.of(), TextTransforms.over(s -> TextTransforms.blankToNull(s.trim()))),
            Transform.value("lower", "{lower: <expr>}", "Text in lower case (locale-independent).",
                    List.of(), TextTransforms.over(s -> s.toLowerCase(Locale.ROOT))),
            Transform.value("upper", "{upper: <expr>}", "Text in upper case (locale-independent).",
                    List.of(), TextTransforms.over(s -> s.toUpperCase(Locale.ROOT))),
            Transform.value("given-name", "{given-name: <expr>}",
                    "The first word of a full name (Jane van Dyke → Jane); empty text is null.",
                    List.of(), TextTransforms.over(TextTransforms::givenName)),
            Transform.value("family-name", "{family-name: <expr>}",
                    "Everything after the first word of a full name (Jane van Dyke → van Dyke); null for one word.",
                    List.of(), TextTransforms.over(TextTransforms::familyName)),
            Transform.value("hash", "{hash: <expr>, key: env:NAME|file:PATH}",
                    "The keyed HMAC-SHA256 of the value's text, as 64 lower-case hex digits; null stays null. The key"
                            + " is a secret reference, resolved once when the mapping is compiled and never shown;"
                            + " at least 16 bytes. Equal values hash equally under one key, so analysts can still"
                            + " join and count on the hash; a new key gives new hashes (docs/privacy.md, Key"
                            + " rotation). Hash a normalized value ({email: …}) so that spellings of one value agree.",
                    List.of("key"), PrivacyTransforms::hash),
            Transform.value("mask", "{mask: <expr>, keep-first: N, keep-last: N, keep-domain: true|false}",
                    "The text with every character replaced by * except the first keep-first and the last keep-last"
                            + " (both default 0); with keep-domain, the part of an e-mail from its @ stays readable"
                            + " ({mask: /email, keep-first: 1, keep-domain: true}: ada@example.com → a**@example.com)."
                            + " The length stays visible; null stays null.",
                    List.of("keep-first", "keep-last", "keep-domain"), PrivacyTransforms::mask),
            Transform.value("drop", "{drop: true}",
                    "Always null: the field is left empty (and a JSON member left out), whatever the source holds;"
                            + " the source is not read. For personal data a view must not carry; the field must be"
                            + " optional.",
                    List.of(), PrivacyTransforms::drop),
            Transform.value("text", "{text: <expr>}",
                    "Any value as text: text as it is, numbers and true/false as written (12 → \"12\"), instants as"
                            + " ISO-8601, objects and arrays as compact JSON.",
                    List.of(), TextTransforms::anyText),
            new Transform("record", "{record: {<field>: <expr>, …}, from: <path>}",
                    "A nested Avro record. With `from`, relative paths (/…) inside start at that JSON object and"
                            + " the record is null when it is missing; $object/… still reaches the whole object.",
                    List.of("from"), Role.FIELD, null, ShapeTransforms::recordField, ShapeTransforms::recordJson,
                    "a JSON object of those members (left out when none has a value and null members are left out)"),
            new Transform("each", "{each: <path to an array>, record: {…}} or {each: <path>, value: <expr>}",
                    "An Avro array with one element per element of a JSON array; inside, relative paths (/…) start"
                            + " at the element and $item is the element itself. A missing array is null (the"
                            + " field's default applies).",
                    List.of("record", "value"), Role.FIELD, null, ShapeTransforms::eachField,
                    ShapeTransforms::eachJson, "a JSON array"),
            new Transform("map", "{map: <path to an object>, keys: [<member>, …]}",
                    "A map of string to string from a JSON object (custom properties, Stripe metadata): numbers and"
                            + " booleans become text, null members are left out, nested objects and arrays become"
                            + " JSON text. With `keys`, only those members (the custom properties a user lists), and"
                            + " the parser skips the rest of the object.",
                    List.of("keys"), Role.FIELD, null, ShapeTransforms::mapField, ShapeTransforms::mapJson,
                    "the JSON object as it is"),
            new Transform("when", "{when: <condition>, then: <expr>, else: <expr>}",
                    "`then` when the condition is true, else `else` (null when omitted). A condition is any"
                            + " true/false expression, e.g. equals, in, exists, or a JSON boolean path.",
                    List.of("then", "else"), Role.BOTH, ChoiceTransforms::whenValue, ChoiceTransforms::whenField,
                    ChoiceTransforms::whenJson, null),
            Transform.value("find", "{find: <path to an array>, where: <condition>, value: <expr>}",
                    "The first element of a JSON array for which the condition holds; inside, relative paths (/…)"
                            + " start at the element and $item is the element itself. With `value`, that expression"
                            + " of the element (e.g. the body of the Comment among a Zendesk audit's events), else"
                            + " the element. Null when the array is missing or no element matches.",
                    List.of("where", "value"), ChoiceTransforms::find),
            Transform.value("equals", "{equals: [<expr>, <expr>]}",
                    "True when both values are equal (text by content, numbers by value); null equals only null.",
                    List.of(), ChoiceTransforms::equalsValue),
            Transform.value("in", "{in: <expr>, values: [<constant>, …]}",
                    "True when the value equals one of the listed constants.",
                    List.of("values"), ChoiceTransforms::inValue),
            Transform.value("exists", "{exists: <expr>}",
                    "True when the value is present and not null.",
                    List.of(), ChoiceTransforms::exists),
            Transform.value("any", "{any: [<condition>, …]}", "True when at least one condition is true.",
                    List.of(), (c, n, p) -> ChoiceTransforms.logic(c, n, p, "any")),
            Transform.value("all", "{all: [<condition>, …]}", "True when every condition is true.",
                    List.of(), (c, n, p) -> ChoiceTransforms.logic(c, n, p, "all")),
            Transform.value("not", "{not: <condition>}", "True when the condition is false or null.",
                    List.of(), ChoiceTransforms::not),
            new Transform("java", "{java: <class name>, options: {<key>: <text>, …}}",
                    "Calls a io.syncline.mapping.spi.MappingFunction on the class path for what the language"
                            + " cannot express. It is created and configured (with the field's Avro type) at start;"
                            + " its result is checked against the field's type per record.",
                    List.of("options"), Role.FIELD, null, ShapeTransforms::javaField, null, null));

    static final Map<String, Transform> BY_NAME;

    static {
        Map<String, Transform> m = new LinkedHashMap<>();
        ALL.forEach(t -> m.put(t.name(), t));
        BY_NAME = Collections.unmodifiableMap(m);
    }

    /** The names of every transform, in the order of the reference. */
    public static Set<String> names() {
        return BY_NAME.keySet();
    }

    /**
     * The transform reference as Markdown, generated from this registry; docs/mappings.md embeds it between
     * {@code <!-- transforms:start -->} and {@code <!-- transforms:end -->} and a test keeps it fresh.
     */
    public static String markdownReference() {
        StringBuilder md = new StringBuilder();
        md.append("| transform | syntax | where | in a JSON target (sinks) | what it does |\n|---|---|---|---|---|\n");
        for (Transform t : ALL) {
            String where = switch (t.role()) {
                case VALUE -> "anywhere";
                case FIELD -> "directly under a field";
                case BOTH -> "anywhere (typed by the field when directly under one)";
            };
            String json = t.jsonDoc() != null ? t.jsonDoc()
                    : t.json() != null || t.value() != null ? "yes" : "no (Avro fields only)";
            md.append("| `").append(t.name()).append("` | `").append(cell(t.syntax())).append("` | ").append(where)
                    .append(" | ").append(cell(json)).append(" | ").append(cell(t.doc())).append(" |\n");
        }
        return md.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    // ---- helpers shared by the compilers -------------------------------------------------------------------------

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

    static Expr constantEnum(ExprCompiler c, JsonNode v, String path, Schema x) {
        if (v != null && v.isTextual() && x.getEnumSymbols().contains(v.textValue())) {
            GenericData.EnumSymbol symbol = new GenericData.EnumSymbol(x, v.textValue());
            return ctx -> symbol;
        }
        if (v == null || v.isNull()) {
            return ctx -> null;
        }
        c.problem(path + ".const", "\"" + v.asText() + "\" is not a symbol of " + x.getName() + "; expected one of "
                + String.join(", ", x.getEnumSymbols()));
        return ExprCompiler.ERROR_EXPR;
    }

    static List<JsonNode> list(ExprCompiler c, JsonNode v, String path, int min) {
        if (v == null || !v.isArray() || v.size() < min) {
            c.problem(path, "expected a list of at least " + min + " expression" + (min == 1 ? "" : "s"));
            return null;
        }
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    /** The kind of a choice between expressions: theirs when they agree, else a dynamic JSON-like value. */
    static ValueKind merge(ExprCompiler c, List<Typed> parts, String path) {
        ValueKind kind = null;
        for (Typed t : parts) {
            if (t == ExprCompiler.ERROR) {
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

    /** True when {@code v} is true (a Boolean, a JSON boolean or the text true); null is false. */
    public static boolean truthy(Object v, String label) {
        Boolean b = Values.bool(v, label);
        return b != null && b;
    }
}
