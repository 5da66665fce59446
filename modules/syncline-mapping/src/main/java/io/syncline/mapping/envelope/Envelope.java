package io.syncline.mapping.envelope;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.json.PathTrie;
import io.syncline.json.Pointer;
import io.syncline.mapping.Expr;
import io.syncline.mapping.MappingContext;
import io.syncline.mapping.MappingException;
import io.syncline.mapping.Transforms;

/**
 * How a provider wraps its objects in a raw record, declared as data beside the mappings (a Stripe event, a HubSpot
 * webhook event, a bare object from a backfill, a Zendesk webhook, a Debezium change event) and compiled once by
 * {@link EnvelopeCompiler}: how to recognise it, where the object is, and what it says about the change (type, id,
 * time, object type and id, whether it deletes, whether it carries one changed property instead of the whole object).
 *
 * <p>Its expressions read the raw value (paths relative to its root). Immutable and shared by all threads; per-record
 * values go to a {@link Values} the caller reuses.
 */
public final class Envelope {

    /** What a record whose value is null (a Kafka tombstone) means for topics read with this envelope. */
    public enum NullValue {
        /** It is a mistake: the record is dead-lettered (the default). */
        DEAD_LETTER,
        /** It is expected (Debezium writes one after each delete, for compaction): counted as a deliberate skip. */
        SKIP
    }

    /**
     * A change of one property instead of the whole object (a HubSpot {@code propertyChange}): the normalizer merges
     * it into the latest full version of the object it holds.
     *
     * @param property the changed property's name (null for an event that names none, e.g. a creation)
     * @param value the property's new value as JSON (null: cleared)
     * @param into where the object keeps its properties, e.g. {@code /properties}
     */
    public record Change(Expr property, Expr value, Pointer into) {
    }

    private final String name;
    private final String file;
    private final String description;
    private final Expr when;
    private final List<Pointer> objects;
    private final Expr type;
    private final Expr id;
    private final Expr time;
    private final Expr objectType;
    private final Expr objectId;
    private final Expr deleteWhen;
    private final Change change;
    private final NullValue nullValue;
    private final PathTrie paths;

    Envelope(String name, String file, String description, Expr when, List<Pointer> objects, Expr type, Expr id,
            Expr time, Expr objectType, Expr objectId, Expr deleteWhen, Change change, NullValue nullValue,
            PathTrie paths) {
        this.name = name;
        this.file = file;
        this.description = description;
        this.when = when;
        this.objects = List.copyOf(objects);
        this.type = type;
        this.id = id;
        this.time = time;
        this.objectType = objectType;
        this.objectId = objectId;
        this.deleteWhen = deleteWhen;
        this.change = change;
        this.nullValue = nullValue;
        this.paths = paths;
    }

    private static final Envelope BARE = new Envelope("bare", "", "The value is the provider object itself.", null,
            List.of(), null, null, null, null, null, null, null, NullValue.DEAD_LETTER, new PathTrie());

    /** The envelope a mapping gets when it names none and none is declared beside it: the value is the object. */
    public static Envelope bare() {
        return BARE;
    }

    public String name() {
        return name;
    }

    /** The file it was declared in, e.g. {@code mappings/stripe/envelopes.yaml} (empty for the built-in bare one). */
    public String file() {
        return file;
    }

    public String description() {
        return description;
    }

    /** True when it has no {@code when}: it takes every record, so it is tried last. */
    public boolean takesAll() {
        return when == null;
    }

    /** Where the object is: the first of these that holds an object; empty: the value itself. */
    public List<Pointer> objectPointers() {
        return objects;
    }

    /** The partial change it carries, or null when it carries whole objects. */
    public Change change() {
        return change;
    }

    public boolean declaresType() {
        return type != null;
    }

    public boolean declaresObjectType() {
        return objectType != null;
    }

    public boolean declaresTime() {
        return time != null;
    }

    public boolean declaresObjectId() {
        return objectId != null;
    }

    public NullValue nullValue() {
        return nullValue;
    }

    /** What its own expressions read of the raw value (relative to the root), or null when they may read anything. */
    public PathTrie paths() {
        return paths;
    }

    /** True when a raw value (the object of {@code root}) is in this envelope. */
    public boolean matches(MappingContext root) {
        return when == null || Transforms.truthy(when.eval(root), "envelopes." + name + ".when");
    }

    /** The object of a raw value, or null when none of the declared places holds one. */
    public JsonNode object(JsonNode root) {
        if (objects.isEmpty()) {
            return root;
        }
        for (Pointer p : objects) {
            JsonNode n = root;
            String[] names = p.names();
            int[] indexes = p.indexes();
            for (int i = 0; i < names.length && n != null; i++) {
                n = n.isArray() && indexes[i] >= 0 ? n.get(indexes[i]) : n.get(names[i]);
            }
            if (n != null && n.isObject()) {
                return n;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name + (file.isEmpty() ? "" : " (" + file + ")");
    }

    /**
     * What one record's envelope says: filled by {@link #read}, read by mappings as {@code $envelope/…}. One per
     * processor, reused for every record (not thread-safe).
     */
    public static final class Values implements MappingContext.Envelope {
        private Envelope envelope;
        private String type;
        private String id;
        private Long time;
        private String objectType;
        private String objectId;
        private boolean delete;
        private String property;
        private JsonNode propertyValue;

        /**
         * Evaluates what {@code e} declares on a raw value.
         *
         * @param root a context whose object is the raw value
         * @throws MappingException when an expression fails (e.g. a time that is not a time)
         */
        public Values read(Envelope e, MappingContext root) {
            envelope = e;
            type = (String) eval(e.type, root);
            id = (String) eval(e.id, root);
            time = (Long) eval(e.time, root);
            objectType = (String) eval(e.objectType, root);
            objectId = (String) eval(e.objectId, root);
            delete = e.deleteWhen != null && Transforms.truthy(e.deleteWhen.eval(root), "envelopes." + e.name
                    + ".delete-when");
            if (e.change != null) {
                property = (String) eval(e.change.property, root);
                propertyValue = property == null ? null : (JsonNode) eval(e.change.value, root);
            } else {
                property = null;
                propertyValue = null;
            }
            return this;
        }

        private static Object eval(Expr x, MappingContext ctx) {
            return x == null ? null : x.eval(ctx);
        }

        /** Clears everything (no envelope). */
        public Values clear() {
            envelope = null;
            type = null;
            id = null;
            time = null;
            objectType = null;
            objectId = null;
            delete = false;
            property = null;
            propertyValue = null;
            return this;
        }

        /** The envelope read, or null. */
        public Envelope envelope() {
            return envelope;
        }

        @Override
        public String name() {
            return envelope == null ? null : envelope.name;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Long time() {
            return time;
        }

        /** Changes the time mappings see as {@code $envelope/time} (a merged version is as new as its newest part). */
        public void time(Long t) {
            this.time = t;
        }

        @Override
        public String objectType() {
            return objectType;
        }

        @Override
        public String objectId() {
            return objectId;
        }

        /** True when the envelope's {@code delete-when} holds. */
        public boolean delete() {
            return delete;
        }

        /** The changed property of a partial change, or null (a whole object, or an event naming no property). */
        public String property() {
            return property;
        }

        /** The changed property's new value (null: cleared, or no property). */
        public JsonNode propertyValue() {
            return propertyValue;
        }
    }
}
