package io.syncline.connect.support;

import static io.syncline.json.JsonPages.describe;
import static io.syncline.json.JsonPages.malformed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
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
import io.syncline.json.UtcInstants;

/**
 * One page of a Zendesk incremental export, read with the shared streaming {@link PartialJsonReader}: each item keeps
 * the exact bytes it had in the response (nothing re-serialised), plus the few members the source itself needs: its
 * id, its version time, and for a ticket audit the id of its {@code Comment} child event.
 *
 * <p>Two kinds of trouble are kept apart. A body that is not a complete export page (cut short, not JSON, no item
 * array, no {@code end_of_stream}) is a {@link MalformedPageException}: the page is read again later. An item that is
 * readable but not a usable object (not an object, no id) is still an {@link Item}, with {@link Item#problem()} set:
 * the source writes it like any other item, keyed by a digest of its bytes, so that it ends in the normalizer's
 * dead-letter topic with its reason while the rest of the page goes through.
 */
final class ExportPage {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build();
    private static final HexFormat HEX = HexFormat.of();

    /**
     * One exported item.
     *
     * @param id the object's id as text (numbers as written), or null when it has none
     * @param version the time of the version it shows as written ({@code updated_at}; an audit's {@code created_at}),
     *     or null
     * @param seconds that time in epoch seconds (an audit's {@code timestamp}), or null when absent or unreadable
     * @param commentId for a ticket audit: the id of its Comment child event, or null when it added no comment
     * @param json the item's bytes exactly as in the response
     * @param problem why the item is not a usable object, or null
     */
    record Item(String id, String version, Long seconds, String commentId, byte[] json, String problem) {

        /** The digest that keys an item without an id: {@code sha256:<hex of its bytes>}. */
        String digest() {
            try {
                return "sha256:" + HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(json));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }

        /** What identifies the item in an offset: its id, else its digest. */
        String identity() {
            return id != null ? id : digest();
        }

        @Override
        public String toString() {
            return "Item{" + (id == null ? "no id" : id) + ", " + version + ", " + json.length + " bytes"
                    + (problem == null ? "" : ", " + problem) + "}";
        }
    }

    private final List<Item> items;
    private final boolean endOfStream;
    private final String afterCursor;
    private final Long endTime;

    private ExportPage(List<Item> items, boolean endOfStream, String afterCursor, Long endTime) {
        this.items = items;
        this.endOfStream = endOfStream;
        this.afterCursor = afterCursor;
        this.endTime = endTime;
    }

    /** The items, in the order of the response (change order). */
    List<Item> items() {
        return items;
    }

    /** Whether the export has nothing after this page for now. */
    boolean endOfStream() {
        return endOfStream;
    }

    /** A cursor-based page's {@code after_cursor}: where the next page (or a later poll) starts; null when absent. */
    String afterCursor() {
        return afterCursor;
    }

    /** A time-based page's {@code end_time}: the start time of the next page; null when absent. */
    Long endTime() {
        return endTime;
    }

    /** Parses a page of {@code object}'s export. */
    static ExportPage parse(byte[] body, ZendeskObject object) throws MalformedPageException {
        Reading reading = new Reading(body, object);
        JsonPages.read(JSON, body, trie(object), reading,
                "expected '{' at the response, got the end of the body at byte " + body.length,
                "content after the end of the export page");
        if (reading.items == null) {
            throw new MalformedPageException("the page has no \"" + object.exportName() + "\" array");
        }
        if (reading.endOfStream == null) {
            throw new MalformedPageException("the page has no boolean end_of_stream");
        }
        if (object.cursorBased() && reading.afterCursor == null && !reading.items.isEmpty()) {
            throw new MalformedPageException("a cursor-based page with items has no after_cursor");
        }
        if (!object.cursorBased() && reading.endTime == null && !reading.items.isEmpty()) {
            throw new MalformedPageException("a time-based page with items has no end_time");
        }
        return new ExportPage(List.copyOf(reading.items), reading.endOfStream, reading.afterCursor, reading.endTime);
    }

    // What the reader visits: the page's own members, and per item its id and times and, for audits, the id and type
    // of each child event; everything else is only tokenized.
    private static final int AFTER_CURSOR = 0;
    private static final int END_OF_STREAM = 1;
    private static final int END_TIME = 2;
    private static final int ID = 3;
    private static final int UPDATED_AT = 4;
    private static final int CREATED_AT = 5;
    private static final int TIMESTAMP = 6;
    private static final int CHILD_ID = 7;
    private static final int CHILD_TYPE = 8;
    private static final int CHILD_EVENT_TYPE = 9;

    private static PathTrie trie(ZendeskObject object) {
        PathTrie t = new PathTrie();
        t.capture(Pointer.parse("/after_cursor"), AFTER_CURSOR);
        t.capture(Pointer.parse("/end_of_stream"), END_OF_STREAM);
        t.capture(Pointer.parse("/end_time"), END_TIME);
        t.node(new String[] {object.exportName(), PathTrie.ANY_ELEMENT});
        PathTrie element = t.child(object.exportName()).anyElement();
        element.capture(Pointer.parse("/id"), ID);
        element.capture(Pointer.parse("/updated_at"), UPDATED_AT);
        element.capture(Pointer.parse("/created_at"), CREATED_AT);
        element.capture(Pointer.parse("/timestamp"), TIMESTAMP);
        if (object.auditComments()) {
            element.node(new String[] {"child_events", PathTrie.ANY_ELEMENT});
            PathTrie child = element.child("child_events").anyElement();
            child.capture(Pointer.parse("/id"), CHILD_ID);
            child.capture(Pointer.parse("/type"), CHILD_TYPE);
            child.capture(Pointer.parse("/event_type"), CHILD_EVENT_TYPE);
        }
        return t;
    }

    /** A page as the reader walks it. */
    private static final class Reading implements PartialJsonReader.Handler<Object> {
        private static final Object SEEN = new Object();

        private final byte[] body;
        private final ZendeskObject object;
        private PathTrie root;
        private PathTrie data;
        private PathTrie element;
        private PathTrie child;
        private String afterCursor;
        private Boolean endOfStream;
        private Long endTime;
        private List<Item> items;
        // The item being read.
        private int start;
        private String id;
        private boolean idMalformed;
        private String updatedAt;
        private String createdAt;
        private Long timestamp;
        private String commentId;
        private boolean commentWithoutId;
        // The child event being read.
        private String childId;
        private String childType;

        Reading(byte[] body, ZendeskObject object) {
            this.body = body;
            this.object = object;
        }

        @Override
        public Object value(PathTrie node, JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (root == null) {
                throw malformed(p, JsonToken.START_OBJECT, "the response");
            }
            if (node == data) {
                throw malformed(p, JsonToken.START_ARRAY, object.exportName());
            }
            if (node == element) {
                // An item that is not an object: kept, as a malformed item, so it reaches the dead-letter topic.
                int from = JsonPages.tokenStart(p);
                if (t.isStructStart()) {
                    p.skipChildren();
                } else {
                    p.getText(); // completes the token, so the location below is after it
                }
                int end = JsonPages.tokenEnd(p);
                items.add(new Item(null, null, null, null, JsonPages.slice(body, from, end),
                        "item " + items.size() + " of " + object.exportName() + " is " + describe(t)
                                + ", not an object"));
                return SEEN;
            }
            int[] slots = node.slots();
            int slot = slots.length == 0 ? -1 : slots[0];
            switch (slot) {
                case AFTER_CURSOR -> afterCursor = t == JsonToken.VALUE_STRING ? p.getText() : null;
                case END_OF_STREAM -> {
                    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                        throw new Malformed("end_of_stream is not a boolean");
                    }
                    endOfStream = t == JsonToken.VALUE_TRUE;
                }
                case END_TIME -> {
                    if (t == JsonToken.VALUE_NUMBER_INT) {
                        endTime = p.getLongValue();
                    } else if (t != JsonToken.VALUE_NULL) {
                        throw new Malformed("end_time is not a whole number of seconds");
                    }
                }
                case ID -> {
                    id = idText(p, t);
                    idMalformed = id == null && t != JsonToken.VALUE_NULL;
                }
                case UPDATED_AT -> updatedAt = t == JsonToken.VALUE_STRING ? p.getText() : null;
                case CREATED_AT -> createdAt = t == JsonToken.VALUE_STRING ? p.getText() : null;
                case TIMESTAMP -> timestamp = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                case CHILD_ID -> childId = idText(p, t);
                case CHILD_TYPE, CHILD_EVENT_TYPE -> {
                    if (t == JsonToken.VALUE_STRING && childType == null) {
                        childType = p.getText();
                    }
                }
                default -> {
                    // a child event that is not an object: nothing to read in it
                }
            }
            p.skipChildren();
            return SEEN;
        }

        private static String idText(JsonParser p, JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NUMBER_INT) {
                return p.getText();
            }
            if (t == JsonToken.VALUE_STRING && !p.getText().isBlank()) {
                return p.getText();
            }
            return null;
        }

        @Override
        public Object beginObject(PathTrie node, JsonParser p) {
            if (root == null) {
                root = node;
                data = node.child(object.exportName());
                element = data.anyElement();
                PathTrie children = element.child("child_events");
                child = children == null ? null : children.anyElement();
            } else if (node == element) {
                start = JsonPages.tokenStart(p);
                id = null;
                idMalformed = false;
                updatedAt = null;
                createdAt = null;
                timestamp = null;
                commentId = null;
                commentWithoutId = false;
            } else if (node == child) {
                childId = null;
                childType = null;
            }
            return SEEN;
        }

        @Override
        public Object beginArray(PathTrie node, JsonParser p) {
            if (node == data) {
                items = new ArrayList<>();
            }
            return SEEN;
        }

        @Override
        public void member(Object container, String name, Object value) {
        }

        @Override
        public void element(Object array, int index, Object value) {
        }

        @Override
        public Object end(Object container, PathTrie node, JsonParser p) {
            if (node == child) {
                if ("Comment".equals(childType) && commentId == null) {
                    if (childId == null) {
                        commentWithoutId = true;
                    } else {
                        commentId = childId;
                    }
                }
            } else if (node == element) {
                // The parser stands on the item's closing brace; the location after it ends the slice.
                int end = JsonPages.tokenEnd(p);
                int index = items.size();
                String version = object.auditComments() ? createdAt : updatedAt;
                String problem = null;
                if (id == null) {
                    problem = "item " + index + " of " + object.exportName() + (idMalformed
                            ? " has an id that is not a number or text" : " has no id");
                } else if (commentWithoutId) {
                    problem = "ticket audit " + id + " has a Comment child event without an id";
                }
                items.add(new Item(id, version, seconds(version), commentId, JsonPages.slice(body, start, end),
                        problem));
            }
            return SEEN;
        }

        private Long seconds(String version) {
            if (timestamp != null) {
                return timestamp;
            }
            if (version == null) {
                return null;
            }
            try {
                // Plain UTC text is read without Instant.parse (a third of the cost per record); seconds floored as
                // Instant#getEpochSecond floors them.
                long plain = UtcInstants.plainMillis(version);
                return plain != UtcInstants.NOT_PLAIN ? Math.floorDiv(plain, 1000L)
                        : Instant.parse(version).getEpochSecond();
            } catch (DateTimeParseException e) {
                return null; // the normalizer names the unreadable time; the page still moves on
            }
        }
    }

    /** Text of a body for messages (never whole: a page is up to a megabyte). */
    static String excerpt(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        return body.length > 200 ? s + "..." : s;
    }
}
