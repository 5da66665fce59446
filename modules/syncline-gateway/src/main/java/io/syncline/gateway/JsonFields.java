package io.syncline.gateway;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Pulls a few scalar values out of a JSON document by JSON Pointer in one streaming pass, without building a tree.
 *
 * <p>Subtrees that no pointer reaches are skipped token by token, so the whole document is still checked for
 * syntax: a body that is not exactly one valid JSON value yields {@code null}.
 */
final class JsonFields {

    private static final int MAX_DEPTH = 32;

    private final JsonFactory factory;
    /** Per pointer, per segment: the property name. */
    private final String[][] names;
    /** Per pointer, per segment: the array index the segment denotes, or -1. */
    private final int[][] indexes;

    JsonFields(JsonFactory factory, List<String> pointers) {
        this.factory = factory;
        this.names = new String[pointers.size()][];
        this.indexes = new int[pointers.size()][];
        for (int k = 0; k < pointers.size(); k++) {
            JsonPointer p = JsonPointer.compile(pointers.get(k));
            int length = 0;
            for (JsonPointer q = p; !q.matches(); q = q.tail()) {
                length++;
            }
            if (length > MAX_DEPTH) {
                throw new IllegalArgumentException("JSON Pointer " + pointers.get(k) + " is deeper than " + MAX_DEPTH);
            }
            names[k] = new String[length];
            indexes[k] = new int[length];
            int i = 0;
            for (JsonPointer q = p; !q.matches(); q = q.tail(), i++) {
                names[k][i] = q.getMatchingProperty();
                indexes[k][i] = q.getMatchingIndex();
            }
        }
    }

    int size() {
        return names.length;
    }

    /**
     * The text of each pointer's scalar value ({@code null} where absent, JSON null, an object or an array), or
     * {@code null} when {@code json} is not one valid JSON value.
     */
    String[] extract(byte[] json) {
        String[] values = new String[names.length];
        try (JsonParser parser = factory.createParser(json)) {
            Walk walk = new Walk(parser, values);
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            walk.value(first, 0);
            if (parser.nextToken() != null) {
                return null; // trailing content after the root value
            }
            return values;
        } catch (IOException e) {
            return null;
        }
    }

    /** One pass over one document; the current path lives in two arrays indexed by depth. */
    private final class Walk {
        private final JsonParser parser;
        private final String[] values;
        private final String[] pathNames = new String[MAX_DEPTH];
        private final int[] pathIndexes = new int[MAX_DEPTH];

        Walk(JsonParser parser, String[] values) {
            this.parser = parser;
            this.values = values;
        }

        void value(JsonToken token, int depth) throws IOException {
            if (token == JsonToken.START_OBJECT) {
                if (!anyBelow(depth)) {
                    parser.skipChildren();
                    return;
                }
                JsonToken t;
                while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    pathNames[depth] = parser.currentName();
                    pathIndexes[depth] = -1;
                    value(parser.nextToken(), depth + 1);
                }
                requireEnd(t, JsonToken.END_OBJECT);
            } else if (token == JsonToken.START_ARRAY) {
                if (!anyBelow(depth)) {
                    parser.skipChildren();
                    return;
                }
                int i = 0;
                JsonToken t;
                while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw new IOException("unexpected end of input");
                    }
                    pathNames[depth] = null;
                    pathIndexes[depth] = i++;
                    value(t, depth + 1);
                }
            } else if (token == null) {
                throw new IOException("unexpected end of input");
            } else if (token != JsonToken.VALUE_NULL) {
                for (int k = 0; k < names.length; k++) {
                    if (values[k] == null && names[k].length == depth && matches(k, depth)) {
                        values[k] = parser.getText();
                    }
                }
            }
        }

        private void requireEnd(JsonToken actual, JsonToken expected) throws IOException {
            if (actual != expected) {
                throw new IOException("expected " + expected + ", got " + actual);
            }
        }

        /** True when some pointer continues below the current path of length {@code depth}. */
        private boolean anyBelow(int depth) {
            if (depth >= MAX_DEPTH) {
                return false;
            }
            for (int k = 0; k < names.length; k++) {
                if (names[k].length > depth && matches(k, depth)) {
                    return true;
                }
            }
            return false;
        }

        /** True when the first {@code depth} segments of pointer {@code k} are the current path. */
        private boolean matches(int k, int depth) {
            for (int i = 0; i < depth; i++) {
                String name = pathNames[i];
                if (name != null ? !name.equals(names[k][i]) : pathIndexes[i] != indexes[k][i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
