package io.syncline.mapping;

import java.math.BigDecimal;
import java.util.Currency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/** Money: minor-units, major-units, and money (a record or JSON object of amount and currency). */
final class MoneyTransforms {

    private MoneyTransforms() {
    }

    static Typed minorUnits(ExprCompiler c, ObjectNode node, String path) {
        Typed in = c.valueOf(node.get("minor-units"), path + ".minor-units", ValueKind.TEXT, ValueKind.INTEGER,
                ValueKind.DECIMAL);
        JsonNode from = node.get("from");
        String mode = from == null ? "minor" : from.asText();
        if (!mode.equals("minor") && !mode.equals("major")) {
            return c.fail(path + ".from", "expected minor or major, got \"" + mode + "\"");
        }
        if (in == ExprCompiler.ERROR) {
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
        Typed cur = TextTransforms.currency(c, node, path + ".currency", node.get("currency"));
        if (cur == ExprCompiler.ERROR) {
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

    /** The amount and currency expressions of {@code {money: …, currency: …, from: …}}, or null when reported. */
    private static Expr[] amountAndCurrency(ExprCompiler c, ObjectNode node, String path) {
        if (!node.has("currency")) {
            c.problem(path, "money needs currency: <expr>");
            return null;
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
        Typed currencyExpr = TextTransforms.currency(c, node, path + ".currency", node.get("currency"));
        if (amountExpr == ExprCompiler.ERROR || currencyExpr == ExprCompiler.ERROR) {
            return null;
        }
        return new Expr[] {amountExpr.expr(), currencyExpr.expr()};
    }

    static Expr moneyField(ExprCompiler c, ObjectNode node, String path, Schema x, String label) {
        Schema.Field amount = x.getType() == Schema.Type.RECORD ? x.getField("amount") : null;
        Schema.Field currency = x.getType() == Schema.Type.RECORD ? x.getField("currency") : null;
        if (amount == null || currency == null || ExprCompiler.nonNull(amount.schema()).getType() != Schema.Type.LONG
                || ExprCompiler.nonNull(currency.schema()).getType() != Schema.Type.STRING) {
            c.problem(path, "money fills records with a long amount and a string currency; field " + label + " is "
                    + ExprCompiler.typeName(x));
            return ExprCompiler.ERROR_EXPR;
        }
        for (Schema.Field f : x.getFields()) {
            if (f != amount && f != currency && !f.hasDefaultValue() && !ExprCompiler.nullable(f.schema())) {
                c.problem(path, "money cannot fill required field " + label + "." + f.name() + " of " + x.getName()
                        + "; use {record: {…}}");
                return ExprCompiler.ERROR_EXPR;
            }
        }
        Expr[] parts = amountAndCurrency(c, node, path);
        if (parts == null) {
            return ExprCompiler.ERROR_EXPR;
        }
        Expr a = parts[0];
        Expr cur = parts[1];
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

    static Expr moneyJson(ExprCompiler c, ObjectNode node, String path, String label) {
        Expr[] parts = amountAndCurrency(c, node, path);
        if (parts == null) {
            return ExprCompiler.ERROR_EXPR;
        }
        Expr a = parts[0];
        Expr cur = parts[1];
        return ctx -> {
            Long v = (Long) a.eval(ctx);
            if (v == null) {
                return null;
            }
            Object code = cur.eval(ctx);
            if (code == null) {
                throw new MappingException(label, "an amount needs a currency, but the currency is missing");
            }
            ObjectNode out = ExprCompiler.NODES.objectNode();
            out.put("amount", v);
            out.put("currency", (String) code);
            return out;
        };
    }

    static Typed majorUnits(ExprCompiler c, ObjectNode node, String path) {
        Typed in = c.valueOf(node.get("major-units"), path + ".major-units", ValueKind.TEXT, ValueKind.INTEGER);
        if (in == ExprCompiler.ERROR) {
            return in;
        }
        Expr e = in.expr();
        Expr cur = null;
        if (node.has("currency")) {
            Typed t = TextTransforms.currency(c, node, path + ".currency", node.get("currency"));
            if (t == ExprCompiler.ERROR) {
                return t;
            }
            cur = t.expr();
        }
        Expr currency = cur;
        return Typed.of(ValueKind.JSON, ctx -> {
            Object v = e.eval(ctx);
            if (v == null) {
                return null;
            }
            Object amount = v;
            String code;
            if (currency != null) {
                code = (String) currency.eval(ctx);
                if (code == null) {
                    throw new MappingException("major-units", "an amount needs a currency, but the currency is"
                            + " missing");
                }
            } else {
                // No currency given: the value is a money object, e.g. a canonical Money {amount, currency}.
                JsonNode money = v instanceof JsonNode n && n.isObject() ? n : null;
                JsonNode a = money == null ? null : money.get("amount");
                JsonNode cc = money == null ? null : money.get("currency");
                if (a == null || !a.isIntegralNumber() || cc == null || !cc.isTextual()) {
                    throw new MappingException("major-units", "expected a money object (amount in minor units and"
                            + " currency) or currency: <expr>, got " + Values.describe(v));
                }
                amount = a;
                code = TextTransforms.currencyCode(cc.textValue());
            }
            Long minor = Values.integer(amount, "major-units");
            int digits = Currency.getInstance(code).getDefaultFractionDigits();
            return ExprCompiler.NODES.numberNode(BigDecimal.valueOf(minor, Math.max(digits, 0)));
        });
    }
}
