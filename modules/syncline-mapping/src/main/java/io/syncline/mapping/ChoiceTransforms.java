package io.syncline.mapping;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;

/** Constants, choices and conditions: const, coalesce, when, equals, in, exists, any, all, not. */
final class ChoiceTransforms {

    private ChoiceTransforms() {
    }

    static Typed compileConst(ExprCompiler c, ObjectNode node, String path) {
        Typed t = Transforms.constant(node.get("const"));
        return t != null ? t : c.fail(path + ".const", "a constant is text, a number, true/false or null");
    }

    static Typed coalesceValue(ExprCompiler c, ObjectNode node, String path) {
        List<JsonNode> items = Transforms.list(c, node.get("coalesce"), path + ".coalesce", 1);
        if (items == null) {
            return ExprCompiler.ERROR;
        }
        List<Typed> parts = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            parts.add(c.value(items.get(i), path + ".coalesce[" + i + "]"));
        }
        ValueKind kind = Transforms.merge(c, parts, path);
        if (kind == null) {
            return ExprCompiler.ERROR;
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

    static Expr coalesceField(ExprCompiler c, ObjectNode node, String path, Schema x, String label) {
        List<JsonNode> items = Transforms.list(c, node.get("coalesce"), path + ".coalesce", 1);
        if (items == null) {
            return ExprCompiler.ERROR_EXPR;
        }
        Expr[] exprs = new Expr[items.size()];
        for (int i = 0; i < items.size(); i++) {
            exprs[i] = c.field(items.get(i), path + ".coalesce[" + i + "]", x, label);
        }
        return coalesce(exprs);
    }

    static Expr coalesceJson(ExprCompiler c, ObjectNode node, String path, String label) {
        List<JsonNode> items = Transforms.list(c, node.get("coalesce"), path + ".coalesce", 1);
        if (items == null) {
            return ExprCompiler.ERROR_EXPR;
        }
        Expr[] exprs = new Expr[items.size()];
        for (int i = 0; i < items.size(); i++) {
            exprs[i] = c.json(items.get(i), path + ".coalesce[" + i + "]", label);
        }
        return coalesce(exprs);
    }

    static Typed whenValue(ExprCompiler c, ObjectNode node, String path) {
        Expr cond = c.valueOf(node.get("when"), path + ".when", ValueKind.BOOLEAN).expr();
        Typed then = c.value(node.get("then"), path + ".then");
        Typed otherwise = node.has("else") ? c.value(node.get("else"), path + ".else")
                : Typed.of(then.kind(), ctx -> null);
        ValueKind kind = Transforms.merge(c, List.of(then, otherwise), path);
        if (kind == null) {
            return ExprCompiler.ERROR;
        }
        return Typed.of(kind, when(cond, then.expr(), otherwise.expr()));
    }

    private static Expr when(Expr cond, Expr then, Expr otherwise) {
        return ctx -> Transforms.truthy(cond.eval(ctx), "when") ? then.eval(ctx) : otherwise.eval(ctx);
    }

    static Expr whenField(ExprCompiler c, ObjectNode node, String path, Schema x, String label) {
        Expr cond = c.valueOf(node.get("when"), path + ".when", ValueKind.BOOLEAN).expr();
        if (!node.has("then")) {
            c.problem(path, "when needs then: <expr>");
            return ExprCompiler.ERROR_EXPR;
        }
        Expr then = c.field(node.get("then"), path + ".then", x, label);
        Expr otherwise = node.has("else") ? c.field(node.get("else"), path + ".else", x, label) : ctx -> null;
        return when(cond, then, otherwise);
    }

    static Expr whenJson(ExprCompiler c, ObjectNode node, String path, String label) {
        Expr cond = c.valueOf(node.get("when"), path + ".when", ValueKind.BOOLEAN).expr();
        if (!node.has("then")) {
            c.problem(path, "when needs then: <expr>");
            return ExprCompiler.ERROR_EXPR;
        }
        Expr then = c.json(node.get("then"), path + ".then", label);
        Expr otherwise = node.has("else") ? c.json(node.get("else"), path + ".else", label) : ctx -> null;
        return when(cond, then, otherwise);
    }

    static Typed find(ExprCompiler c, ObjectNode node, String path) {
        if (!node.has("where")) {
            return c.fail(path, "find needs where: <condition>, e.g. {find: /events, where: {equals: [/type,"
                    + " {const: Comment}]}}");
        }
        Typed in = c.base(node.get("find"), path + ".find", true);
        Typed where;
        Typed value;
        try {
            where = c.valueOf(node.get("where"), path + ".where", ValueKind.BOOLEAN);
            value = node.has("value") ? c.value(node.get("value"), path + ".value") : null;
        } finally {
            c.endBase();
        }
        if (in == ExprCompiler.ERROR || where == ExprCompiler.ERROR || value == ExprCompiler.ERROR) {
            return ExprCompiler.ERROR;
        }
        if (in.kind() != ValueKind.JSON) {
            return c.fail(path + ".find", "find needs a path to a JSON array");
        }
        Expr array = in.expr();
        Expr cond = where.expr();
        Expr out = value == null ? null : value.expr();
        return Typed.of(value == null ? ValueKind.JSON : value.kind(), ctx -> {
            Object v = array.eval(ctx);
            if (v == null) {
                return null;
            }
            if (!(v instanceof JsonNode n) || !n.isArray()) {
                throw new MappingException("find", "expected an array, got " + Values.describe(v));
            }
            JsonNode previous = ctx.swapCurrent(null);
            try {
                for (JsonNode element : n) {
                    ctx.swapCurrent(element);
                    if (Transforms.truthy(cond.eval(ctx), "find")) {
                        return out == null ? element : out.eval(ctx);
                    }
                }
                return null;
            } finally {
                ctx.swapCurrent(previous);
            }
        });
    }

    static Typed equalsValue(ExprCompiler c, ObjectNode node, String path) {
        List<JsonNode> items = Transforms.list(c, node.get("equals"), path + ".equals", 2);
        if (items == null) {
            return ExprCompiler.ERROR;
        }
        if (items.size() != 2) {
            return c.fail(path + ".equals", "equals compares exactly two values");
        }
        Expr a = c.value(items.get(0), path + ".equals[0]").expr();
        Expr b = c.value(items.get(1), path + ".equals[1]").expr();
        return Typed.of(ValueKind.BOOLEAN, ctx -> Values.sameValue(a.eval(ctx), b.eval(ctx)));
    }

    static Typed inValue(ExprCompiler c, ObjectNode node, String path) {
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

    static Typed exists(ExprCompiler c, ObjectNode node, String path) {
        Expr e = c.value(node.get("exists"), path + ".exists").expr();
        return Typed.of(ValueKind.BOOLEAN, ctx -> e.eval(ctx) != null);
    }

    static Typed logic(ExprCompiler c, ObjectNode node, String path, String op) {
        List<JsonNode> items = Transforms.list(c, node.get(op), path + "." + op, 1);
        if (items == null) {
            return ExprCompiler.ERROR;
        }
        Expr[] conds = new Expr[items.size()];
        for (int i = 0; i < items.size(); i++) {
            conds[i] = c.valueOf(items.get(i), path + "." + op + "[" + i + "]", ValueKind.BOOLEAN).expr();
        }
        boolean any = op.equals("any");
        return Typed.of(ValueKind.BOOLEAN, ctx -> {
            for (Expr e : conds) {
                if (Transforms.truthy(e.eval(ctx), op) == any) {
                    return any;
                }
            }
            return !any;
        });
    }

    static Typed not(ExprCompiler c, ObjectNode node, String path) {
        Expr e = c.valueOf(node.get("not"), path + ".not", ValueKind.BOOLEAN).expr();
        return Typed.of(ValueKind.BOOLEAN, ctx -> !Transforms.truthy(e.eval(ctx), "not"));
    }
}
