package io.syncline.connect.crm.source;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
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
 * One page of a HubSpot CRM v3 list or search response ({@code {"results":[...],"paging":{"next":{"after":...}}}},
 * search adds {@code total}), read with the shared streaming {@link PartialJsonReader}: each object keeps the exact
 * bytes it had in the response (no re-serialisation: unknown fields, number formats and property order reach Kafka
 * untouched), plus the few fields the source itself needs.
 *
 * <p>A body that is not such a page (cut short, not JSON, an object without an id or a time) is a
 * {@link MalformedPageException} naming what is wrong.
 */
final class ObjectPage {

    // CRM objects are flat (properties of strings); the limit only guards against hostile bodies.
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    /**
     * One object of {@code results}.
     *
     * @param modifiedAt the last-modified property in epoch milliseconds (what search filters on), else updatedAt
     * @param archivedAt epoch milliseconds, or -1 when the object is not archived
     * @param mergedObjectIds the ids in {@code hs_merged_object_ids}, in order (empty when none)
     */
    record Item(String id, long updatedAt, long modifiedAt, boolean archived, long archivedAt, String createdAt,
                String updatedAtText, List<String> mergedObjectIds, byte[] json) {

        @Override
        public String toString() {
            return "Item{" + id + ", modified " + Instant.ofEpochMilli(modifiedAt) + (archived ? ", archived" : "")
                    + ", " + json.length + " bytes}";
        }
    }

    private final List<Item> items;
    private final String nextAfter;

    private ObjectPage(List<Item> items, String nextAfter) {
        this.items = items;
        this.nextAfter = nextAfter;
    }

    /** The objects, in the order of the response. */
    List<Item> items() {
        return items;
    }

    /** The cursor of the next page ({@code paging.next.after}), or null on the last one. */
    String nextAfter() {
        return nextAfter;
    }

    // Capture slots of the partial reader.
    private static final int AFTER = 0;
    private static final int ID = 1;
    private static final int CREATED_AT = 2;
    private static final int UPDATED_AT = 3;
    private static final int ARCHIVED = 4;
    private static final int ARCHIVED_AT = 5;
    private static final int MODIFIED = 6;
    private static final int MERGED = 7;

    /** What the reader visits of a page whose objects carry {@code modifiedProperty}. */
    static PathTrie paths(String modifiedProperty) {
        PathTrie t = new PathTrie();
        t.capture(Pointer.parse("/paging/next/after"), AFTER);
        t.node(new String[] {"results", PathTrie.ANY_ELEMENT});
        PathTrie element = t.child("results").anyElement();
        element.capture(Pointer.parse("/id"), ID);
        element.capture(Pointer.parse("/createdAt"), CREATED_AT);
        element.capture(Pointer.parse("/updatedAt"), UPDATED_AT);
        element.capture(Pointer.parse("/archived"), ARCHIVED);
        element.capture(Pointer.parse("/archivedAt"), ARCHIVED_AT);
        element.capture(Pointer.of("properties", modifiedProperty), MODIFIED);
        element.capture(Pointer.of("properties", "hs_merged_object_ids"), MERGED);
        return t;
    }

    /** Parses a list or search body with the paths of {@link #paths}. */
    static ObjectPage parse(byte[] body, PathTrie paths) throws MalformedPageException {
        Reading reading = new Reading(body);
        JsonPages.read(JSON, body, paths, reading,
                "the body is empty",
                "content after the end of the page object");
        if (reading.items == null) {
            throw new MalformedPageException("the page has no results array");
        }
        return new ObjectPage(List.copyOf(reading.items), reading.after);
    }

    // A loop, not chars().allMatch(): this runs three times per object of every page.
    private static boolean allDigits(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (!Character.isDigit(v.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Epoch milliseconds of a HubSpot time (ISO-8601, or epoch milliseconds as some properties hold), or -1. */
    static long millis(String value) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        String v = value.trim();
        if (v.length() <= 15 && allDigits(v)) {
            return Long.parseLong(v);
        }
        try {
            return UtcInstants.toEpochMilli(v);
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    /** A page as the reader walks it, and the object being read with its byte range. */
    private static final class Reading implements PartialJsonReader.Handler<Object> {
        private static final Object SEEN = new Object();

        private final byte[] body;
        private PathTrie root;
        private PathTrie results;
        private PathTrie element;
        private List<Item> items;
        private String after;

        private int start;
        private String id;
        private String createdAt;
        private String updatedAt;
        private Boolean archived;
        private String archivedAt;
        private String modified;
        private String merged;

        Reading(byte[] body) {
            this.body = body;
        }

        @Override
        public Object value(PathTrie node, JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (root == null) {
                throw new Malformed("expected '{' at the start of the body, got " + t);
            }
            if (node == results) {
                throw new Malformed("results is not an array");
            }
            if (node == element) {
                throw new Malformed("element " + (items == null ? 0 : items.size()) + " of results is not an "
                        + "object");
            }
            int[] slots = node.slots();
            String text = t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT ? p.getText() : null;
            for (int slot : slots) {
                switch (slot) {
                    case AFTER -> after = text;
                    case ID -> id = text;
                    case CREATED_AT -> createdAt = text;
                    case UPDATED_AT -> updatedAt = text;
                    case ARCHIVED -> archived = t == JsonToken.VALUE_TRUE ? Boolean.TRUE
                            : t == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
                    case ARCHIVED_AT -> archivedAt = text;
                    case MODIFIED -> modified = text;
                    case MERGED -> merged = text;
                    default -> {
                        // no other slots
                    }
                }
            }
            p.skipChildren();
            return SEEN;
        }

        @Override
        public Object beginObject(PathTrie node, JsonParser p) {
            if (root == null) {
                root = node;
                results = node.child("results");
                element = results.anyElement();
            } else if (node == element) {
                start = JsonPages.tokenStart(p);
                id = null;
                createdAt = null;
                updatedAt = null;
                archived = null;
                archivedAt = null;
                modified = null;
                merged = null;
            }
            return SEEN;
        }

        @Override
        public Object beginArray(PathTrie node, JsonParser p) {
            if (node == results) {
                items = new ArrayList<>();
            }
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
            if (node != element) {
                return SEEN;
            }
            // The parser stands on the element's closing brace; the location after it ends the slice.
            int end = JsonPages.tokenEnd(p);
            int index = items.size();
            if (id == null || id.isEmpty()) {
                throw new Malformed("element " + index + " of results has no string id");
            }
            long updated = millis(updatedAt);
            if (updated < 0) {
                throw new Malformed("object " + id + " has no ISO-8601 updatedAt (got " + updatedAt + ")");
            }
            long mod = millis(modified);
            long archivedMillis = millis(archivedAt);
            boolean isArchived = Boolean.TRUE.equals(archived);
            List<String> mergedIds = merged == null || merged.isBlank() ? List.of()
                    : Arrays.stream(merged.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            items.add(new Item(id, updated, mod < 0 ? updated : mod, isArchived,
                    isArchived ? (archivedMillis < 0 ? updated : archivedMillis) : -1, createdAt, updatedAt,
                    mergedIds, JsonPages.slice(body, start, end)));
            return SEEN;
        }
    }
}
