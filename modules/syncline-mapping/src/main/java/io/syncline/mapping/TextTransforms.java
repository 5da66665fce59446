package io.syncline.mapping;

import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Text: concat, ref, currency, email, trim, lower, upper, given-name, family-name, text. */
final class TextTransforms {

    private TextTransforms() {
    }

    /** A value transform over text: compiles the input, converts to text, applies {@code f} to non-null text. */
    static Transform.ValueCompiler over(Function<String, String> f) {
        return (c, node, path) -> {
            String name = node.fieldNames().next();
            Typed in = c.valueOf(node.get(name), path + "." + name, ValueKind.TEXT, ValueKind.INTEGER);
            if (in == ExprCompiler.ERROR) {
                return in;
            }
            Expr e = in.expr();
            return Typed.of(ValueKind.TEXT, ctx -> {
                String s = Values.text(e.eval(ctx), name);
                return s == null ? null : f.apply(s);
            });
        };
    }

    static String blankToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    /** The first word of a full name; null for empty text. */
    static String givenName(String name) {
        String n = name.trim();
        int space = firstSpace(n);
        return blankToNull(space < 0 ? n : n.substring(0, space));
    }

    /** Everything after the first word of a full name; null for one word. */
    static String familyName(String name) {
        String n = name.trim();
        int space = firstSpace(n);
        return space < 0 ? null : blankToNull(n.substring(space).trim());
    }

    private static int firstSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Any value as text: timestamps as ISO-8601, objects and arrays as compact JSON. */
    static Typed anyText(ExprCompiler c, ObjectNode node, String path) {
        Typed in = c.value(node.get("text"), path + ".text");
        if (in == ExprCompiler.ERROR) {
            return in;
        }
        Expr e = in.expr();
        if (in.kind() == ValueKind.TIMESTAMP) {
            return Typed.of(ValueKind.TEXT, ctx -> {
                Long ms = (Long) e.eval(ctx);
                return ms == null ? null : Values.isoInstant(ms);
            });
        }
        return Typed.of(ValueKind.TEXT, ctx -> Values.anyText(e.eval(ctx)));
    }

    static Typed concat(ExprCompiler c, ObjectNode node, String path) {
        List<JsonNode> items = Transforms.list(c, node.get("concat"), path + ".concat", 1);
        if (items == null) {
            return ExprCompiler.ERROR;
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

    static Typed ref(ExprCompiler c, ObjectNode node, String path) {
        Typed in = c.valueOf(node.get("ref"), path + ".ref", ValueKind.TEXT, ValueKind.INTEGER);
        JsonNode sys = node.get("system");
        String system;
        if (sys == null) {
            if (c.system().isEmpty()) {
                return c.fail(path, "ref needs system: <name> here, e.g. {ref: /customer_id, system: stripe}");
            }
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

    static Typed currency(ExprCompiler c, ObjectNode node, String path) {
        return currency(c, node, path + ".currency", node.get("currency"));
    }

    static Typed currency(ExprCompiler c, ObjectNode node, String inputPath, JsonNode input) {
        Typed in = c.valueOf(input, inputPath, ValueKind.TEXT);
        if (in == ExprCompiler.ERROR) {
            return in;
        }
        Expr e = in.expr();
        return Typed.of(ValueKind.TEXT, ctx -> {
            String s = Values.text(e.eval(ctx), "currency");
            if (s == null) {
                return null;
            }
            return currencyCode(s);
        });
    }

    /** The ISO-4217 code for text as a source writes it (usd, " USD "), or a MappingException. */
    static String currencyCode(String s) {
        // Hot path: the code as the source writes it (usd, USD) maps straight to the ISO code.
        String code = CURRENCY_CODES.get(s);
        if (code == null) {
            code = CURRENCY_CODES.get(s.trim());
        }
        if (code == null) {
            throw new MappingException("currency", Values.describe(s) + " is not an ISO-4217 currency code");
        }
        return code;
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

    private static final Map<String, String> COUNTRY_CODES;

    static {
        Map<String, String> codes = new java.util.HashMap<>();
        for (String code : Locale.getISOCountries()) {
            codes.put(code.toLowerCase(Locale.ROOT), code);
            codes.put(new Locale("", code).getDisplayCountry(Locale.ENGLISH).toLowerCase(Locale.ROOT), code);
        }
        // Names people type that are not the JDK's English display names.
        Map.of("usa", "US", "united states of america", "US", "u.s.", "US", "u.s.a.", "US", "uk", "GB",
                "great britain", "GB", "england", "GB", "deutschland", "DE", "czech republic", "CZ",
                "south korea", "KR").forEach(codes::put);
        COUNTRY_CODES = Map.copyOf(codes);
    }

    /**
     * The ISO-3166-1 alpha-2 code of a country written as a code (de, DE) or by its English name (Germany, United
     * States, USA), or null when the text names no country it knows: CRM country fields are free text, which is no
     * reason to reject the record.
     */
    static String countryCode(String s) {
        String t = s.trim();
        return t.isEmpty() ? null : COUNTRY_CODES.get(t.toLowerCase(Locale.ROOT));
    }
}
