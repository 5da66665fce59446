package io.syncline.delivery.mapping;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncline.json.PathTrie;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;

/**
 * Kafka Connect data (from the Avro converter or a schemaless converter) as JSON: structs and maps become objects with
 * the field names as they are (canonical records are snake_case), timestamps ISO-8601 instants in UTC
 * ({@code 2024-05-01T12:00:00Z}), dates {@code yyyy-MM-dd}, times {@code HH:mm:ss.SSS}, decimals JSON numbers,
 * bytes base64, Avro enums their symbol. Null fields are kept as JSON null; mappings decide whether to omit them.
 *
 * <p>This is the JSON view the sinks' expressions read ({@code docs/mappings.md}, "The same language in sinks").
 */
public final class ConnectJson {

    static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private ConnectJson() {
    }

    /** The JSON form of {@code value}; {@code schema} may be null for schemaless data. */
    public static JsonNode toJson(Object value, Schema schema) {
        return toJson(value, schema, null);
    }

    /**
     * The JSON form of the parts of {@code value} that {@code paths} names (all of it when {@code paths} is null or
     * whole): struct fields and map entries no path reads are left out, so a sink converts only what its mappings use.
     */
    public static JsonNode toJson(Object value, Schema schema, PathTrie paths) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (paths != null && paths.whole()) {
            paths = null;
        }
        String logical = schema == null ? null : schema.name();
        if (value instanceof java.util.Date date) {
            if (Date.LOGICAL_NAME.equals(logical)) {
                return NODES.textNode(LocalDate.ofInstant(date.toInstant(), ZoneOffset.UTC).toString());
            }
            if (Time.LOGICAL_NAME.equals(logical)) {
                return NODES.textNode(LocalTime.ofNanoOfDay(Math.floorMod(date.getTime(), 86_400_000L) * 1_000_000L)
                        .toString());
            }
            return NODES.textNode(instant(date.toInstant()));
        }
        if (value instanceof Struct struct) {
            ObjectNode node = NODES.objectNode();
            for (Field field : struct.schema().fields()) {
                PathTrie inner = paths == null ? null : paths.child(field.name());
                if (paths == null || inner != null) {
                    node.set(field.name(), toJson(struct.get(field), field.schema(), inner));
                }
            }
            return node;
        }
        if (value instanceof Map<?, ?> map) {
            Schema valueSchema = schema != null && schema.type() == Schema.Type.MAP ? schema.valueSchema() : null;
            ObjectNode node = NODES.objectNode();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                PathTrie inner = paths == null ? null : paths.child(key);
                if (paths == null || inner != null) {
                    node.set(key, toJson(e.getValue(), valueSchema, inner));
                }
            }
            return node;
        }
        if (value instanceof Collection<?> list) {
            Schema itemSchema = schema != null && schema.type() == Schema.Type.ARRAY ? schema.valueSchema() : null;
            ArrayNode node = NODES.arrayNode();
            int i = 0;
            for (Object item : list) {
                PathTrie inner = paths == null ? null : paths.element(i);
                // Elements no path reads stay as JSON null, so the ones read keep their index.
                node.add(paths == null || inner != null ? toJson(item, itemSchema, inner) : NODES.nullNode());
                i++;
            }
            return node;
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (value instanceof BigInteger i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Short s) {
            return NODES.numberNode(s);
        }
        if (value instanceof Byte b) {
            return NODES.numberNode(b);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Float f) {
            return NODES.numberNode(f);
        }
        if (value instanceof byte[] bytes) {
            if (Decimal.LOGICAL_NAME.equals(logical)) {
                return NODES.numberNode(Decimal.toLogical(schema, bytes));
            }
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        return NODES.textNode(value.toString());
    }

    /** An instant as ISO-8601 in UTC, with milliseconds only when there are any. */
    static String instant(Instant instant) {
        return instant.toString();
    }

    /**
     * The text of a value an expression produced (text as it is, a JSON value as {@link #text(JsonNode)}), or null.
     */
    public static String text(Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof JsonNode node) {
            return text(node);
        }
        return value.toString();
    }

    /** The text of a scalar JSON value ({@code "abc"} → abc, 12 → 12); objects and arrays as compact JSON. */
    public static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBigDecimal()) {
            return node.decimalValue().toPlainString();
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

}
