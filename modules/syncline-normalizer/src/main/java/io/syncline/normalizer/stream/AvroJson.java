package io.syncline.normalizer.stream;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * A datum read from Avro (a raw record in the registry's wire format, such as a Debezium change event written by
 * Syncline's Avro converter) as the JSON tree the envelopes and mappings read: records and maps become objects,
 * unions their branch's value (not Avro JSON's {@code {"string": …}} wrapper), decimals numbers, other bytes base64
 * text. So one mapping language reads JSON and Avro raw topics alike.
 */
final class AvroJson {

    /**
     * The Connect schema name (kept by the Avro converter as {@code connect.name}) of a string that holds JSON text,
     * e.g. a PostgreSQL {@code jsonb} column or an outbox payload; it is read as the JSON it holds, so mappings can
     * address inside it.
     */
    static final String JSON_TEXT = "io.debezium.data.Json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroJson() {
    }

    /** The datum as JSON; {@code schema} is the schema it was read with. */
    static JsonNode toJson(Object datum, Schema schema) throws IOException {
        if (datum == null) {
            return NODES.nullNode();
        }
        if (schema.getType() == Schema.Type.UNION) {
            schema = schema.getTypes().get(GenericData.get().resolveUnion(schema, datum));
        }
        switch (schema.getType()) {
            case RECORD: {
                GenericRecord r = (GenericRecord) datum;
                ObjectNode o = NODES.objectNode();
                for (Schema.Field f : schema.getFields()) {
                    o.set(f.name(), toJson(r.get(f.pos()), f.schema()));
                }
                return o;
            }
            case MAP: {
                ObjectNode o = NODES.objectNode();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) datum).entrySet()) {
                    o.set(e.getKey().toString(), toJson(e.getValue(), schema.getValueType()));
                }
                return o;
            }
            case ARRAY: {
                ArrayNode a = NODES.arrayNode();
                for (Object element : (Collection<?>) datum) {
                    a.add(toJson(element, schema.getElementType()));
                }
                return a;
            }
            case STRING: {
                String text = datum.toString();
                return JSON_TEXT.equals(schema.getProp("connect.name")) ? MAPPER.readTree(text) : NODES.textNode(text);
            }
            case ENUM:
                return NODES.textNode(((GenericEnumSymbol<?>) datum).toString());
            case BYTES:
            case FIXED: {
                byte[] bytes;
                if (datum instanceof ByteBuffer b) {
                    bytes = new byte[b.remaining()];
                    b.duplicate().get(bytes);
                } else {
                    bytes = ((GenericFixed) datum).bytes();
                }
                LogicalType logical = schema.getLogicalType();
                if (logical instanceof LogicalTypes.Decimal d) {
                    return NODES.numberNode(new BigDecimal(new BigInteger(bytes), d.getScale()));
                }
                return NODES.binaryNode(bytes);
            }
            case INT:
                return NODES.numberNode((Integer) datum);
            case LONG:
                return NODES.numberNode((Long) datum);
            case FLOAT:
                return NODES.numberNode((Float) datum);
            case DOUBLE:
                return NODES.numberNode((Double) datum);
            case BOOLEAN:
                return NODES.booleanNode((Boolean) datum);
            default:
                return NODES.nullNode();
        }
    }
}
