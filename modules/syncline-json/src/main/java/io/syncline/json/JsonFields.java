package io.syncline.json;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Pulls a few scalar values out of a JSON document by JSON Pointer in one streaming pass, without building a tree
 * (the gateway's topic templates and event ids).
 *
 * <p>Subtrees that no pointer reaches are skipped token by token, so the whole document is still checked for
 * syntax: a body that is not exactly one valid JSON value yields {@code null}. Immutable and thread-safe.
 */
public final class JsonFields {

    private final JsonFactory factory;
    private final PathTrie paths = new PathTrie();
    private final int size;

    /**
     * @throws IllegalArgumentException when a pointer is not a JSON Pointer
     */
    public JsonFields(JsonFactory factory, List<String> pointers) {
        this.factory = factory;
        this.size = pointers.size();
        for (int k = 0; k < pointers.size(); k++) {
            paths.capture(Pointer.parse(pointers.get(k)), k);
        }
    }

    /** How many pointers it reads. */
    public int size() {
        return size;
    }

    /**
     * The text of each pointer's scalar value, in the order of the pointers ({@code null} where absent, JSON null,
     * an object or an array; the first of duplicate members wins), or {@code null} when {@code json} is not one
     * valid JSON value.
     */
    public String[] extract(byte[] json) {
        String[] values = new String[size];
        try {
            return PartialJsonReader.read(factory, json, paths, new Capture(values)) == null ? null : values;
        } catch (IOException e) {
            return null;
        }
    }

    /** Stores the text of scalars at capture nodes; returns the values array as the non-null "there was a value". */
    private static final class Capture implements PartialJsonReader.Handler<String[]> {
        private final String[] values;

        Capture(String[] values) {
            this.values = values;
        }

        @Override
        public String[] value(PathTrie node, JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                p.skipChildren();
            } else if (t != JsonToken.VALUE_NULL) {
                for (int slot : node.slots()) {
                    if (values[slot] == null) {
                        values[slot] = p.getText();
                    }
                }
            }
            return values;
        }

        @Override
        public String[] beginObject(PathTrie node, JsonParser p) {
            return values;
        }

        @Override
        public String[] beginArray(PathTrie node, JsonParser p) {
            return values;
        }

        @Override
        public void member(String[] object, String name, String[] value) {
        }

        @Override
        public void element(String[] array, int index, String[] value) {
        }

        @Override
        public String[] end(String[] container, PathTrie node, JsonParser p) {
            return values;
        }
    }
}
