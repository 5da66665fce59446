package io.syncline.connect.payments;

import static io.syncline.json.JsonPages.malformed;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.syncline.json.JsonPages;
import io.syncline.json.JsonPages.Malformed;
import io.syncline.json.JsonPages.MalformedPageException;
import io.syncline.json.PartialJsonReader;
import io.syncline.json.PathTrie;
import io.syncline.json.Pointer;

/**
 * One page of a Stripe list response ({@code {"object":"list","data":[...],"has_more":...}}), read with the shared
 * streaming {@link PartialJsonReader}: each element keeps the exact bytes it had in the response (no
 * re-serialisation, so field order, number formatting and unknown fields reach Kafka untouched), plus the few fields
 * the connector itself needs.
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
        Reading reading = new Reading(body, events);
        JsonPages.read(JSON, body, events ? EVENT_PAGE : OBJECT_PAGE, reading,
                "expected '{' at the response, got the end of the body at byte " + body.length,
                "content after the end of the list object");
        if (!"list".equals(reading.object)) {
            throw new MalformedPageException("expected \"object\":\"list\", got " + (reading.object == null ? "none"
                    : "\"" + reading.object + "\""));
        }
        if (reading.items == null || reading.hasMore == null) {
            throw new MalformedPageException("the list has no " + (reading.items == null ? "data" : "has_more"));
        }
        return new ListPage(List.copyOf(reading.items), reading.hasMore);
    }

    // What the shared partial reader visits of a page: the list's own members, and per element its id, type,
    // created and, for events, data.object's id and type; everything else is only tokenized.
    private static final int OBJECT = 0;
    private static final int HAS_MORE = 1;
    private static final int ID = 2;
    private static final int TYPE = 3;
    private static final int CREATED = 4;
    private static final int OBJECT_ID = 5;
    private static final int OBJECT_TYPE = 6;
    private static final PathTrie OBJECT_PAGE = page(false);
    private static final PathTrie EVENT_PAGE = page(true);

    private static PathTrie page(boolean events) {
        PathTrie t = new PathTrie();
        t.capture(Pointer.parse("/object"), OBJECT);
        t.capture(Pointer.parse("/has_more"), HAS_MORE);
        t.node(new String[] {"data", PathTrie.ANY_ELEMENT});
        PathTrie element = t.child("data").anyElement();
        element.capture(Pointer.parse("/id"), ID);
        element.capture(Pointer.parse("/object"), TYPE);
        element.capture(Pointer.parse("/created"), CREATED);
        if (events) {
            element.capture(Pointer.parse("/data/object/id"), OBJECT_ID);
            element.capture(Pointer.parse("/data/object/object"), OBJECT_TYPE);
        }
        return t;
    }

    /** A page as the reader walks it: the list's members, and the element being read with its byte range. */
    private static final class Reading implements PartialJsonReader.Handler<Object> {
        private static final Object SEEN = new Object();

        private final byte[] body;
        private final boolean events;
        private PathTrie root;
        private PathTrie data;
        private PathTrie element;
        private String object;
        private Boolean hasMore;
        private List<Item> items;
        private int start;
        private String id;
        private String type;
        private Long created;
        private String objectId;
        private String objectType;

        Reading(byte[] body, boolean events) {
            this.body = body;
            this.events = events;
        }

        @Override
        public Object value(PathTrie node, JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (root == null) {
                throw malformed(p, JsonToken.START_OBJECT, "the response");
            }
            if (node == data) {
                throw malformed(p, JsonToken.START_ARRAY, "data");
            }
            if (node == element) {
                throw malformed(p, JsonToken.END_ARRAY, "the end of data");
            }
            int[] slots = node.slots();
            int slot = slots.length == 0 ? -1 : slots[0];
            switch (slot) {
                case OBJECT -> object = p.getValueAsString();
                case HAS_MORE -> {
                    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                        throw new Malformed("has_more is not a boolean");
                    }
                    hasMore = t == JsonToken.VALUE_TRUE;
                }
                case ID -> id = t == JsonToken.VALUE_STRING ? p.getText() : null;
                case TYPE -> type = t == JsonToken.VALUE_STRING ? p.getText() : null;
                case CREATED -> created = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                case OBJECT_ID -> objectId = t == JsonToken.VALUE_STRING ? p.getText() : null;
                case OBJECT_TYPE -> objectType = t == JsonToken.VALUE_STRING ? p.getText() : null;
                default -> {
                    // an element's data that is not an object: nothing to read in it
                }
            }
            p.skipChildren();
            return SEEN;
        }

        @Override
        public Object beginObject(PathTrie node, JsonParser p) {
            if (root == null) {
                root = node;
                data = node.child("data");
                element = data.anyElement();
            } else if (node == element) {
                start = JsonPages.tokenStart(p);
                id = null;
                type = null;
                created = null;
                objectId = null;
                objectType = null;
            }
            return SEEN;
        }

        @Override
        public Object beginArray(PathTrie node, JsonParser p) {
            items = new ArrayList<>(); // only data is walked as an array

            return SEEN;
        }

        @Override
        public void member(Object object, String name, Object value) {
        }

        @Override
        public void element(Object array, int index, Object value) {
        }

        @Override
        public Object end(Object container, PathTrie node, JsonParser p) {
            if (node == element) {
                // The parser stands on the element's closing brace; the location after it ends the slice.
                int end = JsonPages.tokenEnd(p);
                int index = items.size();
                if (id == null || id.isEmpty()) {
                    throw new Malformed("element " + index + " of data has no string id");
                }
                if (created == null) {
                    throw new Malformed("element " + index + " (" + id + ") has no integer created");
                }
                if (events && (objectId == null || objectType == null)) {
                    throw new Malformed("event " + id + " has no data.object with a string id and object");
                }
                items.add(new Item(id, type, created, JsonPages.slice(body, start, end), objectId, objectType));
            }
            return SEEN;
        }
    }
}
