package io.syncline.mapping;

import java.io.IOException;
import java.util.LinkedHashMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncline.json.PartialJsonReader;
import io.syncline.json.PathTrie;

/**
 * Parses a raw record once into a JSON tree that holds only what the mappings read ({@link PathTrie}), with the
 * shared {@link PartialJsonReader}; everything else is tokenized (so malformed JSON anywhere is still an error) but not
 * built. This is most of the per-record cost saved: a Stripe object has many more members than a mapping uses.
 */
public final class PrunedJsonReader {

    // Field names stay canonicalized (Jackson's default): without it every member name, skipped ones too, becomes a
    // new String, which measured 40% slower and twice the allocation in NormalizerBenchmark.
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final TreeBuilder TREE = new TreeBuilder();

    private PrunedJsonReader() {
    }

    /**
     * Reads {@code json}, keeping what {@code paths} names.
     *
     * @return the pruned tree, or null when the input holds no JSON value
     * @throws IOException ({@link com.fasterxml.jackson.core.JsonProcessingException}) for malformed JSON or
     *     trailing content
     */
    public static JsonNode read(byte[] json, PathTrie paths) throws IOException {
        return PartialJsonReader.read(FACTORY, json, paths, TREE);
    }

    /** Builds Jackson nodes for what the walk reaches; stateless, so one serves every thread. */
    private static final class TreeBuilder implements PartialJsonReader.Handler<JsonNode> {

        @Override
        public JsonNode value(PathTrie node, JsonParser p) throws IOException {
            return switch (p.currentToken()) {
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
                // Read whole, or a container where the paths name nothing inside (e.g. an array read by index).
                default -> MAPPER.readTree(p);
            };
        }

        @Override
        public JsonNode beginObject(PathTrie node, JsonParser p) {
            // Sized for the members the mappings read, so the node's map never grows while it is filled.
            return new ObjectNode(NODES, new LinkedHashMap<>(node.childCount() * 4 / 3 + 1));
        }

        @Override
        public JsonNode beginArray(PathTrie node, JsonParser p) {
            return NODES.arrayNode();
        }

        @Override
        public void member(JsonNode object, String name, JsonNode value) {
            ((ObjectNode) object).set(name, value);
        }

        @Override
        public void element(JsonNode array, int index, JsonNode value) {
            ArrayNode a = (ArrayNode) array;
            // Elements no path names are skipped; JSON nulls keep the ones read at their index.
            while (a.size() < index) {
                a.addNull();
            }
            a.add(value);
        }

        @Override
        public JsonNode end(JsonNode container, PathTrie node, JsonParser p) {
            return container;
        }
    }

}
