package io.syncline.connect.payments;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * One page of a Stripe list response ({@code {"object":"list","data":[...],"has_more":...}}), read with a streaming
 * parser: each element keeps the exact bytes it had in the response (no re-serialisation, so field order, number
 * formatting and unknown fields reach Kafka untouched), plus the few fields the connector itself needs.
 *
 * <p>A body that is not a complete list (cut short, not JSON, wrong shape) is a {@link MalformedPageException}.
 */
final class ListPage {

    // Stripe objects nest deeply only in metadata-free places; the limits only guard against hostile bodies.
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build();

    /** One element of {@code data}. For events, {@code objectId}/{@code objectType} come from {@code data.object}. */
    record Item(String id, String type, long created, byte[] json, String objectId, String objectType) {

        /** The id records of this item are keyed by: the object's own id, or for an event its object's id. */
        String key() {
            return objectId != null ? objectId : id;
        }

        @Override
        public String toString() {
            return "Item{" + id + ", " + type + ", created=" + created + ", " + json.length + " bytes}";
        }
    }

    private final List<Item> items;
    private final boolean hasMore;

    private ListPage(List<Item> items, boolean hasMore) {
        this.items = items;
        this.hasMore = hasMore;
    }

    /** The elements, in the order of the response (Stripe: newest first). */
    List<Item> items() {
        return items;
    }

    boolean hasMore() {
        return hasMore;
    }

    /**
     * Parses a list body.
     *
     * @param events whether the elements are events, whose {@code data.object.id} and {@code .object} are read too
     */
    static ListPage parse(byte[] body, boolean events) throws MalformedPageException {
        try (JsonParser p = JSON.createParser(body)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, "the response");
            List<Item> items = null;
            Boolean hasMore = null;
            String object = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "object" -> object = p.getValueAsString();
                    case "has_more" -> {
                        if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                            throw new MalformedPageException("has_more is not a boolean");
                        }
                        hasMore = value == JsonToken.VALUE_TRUE;
                    }
                    case "data" -> {
                        expect(p, value, JsonToken.START_ARRAY, "data");
                        items = new ArrayList<>();
                        JsonToken t;
                        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                            items.add(item(p, body, events, items.size()));
                        }
                        expect(p, t, JsonToken.END_ARRAY, "the end of data");
                    }
                    default -> p.skipChildren();
                }
            }
            expect(p, p.currentToken(), JsonToken.END_OBJECT, "the end of the response");
            if (p.nextToken() != null) {
                throw new MalformedPageException("content after the end of the list object");
            }
            if (!"list".equals(object)) {
                throw new MalformedPageException("expected \"object\":\"list\", got " + (object == null ? "none"
                        : "\"" + object + "\""));
            }
            if (items == null || hasMore == null) {
                throw new MalformedPageException("the list has no " + (items == null ? "data" : "has_more"));
            }
            return new ListPage(List.copyOf(items), hasMore);
        } catch (MalformedPageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // JsonParseException, JsonEOFException (a body cut short), number overflow, ...
            throw new MalformedPageException(e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
        }
    }

    private static Item item(JsonParser p, byte[] body, boolean events, int index)
            throws IOException, MalformedPageException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        String id = null;
        String type = null;
        Long created = null;
        String objectId = null;
        String objectType = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "id" -> id = value == JsonToken.VALUE_STRING ? p.getText() : null;
                case "object" -> type = value == JsonToken.VALUE_STRING ? p.getText() : null;
                case "created" -> created = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                case "data" -> {
                    if (events && value == JsonToken.START_OBJECT) {
                        String[] idAndType = dataObject(p);
                        objectId = idAndType[0];
                        objectType = idAndType[1];
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        // The parser now stands on the element's closing brace; the location after it ends the slice.
        int end = (int) p.currentLocation().getByteOffset();
        if (id == null || id.isEmpty()) {
            throw new MalformedPageException("element " + index + " of data has no string id");
        }
        if (created == null) {
            throw new MalformedPageException("element " + index + " (" + id + ") has no integer created");
        }
        if (events && (objectId == null || objectType == null)) {
            throw new MalformedPageException("event " + id + " has no data.object with a string id and object");
        }
        return new Item(id, type, created, Arrays.copyOfRange(body, start, end), objectId, objectType);
    }

    /** Reads {@code {"object": {...}, ...}} (the parser on its START_OBJECT) and returns data.object's id and type. */
    private static String[] dataObject(JsonParser p) throws IOException {
        String[] out = new String[2];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("object") && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    JsonToken v = p.nextToken();
                    if (f.equals("id") && v == JsonToken.VALUE_STRING) {
                        out[0] = p.getText();
                    } else if (f.equals("object") && v == JsonToken.VALUE_STRING) {
                        out[1] = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return out;
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String what)
            throws MalformedPageException {
        if (actual != expected) {
            throw new MalformedPageException("expected " + describe(expected) + " at " + what + ", got "
                    + (actual == null ? "the end of the body" : describe(actual)) + " at byte "
                    + p.currentTokenLocation().getByteOffset());
        }
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "'{'";
            case END_OBJECT -> "'}'";
            case START_ARRAY -> "'['";
            case END_ARRAY -> "']'";
            default -> t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** The body is not a complete Stripe list. */
    static final class MalformedPageException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedPageException(String message) {
            super(message);
        }
    }
}
