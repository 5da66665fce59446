package io.syncline.normalizer.mapping;

import java.io.IOException;
import java.util.LinkedHashMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Parses a raw record once into a JSON tree that holds only what the mappings read ({@link PathTrie}); everything
 * else is tokenized (so malformed JSON anywhere is still an error) but not built. This is most of the per-record
 * cost saved: a Stripe object has many more members than a mapping uses.
 */
public final class PrunedJsonReader {

    // Field names stay canonicalized (Jackson's default): without it every member name, skipped ones too, becomes a
    // new String, which measured 40% slower and twice the allocation in NormalizerBenchmark.
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PrunedJsonReader() {
    }

    /**
     * Reads {@code json}, keeping what {@code paths} names.
     *
     * @throws IOException ({@link com.fasterxml.jackson.core.JsonProcessingException}) for malformed JSON or
     *     trailing content
     */
    public static JsonNode read(byte[] json, PathTrie paths) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode root = value(p, paths);
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "trailing content after the JSON value");
            }
            return root;
        }
    }

    private static JsonNode value(JsonParser p, PathTrie t) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_OBJECT) {
            if (t.whole() || !t.hasChildren()) {
                return MAPPER.readTree(p);
            }
            // Sized for the members the mappings read, so the node's map never grows while it is filled.
            ObjectNode node = new ObjectNode(NODES, new LinkedHashMap<>(t.childCount() * 4 / 3 + 1));
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                PathTrie child = t.child(name);
                if (child == null) {
                    p.skipChildren();
                } else {
                    node.set(name, value(p, child));
                }
            }
            return node;
        }
        if (token == JsonToken.START_ARRAY) {
            PathTrie element = t.child(PathTrie.ANY_ELEMENT);
            if (t.whole() || element == null) {
                // Whole, or indexed paths such as /types/0: keep every element where it is.
                return MAPPER.readTree(p);
            }
            ArrayNode array = NODES.arrayNode();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                array.add(value(p, element));
            }
            return array;
        }
        return scalar(p, token);
    }

    private static JsonNode scalar(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> MAPPER.readTree(p);
        };
    }
}
