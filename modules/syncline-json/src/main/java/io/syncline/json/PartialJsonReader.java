package io.syncline.json;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The one streaming partial-JSON reader: walks exactly one JSON document with a streaming parser, goes into the
 * objects and arrays a {@link PathTrie} leads to and hands everything it reaches to a {@link Handler}; whatever the
 * trie does not name is skipped token by token, so malformed JSON anywhere (and content after the document) is still
 * an error while almost nothing is built.
 *
 * <p>The handler decides what reading means: the normalizer builds a pruned tree of the members its mappings read,
 * the gateway captures a few scalars for topic templates and event ids ({@link JsonFields}), the payments source
 * slices each element of a Stripe list page out of the response bytes.
 *
 * <p>Stateless: one reader serves every thread; the handler carries any per-document state.
 */
public final class PartialJsonReader {

    private PartialJsonReader() {
    }

    /**
     * What a walk does with what it reaches. The parser is shared: a method that is handed a value must consume it
     * completely (read it, or {@link JsonParser#skipChildren()} a container).
     *
     * @param <V> what the handler builds per value (a tree node, or nothing: then return any non-null marker, so that
     *     {@link #read} can tell a document from an empty input)
     */
    public interface Handler<V> {

        /**
         * A value taken as one piece: at a node read whole, a scalar anywhere the trie leads, or a container the
         * trie does not go into (an object where it names no member, an array where it names no element). The
         * parser stands on the value's first token.
         */
        V value(PathTrie node, JsonParser p) throws IOException;

        /** An object the walk goes into; the parser stands on its {@code START_OBJECT}. */
        V beginObject(PathTrie node, JsonParser p) throws IOException;

        /** An array the walk goes into; the parser stands on its {@code START_ARRAY}. */
        V beginArray(PathTrie node, JsonParser p) throws IOException;

        /** A member the walk read inside {@code object} (members the trie does not name are skipped unseen). */
        void member(V object, String name, V value) throws IOException;

        /** Element {@code index} the walk read inside {@code array} (elements the trie does not name are skipped). */
        void element(V array, int index, V value) throws IOException;

        /** The end of a container begun above; the parser stands on its end token. Returns the finished value. */
        V end(V container, PathTrie node, JsonParser p) throws IOException;
    }

    /** Content after the end of the document (the input holds more than one JSON value). */
    public static final class TrailingContentException extends JsonParseException {
        private static final long serialVersionUID = 1L;

        TrailingContentException(JsonParser p) {
            super(p, "trailing content after the JSON value");
        }
    }

    /**
     * Reads one JSON document from {@code json}.
     *
     * @return what the handler made of the document, or null when the input holds no JSON value at all
     * @throws IOException ({@link com.fasterxml.jackson.core.JsonProcessingException}) for malformed JSON anywhere,
     *     and {@link TrailingContentException} for content after the document; whatever the handler throws
     */
    public static <V> V read(JsonFactory factory, byte[] json, PathTrie paths, Handler<V> handler) throws IOException {
        try (JsonParser p = factory.createParser(json)) {
            return read(p, paths, handler);
        }
    }

    /** As {@link #read(JsonFactory, byte[], PathTrie, Handler)}, from a parser standing before the document. */
    public static <V> V read(JsonParser p, PathTrie paths, Handler<V> handler) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            return null;
        }
        V root = walk(p, first, paths, handler);
        if (p.nextToken() != null) {
            throw new TrailingContentException(p);
        }
        return root;
    }

    /** Walks the value whose first token the parser stands on, at {@code node} of the trie. */
    public static <V> V walk(JsonParser p, JsonToken token, PathTrie node, Handler<V> h) throws IOException {
        if (token == JsonToken.START_OBJECT) {
            if (node.whole() || !node.readsMembers()) {
                return h.value(node, p);
            }
            V object = h.beginObject(node, p);
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                PathTrie child = node.child(name);
                if (child == null) {
                    p.skipChildren();
                } else {
                    h.member(object, name, walk(p, value, child, h));
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new JsonParseException(p, "expected the end of an object, got " + t);
            }
            return h.end(object, node, p);
        }
        if (token == JsonToken.START_ARRAY) {
            if (node.whole() || !node.readsElements()) {
                return h.value(node, p);
            }
            V array = h.beginArray(node, p);
            int index = 0;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new JsonParseException(p, "unexpected end of input inside an array");
                }
                PathTrie child = node.element(index);
                if (child == null) {
                    p.skipChildren();
                } else {
                    h.element(array, index, walk(p, t, child, h));
                }
                index++;
            }
            return h.end(array, node, p);
        }
        return h.value(node, p);
    }
}
