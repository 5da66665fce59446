package io.syncline.normalizer.mapping;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.mapping.ExprCompiler;
import io.syncline.mapping.MappingException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * What a mapping checks of the values it produced ({@code checks:}), beyond their shape: required fields, plausible
 * ranges, times within a window around when Syncline received the change. A record that breaks one goes to the DLQ
 * with the check named (reason {@code check}), so that, say, a charge dated 285,000 years ahead cannot pin its
 * object's newest-version guard for ever.
 *
 * <pre>
 * checks:
 *   amount: {required: true}                      # canonical field (dotted path into nested records)
 *   amount.amount: {min: 0}
 *   created_at: {required: true, within: {before: P7300D, after: P1D}}   # received-at − 20 years … + 1 day
 *   updated-at: {within: {before: P400D, after: P1D}}                      # the mapping's version time
 * </pre>
 */
public final class FieldChecks {

    /** The check key for the mapping's version time ({@code updated-at}), which is not a field. */
    public static final String UPDATED_AT = "updated-at";
    static final List<String> OPTIONS = List.of("required", "min", "max", "within");

    /**
     * One check.
     *
     * @param label the key as written, named in failures
     * @param positions field positions from the record down to the value; empty for {@code updated-at}
     */
    record Check(String label, int[] positions, boolean required, Double min, Double max, Duration before,
            Duration after, String beforeText, String afterText) {
    }

    private static final FieldChecks NONE = new FieldChecks(List.of());

    private final Check[] checks;

    private FieldChecks(List<Check> checks) {
        this.checks = checks.toArray(new Check[0]);
    }

    public static FieldChecks none() {
        return NONE;
    }

    public boolean isEmpty() {
        return checks.length == 0;
    }

    /** Compiles {@code checks:} against the target schema, reporting problems under {@code checks.<key>}. */
    static FieldChecks compile(JsonNode node, Schema target, ExprCompiler c) {
        if (node == null) {
            return NONE;
        }
        if (!node.isObject()) {
            c.problem("checks", "expected canonical fields mapped to checks, e.g. checks: {amount.amount: {min: 0}}");
            return NONE;
        }
        List<Check> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = "checks." + e.getKey();
            JsonNode spec = e.getValue();
            if (spec == null || !spec.isObject()) {
                c.problem(key, "expected {required: true|false, min: <number>, max: <number>, within: {before:"
                        + " <duration>, after: <duration>}}");
                continue;
            }
            for (Iterator<String> names = spec.fieldNames(); names.hasNext(); ) {
                String n = names.next();
                if (!OPTIONS.contains(n)) {
                    c.problem(key + "." + n, "unknown check \"" + n + "\"; expected one of " + String.join(", ",
                            OPTIONS));
                }
            }
            int[] positions;
            Schema type;
            if (e.getKey().equals(UPDATED_AT)) {
                positions = new int[0];
                type = ExprCompiler.TIMESTAMP;
            } else {
                String[] parts = e.getKey().split("\\.");
                positions = new int[parts.length];
                type = target;
                boolean ok = true;
                for (int i = 0; i < parts.length && ok; i++) {
                    Schema rec = ExprCompiler.nonNull(type);
                    Schema.Field f = rec == null || rec.getType() != Schema.Type.RECORD ? null : rec.getField(parts[i]);
                    if (f == null) {
                        c.problem(key, "no field \"" + parts[i] + "\" in " + (rec == null ? type : rec.getFullName())
                                + (rec != null && rec.getType() == Schema.Type.RECORD ? "; its fields are "
                                + String.join(", ", rec.getFields().stream().map(Schema.Field::name).toList()) : "")
                                + " (or check updated-at, the mapping's version time)");
                        ok = false;
                    } else {
                        positions[i] = f.pos();
                        type = f.schema();
                    }
                }
                if (!ok) {
                    continue;
                }
            }
            Schema x = ExprCompiler.nonNull(type);
            boolean timestamp = x != null && x.getLogicalType() != null
                    && x.getLogicalType().getName().startsWith("timestamp");
            boolean number = x != null && !timestamp && switch (x.getType()) {
                case INT, LONG, FLOAT, DOUBLE -> true;
                default -> false;
            };
            boolean required = spec.path("required").asBoolean(false);
            if (spec.has("required") && !spec.get("required").isBoolean()) {
                c.problem(key + ".required", "expected true or false");
            }
            Double min = number(c, spec, "min", key, number, x);
            Double max = number(c, spec, "max", key, number, x);
            Duration before = null;
            Duration after = null;
            JsonNode within = spec.get("within");
            if (within != null) {
                if (!timestamp) {
                    c.problem(key + ".within", "within checks timestamp fields; " + e.getKey() + " is "
                            + ExprCompiler.typeName(type));
                } else if (!within.isObject() || within.isEmpty()) {
                    c.problem(key + ".within", "expected {before: <duration>, after: <duration>} (ISO-8601, e.g."
                            + " P3650D, PT1H) around the received-at time");
                } else {
                    before = duration(c, within, "before", key + ".within");
                    after = duration(c, within, "after", key + ".within");
                }
            }
            out.add(new Check(e.getKey(), positions, required, min, max, before, after,
                    within == null ? null : within.path("before").asText(null),
                    within == null ? null : within.path("after").asText(null)));
        }
        return new FieldChecks(out);
    }

    private static Double number(ExprCompiler c, JsonNode spec, String name, String key, boolean number, Schema x) {
        JsonNode n = spec.get(name);
        if (n == null) {
            return null;
        }
        if (!number) {
            c.problem(key + "." + name, name + " checks number fields; this one is "
                    + (x == null ? "a union" : ExprCompiler.typeName(x))
                    + (x != null && x.getType() == Schema.Type.RECORD ? " (for money, check its amount: <field>.amount)"
                    : ""));
            return null;
        }
        if (!n.isNumber()) {
            c.problem(key + "." + name, "expected a number, got " + n);
            return null;
        }
        return n.doubleValue();
    }

    private static Duration duration(ExprCompiler c, JsonNode within, String name, String key) {
        JsonNode n = within.get(name);
        if (n == null) {
            return null;
        }
        try {
            Duration d = Duration.parse(n.asText());
            if (d.isNegative()) {
                c.problem(key + "." + name, "expected a positive duration, got " + n.asText());
            }
            return d;
        } catch (DateTimeParseException e) {
            c.problem(key + "." + name, "expected an ISO-8601 duration in days or less, e.g. P3650D or PT1H, got \""
                    + n.asText() + "\"");
            return null;
        }
    }

    /**
     * Checks a mapped record.
     *
     * @param updatedAt the mapping's version time (epoch millis)
     * @param receivedAt when Syncline received the change (epoch millis)
     * @throws MappingException naming the check that failed, the value and what was expected
     */
    public void check(GenericRecord record, long updatedAt, long receivedAt) {
        for (Check ch : checks) {
            Object v;
            if (ch.positions.length == 0) {
                v = updatedAt;
            } else {
                v = record;
                for (int p : ch.positions) {
                    v = v instanceof GenericRecord r ? r.get(p) : null;
                }
            }
            if (v == null) {
                if (ch.required) {
                    throw new MappingException("checks." + ch.label, "required, but the mapping produced no value");
                }
                continue;
            }
            if (ch.min != null || ch.max != null) {
                double d = ((Number) v).doubleValue();
                if (ch.min != null && d < ch.min) {
                    throw new MappingException("checks." + ch.label, v + " is below the minimum " + plain(ch.min));
                }
                if (ch.max != null && d > ch.max) {
                    throw new MappingException("checks." + ch.label, v + " is above the maximum " + plain(ch.max));
                }
            }
            if (ch.before != null || ch.after != null) {
                long t = ((Number) v).longValue();
                if (ch.before != null && t < receivedAt - ch.before.toMillis()) {
                    throw new MappingException("checks." + ch.label, describe(t) + " is more than " + ch.beforeText
                            + " before the received-at time " + Instant.ofEpochMilli(receivedAt));
                }
                if (ch.after != null && t > receivedAt + ch.after.toMillis()) {
                    throw new MappingException("checks." + ch.label, describe(t) + " is more than " + ch.afterText
                            + " after the received-at time " + Instant.ofEpochMilli(receivedAt));
                }
            }
        }
    }

    private static String describe(long millis) {
        try {
            return Instant.ofEpochMilli(millis).toString();
        } catch (RuntimeException e) {
            return millis + " ms";
        }
    }

    private static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
