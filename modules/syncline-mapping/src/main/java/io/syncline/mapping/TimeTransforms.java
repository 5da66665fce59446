package io.syncline.mapping;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.LongFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Time: timestamp, and date, datetime and epoch-millis, which write an instant out. */
final class TimeTransforms {

    private TimeTransforms() {
    }

    static Typed timestamp(ExprCompiler c, ObjectNode node, String path) {
        JsonNode from = node.get("from");
        Values.TimeFormat format = from == null || !from.isTextual() ? null : Values.TimeFormat.of(from.textValue());
        if (format == null) {
            c.problem(path + (from == null ? "" : ".from"), "timestamp needs from: unix-seconds, unix-millis,"
                    + " iso-8601 or auto" + (from == null ? "" : ", got \"" + from.asText() + "\""));
        }
        Typed in = c.valueOf(node.get("timestamp"), path + ".timestamp", ValueKind.TEXT, ValueKind.INTEGER,
                ValueKind.DECIMAL, ValueKind.TIMESTAMP);
        if (in == ExprCompiler.ERROR || format == null) {
            return ExprCompiler.ERROR;
        }
        if (in.kind() == ValueKind.TIMESTAMP) {
            return in;
        }
        Expr e = in.expr();
        return Typed.of(ValueKind.TIMESTAMP, ctx -> Values.timestamp(e.eval(ctx), format, "timestamp"));
    }

    /**
     * A transform that writes an instant out: its input is a {@code timestamp} expression, or a value read as epoch
     * milliseconds (numbers, digit strings) or ISO-8601 (other text).
     */
    static Transform.ValueCompiler writeOut(ValueKind kind, LongFunction<Object> out) {
        return (c, node, path) -> {
            String name = node.fieldNames().next();
            Typed in = c.valueOf(node.get(name), path + "." + name, ValueKind.TEXT, ValueKind.INTEGER,
                    ValueKind.DECIMAL, ValueKind.TIMESTAMP);
            if (in == ExprCompiler.ERROR) {
                return in;
            }
            Expr e = in.expr();
            if (in.kind() == ValueKind.TIMESTAMP) {
                return Typed.of(kind, ctx -> {
                    Long ms = (Long) e.eval(ctx);
                    return ms == null ? null : out.apply(ms);
                });
            }
            return Typed.of(kind, ctx -> {
                Long ms = Values.timestamp(e.eval(ctx), Values.TimeFormat.MILLIS_OR_ISO, name);
                return ms == null ? null : out.apply(ms);
            });
        };
    }

    static String date(long millis) {
        return Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
}
