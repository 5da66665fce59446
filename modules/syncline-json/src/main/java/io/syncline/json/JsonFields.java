package io.syncline.json;

import java.io.IOException;
import java.util.ArrayList;
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

    /**
     * One element of a JSON array: where its bytes are in the document, and the text of each pointer's scalar value
     * within it (as {@link #extract}).
     *
     * @param start offset of its first byte
     * @param end offset just after its last byte
     * @param values per pointer, relative to the element, its scalar text or null
     */
    public record Element(int start, int end, String[] values) {
    }

    /**
     * Splits a document that is one JSON array into its elements (their exact bytes, nothing re-encoded) and reads
     * the pointers within each, in one streaming pass: how a batch of webhook events becomes one record per event.
     *
     * @return the elements in order (empty for {@code []}), or null when {@code json} is not one valid JSON array
     */
    public List<Element> extractEach(byte[] json) {
        try (JsonParser p = factory.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            List<Element> out = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    return null;
                }
                int start = (int) p.currentTokenLocation().getByteOffset();
                String[] values = new String[size];
                PartialJsonReader.walk(p, t, paths, new Capture(values));
                // A string value is scanned lazily: read it to its end, so that the location is past it.
                p.finishToken();
                out.add(new Element(start, (int) p.currentLocation().getByteOffset(), values));
            }
            return p.nextToken() == null ? out : null;
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
