package io.syncline.normalizer.mapping;

import java.util.List;

import io.syncline.json.PathTrie;
import io.syncline.mapping.Expr;
import io.syncline.mapping.MappingContext;
import io.syncline.mapping.MappingException;
import io.syncline.mapping.RecordExpr;
import io.syncline.mapping.Transforms;
import io.syncline.mapping.envelope.Envelope;
import io.syncline.normalizer.mapping.TargetCatalog.Target;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * One mapping file, compiled: which raw records it takes (topic, object type, event types) and how it turns them
 * into canonical records. Immutable and shared by all stream threads.
 */
public final class CompiledMapping {

    /** A top-level string field of this name that the mapping leaves out is filled with the canonical key. */
    public static final String ID_FIELD = "id";

    private final String name;
    private final String file;
    private final String topic;
    private final String objectType;
    private final List<String> eventPatterns;
    private final boolean acceptsBare;
    private final Target target;
    private final String system;
    private final Expr id;
    private final Expr key;
    private final Expr updatedAt;
    private final List<VersionKey> version;
    private final Expr eventId;
    private final Expr traceId;
    private final Expr deleteWhen;
    private final RecordExpr fields;
    private final int metadataPos;
    private final int idPos;
    private final PathTrie objectPaths;
    private final PathTrie eventPaths;
    private final MetadataWriter metadata;
    private final Sourcing sourcing;

    /**
     * How the mapping meets its raw records, and what it checks of its results.
     *
     * @param envelopes the envelopes it takes, in the order they were named
     * @param checks value checks on the mapped record
     * @param contentFields for a mapping that merges partial changes: the positions of the fields whose content
     *     decides whether a version is new (all but the metadata and those {@code dedupe.ignore} lists); else null
     */
    record Sourcing(List<Envelope> envelopes, FieldChecks checks, int[] contentFields) {
        Sourcing {
            envelopes = List.copyOf(envelopes);
        }
    }

    CompiledMapping(String name, String file, String topic, String objectType, List<String> eventPatterns,
            boolean acceptsBare, Target target, String system, Expr id, Expr key, Expr updatedAt,
            List<VersionKey> version, Expr eventId, Expr traceId, Expr deleteWhen, RecordExpr fields, int metadataPos,
            MetadataWriter metadata, PathTrie objectPaths, PathTrie eventPaths, Sourcing sourcing) {
        this.sourcing = sourcing;
        this.objectPaths = objectPaths;
        this.eventPaths = eventPaths;
        this.name = name;
        this.file = file;
        this.topic = topic;
        this.objectType = objectType;
        this.eventPatterns = eventPatterns == null ? null : List.copyOf(eventPatterns);
        this.acceptsBare = acceptsBare;
        this.target = target;
        this.system = system;
        this.id = id;
        this.key = key;
        this.updatedAt = updatedAt;
        this.version = List.copyOf(version);
        this.eventId = eventId;
        this.traceId = traceId;
        this.deleteWhen = deleteWhen;
        this.fields = fields;
        this.metadataPos = metadataPos;
        Schema.Field idField = target == null ? null : target.schema().getField(ID_FIELD);
        this.idPos = idField != null && idField.schema().getType() == Schema.Type.STRING ? idField.pos() : -1;
        this.metadata = metadata;
    }

    /**
     * When Syncline received the record (epoch millis): the {@code syncline.received-at} header, else the record's
     * timestamp, else the processing time. The canonical {@code ingested_at}, and what value checks' windows are
     * around.
     */
    public static long receivedAt(MappingContext ctx) {
        return MetadataWriter.receivedAt(ctx);
    }

    /** Glob match where {@code *} stands for any text; no regex, as it runs per record. */
    static boolean globMatches(String pattern, String text) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            return pattern.equals(text);
        }
        if (!text.startsWith(pattern.substring(0, star))) {
            return false;
        }
        String rest = pattern.substring(star + 1);
        if (rest.isEmpty()) {
            return true;
        }
        for (int i = star; i <= text.length(); i++) {
            if (globMatches(rest, text.substring(i))) {
                return true;
            }
        }
        return false;
    }

    /** The mapping's name: its path under the mappings directory without extension, e.g. {@code stripe/charge}. */
    public String name() {
        return name;
    }

    /** The file it was compiled from, as named in errors and in the DLQ header {@code syncline.mapping.file}. */
    public String file() {
        return file;
    }

    /** The raw topic it reads. */
    public String topic() {
        return topic;
    }

    /** The provider object type it expects in the {@code object} member, or null when it does not check. */
    public String objectType() {
        return objectType;
    }

    /** Event-type patterns it takes ({@code *} matches any text), or null for every event type. */
    public List<String> eventPatterns() {
        return eventPatterns;
    }

    public boolean acceptsBare() {
        return acceptsBare;
    }

    /** True when an event envelope of {@code type} is for this mapping. */
    public boolean acceptsEvent(String type) {
        if (eventPatterns == null) {
            return true;
        }
        if (type == null) {
            return false;
        }
        for (String p : eventPatterns) {
            if (globMatches(p, type)) {
                return true;
            }
        }
        return false;
    }

    /** The envelopes it takes, in the order the mapping names them. */
    public List<Envelope> envelopes() {
        return sourcing.envelopes();
    }

    /** True when it takes the envelope. */
    public boolean takes(Envelope e) {
        for (Envelope x : sourcing.envelopes()) {
            if (x == e) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when one of its envelopes carries single property changes: then the normalizer merges them into the latest
     * full version of each object and emits a version only when its canonical content changes.
     */
    public boolean merges() {
        return sourcing.contentFields() != null;
    }

    /** The fields compared to tell a new version from one already emitted (see {@link #merges()}). */
    public int[] contentFields() {
        return sourcing.contentFields();
    }

    /** The value checks of {@code checks:}. */
    public FieldChecks checks() {
        return sourcing.checks();
    }

    /** What the mapping reads of the provider object, or null when it may read anything (a Java function). */
    public PathTrie objectPaths() {
        return objectPaths;
    }

    /** What the mapping reads of the event envelope, or null when it may read anything. */
    PathTrie eventPaths() {
        return eventPaths;
    }

    public Target target() {
        return target;
    }

    public String system() {
        return system;
    }

    /** The event id used to drop duplicates, or null when the record has none. */
    public String eventId(MappingContext ctx) {
        return eventId == null ? null : (String) eventId.eval(ctx);
    }

    /**
     * Maps one record.
     *
     * @param eventId the value of {@link #eventId} for this record (computed first, to drop duplicates early)
     * @throws MappingException when the record cannot be mapped; the message names the field
     */
    public CanonicalChange apply(MappingContext ctx, String eventId) {
        return apply(ctx, eventId, false);
    }

    /**
     * Maps one record.
     *
     * @param envelopeDelete true when the record's envelope says the object was deleted (its {@code delete-when})
     */
    public CanonicalChange apply(MappingContext ctx, String eventId, boolean envelopeDelete) {
        String sourceId = (String) id.eval(ctx);
        if (sourceId == null || sourceId.isEmpty()) {
            throw new MappingException("id", "the source id is missing");
        }
        String canonicalKey = key == null ? system + ":" + sourceId : (String) key.eval(ctx);
        if (canonicalKey == null || canonicalKey.isEmpty()) {
            throw new MappingException("key", "the canonical key is missing");
        }
        boolean delete = envelopeDelete
                || deleteWhen != null && Transforms.truthy(deleteWhen.eval(ctx), "delete-when");
        Long updated = (Long) updatedAt.eval(ctx);
        if (updated == null) {
            throw new MappingException("updated-at", "the source updated-at is missing");
        }
        GenericData.Record record = fields.eval(ctx);
        if (idPos >= 0 && record.get(idPos) == null) {
            record.put(idPos, canonicalKey);
        }
        if (metadataPos >= 0) {
            String trace = traceId == null ? null : (String) traceId.eval(ctx);
            record.put(metadataPos, metadata.build(this, ctx, sourceId, delete, updated, eventId, trace));
        }
        long[] ranks = new long[version.size()];
        for (int i = 0; i < ranks.length; i++) {
            ranks[i] = version.get(i).value(ctx);
        }
        return new CanonicalChange(this, canonicalKey, record, delete, updated, ranks);
    }

    @Override
    public String toString() {
        return name + " (" + file + ": " + topic + " → " + target.name() + ")";
    }
}
