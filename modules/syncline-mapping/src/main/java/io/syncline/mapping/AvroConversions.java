package io.syncline.mapping;

import org.apache.avro.LogicalType;
import org.apache.avro.Schema;

/**
 * How a plain value (text, a number, a timestamp, a JSON value) becomes the Java value Avro writes for a canonical
 * field: what converts without losing meaning is converted per record, what never can is refused at compile time
 * with a hint.
 */
final class AvroConversions {

    private AvroConversions() {
    }

    /** Converts a plain value to the Java value Avro writes for {@code x}; reports what can never convert. */
    static Expr convert(ExprCompiler c, Typed t, Schema x, String path, String label) {
        if (t == ExprCompiler.ERROR) {
            return ExprCompiler.ERROR_EXPR;
        }
        Expr e = t.expr();
        ValueKind k = t.kind();
        if (k == ValueKind.AVRO) {
            return e;
        }
        LogicalType logical = x.getLogicalType();
        String name = logical == null ? null : logical.getName();
        switch (x.getType()) {
            case STRING -> {
                if (k == ValueKind.TIMESTAMP) {
                    return cannot(c, path, label, x, k, "text fields take text; keep timestamps in timestamp-millis"
                            + " fields");
                }
                return k == ValueKind.TEXT ? e : ctx -> Values.text(e.eval(ctx), label);
            }
            case LONG -> {
                if ("timestamp-millis".equals(name) || "local-timestamp-millis".equals(name)) {
                    return k == ValueKind.TIMESTAMP ? e : cannot(c, path, label, x, k, "use {timestamp: <expr>, from:"
                            + " unix-seconds|unix-millis|iso-8601|auto} to say how the source writes time");
                }
                if ("timestamp-micros".equals(name) || "local-timestamp-micros".equals(name)) {
                    if (k != ValueKind.TIMESTAMP) {
                        return cannot(c, path, label, x, k, "use {timestamp: <expr>, from: …}");
                    }
                    return ctx -> {
                        Long ms = (Long) e.eval(ctx);
                        return ms == null ? null : Math.multiplyExact(ms, 1000L);
                    };
                }
                if (k == ValueKind.TIMESTAMP || k == ValueKind.BOOLEAN) {
                    return cannot(c, path, label, x, k, null);
                }
                return k == ValueKind.INTEGER ? e : ctx -> Values.integer(e.eval(ctx), label);
            }
            case INT -> {
                if ("date".equals(name)) {
                    if (k != ValueKind.TIMESTAMP) {
                        return cannot(c, path, label, x, k, "use {timestamp: <expr>, from: …}; the date is taken in UTC");
                    }
                    return ctx -> {
                        Long ms = (Long) e.eval(ctx);
                        return ms == null ? null : Math.toIntExact(Math.floorDiv(ms, 86_400_000L));
                    };
                }
                if (logical != null || k == ValueKind.TIMESTAMP || k == ValueKind.BOOLEAN) {
                    return cannot(c, path, label, x, k, null);
                }
                return ctx -> {
                    Long v = Values.integer(e.eval(ctx), label);
                    if (v == null) {
                        return null;
                    }
                    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                        throw new MappingException(label, v + " does not fit in a 32-bit int");
                    }
                    return v.intValue();
                };
            }
            case DOUBLE, FLOAT -> {
                if (k == ValueKind.TIMESTAMP || k == ValueKind.BOOLEAN) {
                    return cannot(c, path, label, x, k, null);
                }
                if (x.getType() == Schema.Type.FLOAT) {
                    return ctx -> {
                        Double d = Values.decimal(e.eval(ctx), label);
                        return d == null ? null : d.floatValue();
                    };
                }
                return ctx -> Values.decimal(e.eval(ctx), label);
            }
            case BOOLEAN -> {
                if (k != ValueKind.JSON && k != ValueKind.BOOLEAN && k != ValueKind.TEXT) {
                    return cannot(c, path, label, x, k, null);
                }
                return k == ValueKind.BOOLEAN ? e : ctx -> Values.bool(e.eval(ctx), label);
            }
            case ENUM -> {
                return cannot(c, path, label, x, k, "map source values to symbols with {enum: <expr>, values: {…},"
                        + " default: <symbol>}; symbols are " + String.join(", ", x.getEnumSymbols()));
            }
            case RECORD -> {
                return cannot(c, path, label, x, k, "write its fields as {record: {…}} (optionally with from: <path>)");
            }
            case ARRAY -> {
                return cannot(c, path, label, x, k, "build it with {each: <path to a JSON array>, record: {…}} or"
                        + " {each: …, value: <expr>}");
            }
            case MAP -> {
                return cannot(c, path, label, x, k, "copy a JSON object with {map: <path>}");
            }
            default -> {
                return cannot(c, path, label, x, k, "mappings cannot fill " + x.getType().getName()
                        + " fields; use a {java: …} function");
            }
        }
    }

    private static Expr cannot(ExprCompiler c, String path, String label, Schema x, ValueKind k, String hint) {
        c.problem(path, "cannot convert " + k.description() + " to field " + label + " of type " + ExprCompiler.typeName(x)
                + (hint == null ? "" : "; " + hint));
        return ExprCompiler.ERROR_EXPR;
    }
}
