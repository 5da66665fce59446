package io.syncline.mapping;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.json.UtcInstants;

/** Conversions between source values (JSON nodes or Java values) and the Java values Avro writes. */
final class Values {

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    /** Epoch values at or above this are taken as milliseconds by {@code from: auto} (year 5138 in seconds). */
    static final long AUTO_MILLIS_THRESHOLD = 100_000_000_000L;

    private Values() {
    }

    static String text(Object v, String field) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        if (v instanceof JsonNode n) {
            if (n.isTextual()) {
                return n.textValue();
            }
            if (n.isBigDecimal()) {
                return n.decimalValue().toPlainString(); // 1000, not 1E+3
            }
            if (n.isNumber() || n.isBoolean()) {
                return n.asText();
            }
            throw new MappingException(field, "expected text, got " + describe(v));
        }
        if (v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof Integer) {
            return v.toString();
        }
        if (v instanceof CharSequence cs) {
            return cs.toString();
        }
        throw new MappingException(field, "expected text, got " + describe(v));
    }

    static Long integer(Object v, String field) {
        if (v == null || v instanceof Long) {
            return (Long) v;
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof JsonNode n) {
            if (n.isIntegralNumber()) {
                if (n.canConvertToLong()) {
                    return n.longValue();
                }
                throw new MappingException(field, n.asText() + " does not fit in a 64-bit whole number");
            }
            if (n.isNumber()) {
                return exactLong(n.decimalValue(), field, v);
            }
            if (n.isTextual()) {
                return parseLong(n.textValue(), field);
            }
        }
        if (v instanceof String s) {
            return parseLong(s, field);
        }
        if (v instanceof Double d) {
            return exactLong(BigDecimal.valueOf(d), field, v);
        }
        throw new MappingException(field, "expected a whole number, got " + describe(v));
    }

    private static Long parseLong(String s, String field) {
        String t = s.trim();
        try {
            return exactLong(new BigDecimal(t), field, s);
        } catch (NumberFormatException e) {
            throw new MappingException(field, "expected a whole number, got " + describe(s));
        }
    }

    private static long exactLong(BigDecimal d, String field, Object original) {
        BigInteger i;
        try {
            i = d.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new MappingException(field, "expected a whole number, got " + describe(original));
        }
        if (i.compareTo(LONG_MIN) < 0 || i.compareTo(LONG_MAX) > 0) {
            throw new MappingException(field, i + " does not fit in a 64-bit whole number");
        }
        return i.longValue();
    }

    static Double decimal(Object v, String field) {
        if (v == null || v instanceof Double) {
            return (Double) v;
        }
        if (v instanceof Long l) {
            return l.doubleValue();
        }
        if (v instanceof JsonNode n) {
            if (n.isNumber()) {
                return n.doubleValue();
            }
            if (n.isTextual()) {
                return parseDouble(n.textValue(), field);
            }
        }
        if (v instanceof String s) {
            return parseDouble(s, field);
        }
        throw new MappingException(field, "expected a number, got " + describe(v));
    }

    private static Double parseDouble(String s, String field) {
        try {
            double d = Double.parseDouble(s.trim());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new MappingException(field, "expected a number, got " + describe(s));
    }

    static Boolean bool(Object v, String field) {
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        String text = null;
        if (v instanceof JsonNode n) {
            if (n.isBoolean()) {
                return n.booleanValue();
            }
            text = n.isTextual() ? n.textValue() : null;
        } else if (v instanceof String s) {
            text = s;
        }
        if ("true".equalsIgnoreCase(text)) {
            return Boolean.TRUE;
        }
        if ("false".equalsIgnoreCase(text)) {
            return Boolean.FALSE;
        }
        throw new MappingException(field, "expected true or false, got " + describe(v));
    }

    /** The formats {@code timestamp} reads ({@code from:}), and the one date/datetime/epoch-millis read. */
    enum TimeFormat {
        UNIX_SECONDS("unix-seconds"), UNIX_MILLIS("unix-millis"), ISO_8601("iso-8601"), AUTO("auto"),
        /** Numbers as epoch milliseconds, other text as ISO-8601: not a {@code from:} choice. */
        MILLIS_OR_ISO(null);

        final String yaml;

        TimeFormat(String yaml) {
            this.yaml = yaml;
        }

        static TimeFormat of(String text) {
            for (TimeFormat f : values()) {
                if (f.yaml != null && f.yaml.equals(text)) {
                    return f;
                }
            }
            return null;
        }
    }

    static Long timestamp(Object v, TimeFormat format, String field) {
        if (v == null) {
            return null;
        }
        boolean numeric = v instanceof Long || v instanceof Double
                || (v instanceof JsonNode n && n.isNumber());
        String text = numeric ? null : text(v, field).trim();
        if (text != null && text.isEmpty()) {
            return null;
        }
        if (text != null && isDecimal(text)) {
            numeric = true;
        }
        switch (format) {
            case ISO_8601 -> {
                if (text == null) {
                    throw new MappingException(field, "expected an ISO-8601 timestamp, got " + describe(v));
                }
                return iso(text, field);
            }
            case UNIX_SECONDS, UNIX_MILLIS -> {
                if (!numeric) {
                    throw new MappingException(field, "expected " + format.yaml + " as a number, got " + describe(v));
                }
                return epoch(v, text, format == TimeFormat.UNIX_SECONDS, field);
            }
            case MILLIS_OR_ISO -> {
                return numeric ? epoch(v, text, false, field) : iso(text, field);
            }
            case AUTO -> {
                if (!numeric) {
                    return iso(text, field);
                }
                BigDecimal d = text != null ? new BigDecimal(text) : bigDecimal(v);
                return epoch(v, text, d.abs().compareTo(BigDecimal.valueOf(AUTO_MILLIS_THRESHOLD)) < 0, field);
            }
            default -> throw new AssertionError(format);
        }
    }

    /** -?digits(.digits)? without a regex: runs per record for header timestamps. */
    static boolean isDecimal(String s) {
        int i = s.startsWith("-") ? 1 : 0;
        int digits = 0;
        boolean dot = false;
        int afterDot = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
                if (dot) {
                    afterDot++;
                }
            } else if (c == '.' && !dot && digits > 0) {
                dot = true;
            } else {
                return false;
            }
        }
        return digits > 0 && (!dot || afterDot > 0);
    }

    private static BigDecimal bigDecimal(Object v) {
        if (v instanceof JsonNode n) {
            return n.decimalValue();
        }
        if (v instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        return BigDecimal.valueOf((Double) v);
    }

    private static long epoch(Object v, String text, boolean seconds, String field) {
        if (v instanceof Long l && !seconds) {
            return l;
        }
        if (v instanceof JsonNode n && n.canConvertToExactIntegral() && n.canConvertToLong()) {
            long l = n.longValue();
            if (!seconds) {
                return l;
            }
            if (Math.abs(l) <= Long.MAX_VALUE / 1000) {
                return l * 1000;
            }
        }
        BigDecimal d = text != null ? new BigDecimal(text) : bigDecimal(v);
        BigDecimal millis = seconds ? d.movePointRight(3) : d;
        try {
            return millis.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        } catch (ArithmeticException e) {
            throw new MappingException(field, "timestamp " + d.toPlainString() + " is out of range");
        }
    }

    private static long iso(String text, String field) {
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            if (text.endsWith("Z") || text.endsWith("z")) {
                long fast = UtcInstants.plainMillis(text);
                if (fast != UtcInstants.NOT_PLAIN) {
                    return fast;
                }
                return Instant.parse(text.toUpperCase(java.util.Locale.ROOT)).toEpochMilli();
            }
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeException e) {
            throw new MappingException(field, "expected an ISO-8601 timestamp with a zone offset (e.g."
                    + " 2024-05-01T12:00:00Z), got " + describe(text));
        }
    }

    /** An instant as ISO-8601 in UTC, with fractions of a second only when there are any. */
    static String isoInstant(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    /** A plain value as JSON: JSON values as they are (JSON null as null), text, numbers and booleans as such. */
    static JsonNode json(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof JsonNode n) {
            return n.isNull() || n.isMissingNode() ? null : n;
        }
        if (v instanceof String s) {
            return ExprCompiler.NODES.textNode(s);
        }
        if (v instanceof Long l) {
            return ExprCompiler.NODES.numberNode(l);
        }
        if (v instanceof Integer i) {
            return ExprCompiler.NODES.numberNode(i);
        }
        if (v instanceof Double d) {
            return ExprCompiler.NODES.numberNode(d);
        }
        if (v instanceof Boolean b) {
            return ExprCompiler.NODES.booleanNode(b);
        }
        if (v instanceof BigDecimal d) {
            return ExprCompiler.NODES.numberNode(d);
        }
        return ExprCompiler.NODES.textNode(v.toString());
    }

    /** Any value as text: objects and arrays as compact JSON, decimals without an exponent; null stays null. */
    static String anyText(Object v) {
        if (v instanceof JsonNode n) {
            if (n.isNull() || n.isMissingNode()) {
                return null;
            }
            if (n.isContainerNode()) {
                return n.toString();
            }
            return text(n, "text");
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return v == null ? null : v.toString();
    }

    /** A short description of a value for error messages: its type and at most 40 characters of it. */
    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        String type;
        String shown;
        if (v instanceof JsonNode n) {
            type = switch (n.getNodeType()) {
                case OBJECT -> "an object";
                case ARRAY -> "an array";
                case STRING -> "text";
                case NUMBER -> "a number";
                case BOOLEAN -> "a boolean";
                default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
            };
            if (n.isContainerNode()) {
                return type;
            }
            shown = n.isTextual() ? "\"" + n.textValue() + "\"" : n.asText();
        } else if (v instanceof CharSequence s) {
            type = "text";
            shown = "\"" + s + "\"";
        } else {
            type = v.getClass().getSimpleName();
            shown = String.valueOf(v);
        }
        if (shown.length() > 40) {
            shown = shown.substring(0, 40) + "…";
        }
        return type + " " + shown;
    }

    /** Equality for predicates: JSON nodes compare with Java values by content, numbers by value. */
    static boolean sameValue(Object a, Object b) {
        Object x = plain(a);
        Object y = plain(b);
        if (x == null || y == null) {
            return x == y;
        }
        if (x instanceof Number nx && y instanceof Number ny) {
            return new BigDecimal(nx.toString()).compareTo(new BigDecimal(ny.toString())) == 0;
        }
        return x.equals(y);
    }

    private static Object plain(Object v) {
        if (v instanceof JsonNode n) {
            if (n.isTextual()) {
                return n.textValue();
            }
            if (n.isBoolean()) {
                return n.booleanValue();
            }
            if (n.isIntegralNumber() && n.canConvertToLong()) {
                return n.longValue();
            }
            if (n.isNumber()) {
                return n.decimalValue();
            }
            return n;
        }
        if (v instanceof CharSequence cs) {
            return cs.toString();
        }
        return v;
    }
}
