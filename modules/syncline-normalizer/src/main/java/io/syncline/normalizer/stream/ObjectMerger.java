package io.syncline.normalizer.stream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncline.json.PathTrie;
import io.syncline.json.Pointer;
import io.syncline.mapping.PrunedJsonReader;
import io.syncline.mapping.envelope.Envelope;
import io.syncline.normalizer.mapping.CanonicalChange;
import io.syncline.normalizer.mapping.CompiledMapping;

/**
 * Keeps the records of a mapping that merges single property changes complete and emitted once per change.
 *
 * <p>A full version (a polled or backfilled object) becomes the object's base; a property change (a HubSpot webhook
 * event) newer than the base is kept and applied on top of it, the newest change of each property winning. A change
 * for an object whose full version has not come yet waits in state: nothing partial is ever emitted. Whichever path
 * brings a change first, a version is emitted only when its canonical content differs from the last one emitted, so
 * the webhook and the poll of the same change give one canonical record. Deletes (the envelope's or the mapping's
 * {@code delete-when}) are emitted once and make older versions stale.
 *
 * <p>Pure decisions over the state: the caller maps, encodes and stores, so that a record that fails leaves the state
 * as it was.
 */
public final class ObjectMerger {

    /** What became of a record. */
    public enum Verdict {
        /** A new version: {@link Decision#change()} is to be written. */
        EMIT,
        /** Nothing new: the same content was emitted already, or the same change was seen. */
        DUPLICATE,
        /** Older than what the state holds. */
        STALE,
        /** A property change for an object whose full version has not come yet; kept until it does. */
        WAITING,
        /** An event that names no changed property (a creation, an association change): the poll brings the object. */
        NOTICE,
        /** A change of a property no mapping reads. */
        UNMAPPED_PROPERTY
    }

    /**
     * The outcome for one record.
     *
     * @param verdict what became of it
     * @param change the canonical record to write (EMIT only)
     * @param state the state to store afterwards, or null to leave it
     */
    public record Decision(Verdict verdict, CanonicalChange change, ObjectState state) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ObjectMerger() {
    }

    /** The state key of the prepared record's object: {@code <mapping>|<object id>}. */
    public static String key(RecordNormalizer n) throws NormalizeFailure {
        String id = n.envelope().objectId();
        if (id == null || id.isEmpty()) {
            throw new NormalizeFailure(NormalizeFailure.Reason.ENVELOPE, "envelope " + n.envelope().name()
                    + ": the object id (object-id) is missing", IllegalArgumentException.class.getName(),
                    n.mapping());
        }
        return n.mapping().name() + "|" + id;
    }

    /**
     * Decides what to do with the prepared record of {@code n}, given its object's state (null when none).
     *
     * @throws NormalizeFailure when the record cannot be mapped or lacks its time
     */
    public static Decision decide(RecordNormalizer n, ObjectState stored) throws NormalizeFailure {
        ObjectState s = stored == null ? ObjectState.empty() : stored;
        Envelope.Values v = n.envelope();
        Long t = v.time();
        if (t == null) {
            throw new NormalizeFailure(NormalizeFailure.Reason.ENVELOPE, "envelope " + v.name() + ": the time is"
                    + " missing; merging needs it to tell newer from older", IllegalArgumentException.class.getName(),
                    n.mapping());
        }
        long time = t;
        if (s.deleted() && time <= s.deletedAt()) {
            return new Decision(Verdict.STALE, null, null);
        }
        Envelope.Change change = v.envelope().change();
        if (change == null) {
            return fullVersion(n, s, time);
        }
        if (v.delete()) {
            if (s.hasBase() && time < s.baseTime()) {
                return new Decision(Verdict.STALE, null, null);
            }
            JsonNode merged = s.hasBase() ? merged(n, s) : NODES.objectNode();
            return emit(n, s, s, merged, time);
        }
        String property = v.property();
        if (property == null) {
            return new Decision(Verdict.NOTICE, null, null);
        }
        if (!reads(n.mapping(), change.into(), property)) {
            return new Decision(Verdict.UNMAPPED_PROPERTY, null, null);
        }
        if (s.hasBase() && time <= s.baseTime()) {
            return new Decision(Verdict.STALE, null, null);
        }
        ObjectState.Patch before = s.patch(property);
        if (before != null && before.time() > time) {
            return new Decision(Verdict.STALE, null, null);
        }
        if (before != null && before.time() == time && v.id() != null && v.id().equals(before.eventId())) {
            return new Decision(Verdict.DUPLICATE, null, null);
        }
        List<ObjectState.Patch> patches = new ArrayList<>(s.patches().size() + 1);
        for (ObjectState.Patch p : s.patches()) {
            if (!p.property().equals(property)) {
                patches.add(p);
            }
        }
        JsonNode value = v.propertyValue();
        patches.add(new ObjectState.Patch(property, value == null || value.isNull() ? null : value.toString(), time,
                v.id()));
        ObjectState next = new ObjectState(s.base(), s.baseTime(), Long.MIN_VALUE, patches, s.digest());
        if (!s.hasBase()) {
            return new Decision(Verdict.WAITING, null, next);
        }
        return emit(n, s, next, merged(n, next), next.versionTime());
    }

    private static Decision fullVersion(RecordNormalizer n, ObjectState s, long time) throws NormalizeFailure {
        if (s.hasBase() && time < s.baseTime()) {
            return new Decision(Verdict.STALE, null, null);
        }
        JsonNode object = n.object();
        byte[] base;
        try {
            base = JSON.writeValueAsBytes(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed tree always serializes", e);
        }
        List<ObjectState.Patch> newer = new ArrayList<>();
        for (ObjectState.Patch p : s.patches()) {
            if (p.time() > time) {
                newer.add(p);
            }
        }
        ObjectState next = new ObjectState(base, time, Long.MIN_VALUE, newer, s.digest());
        JsonNode merged = object;
        if (!newer.isEmpty()) {
            merged = object.deepCopy();
            apply(n, merged, newer);
        }
        return emit(n, s, next, merged, next.versionTime());
    }

    /**
     * Maps {@code merged} as of {@code time}: a delete is emitted unless the object is deleted already; any other
     * version unless its content equals the last one emitted.
     *
     * @param prior the state before this record
     * @param next the state after it, should the version be emitted or be a duplicate
     */
    private static Decision emit(RecordNormalizer n, ObjectState prior, ObjectState next, JsonNode merged, long time)
            throws NormalizeFailure {
        n.rebase(merged, time);
        CanonicalChange change = n.map();
        ObjectState deleted = new ObjectState(null, Long.MIN_VALUE, Math.max(time, prior.deletedAt()), List.of(),
                null);
        if (change.delete()) {
            return prior.deleted() ? new Decision(Verdict.DUPLICATE, null, deleted)
                    : new Decision(Verdict.EMIT, change, deleted);
        }
        byte[] digest = n.contentDigest(change);
        ObjectState stored = new ObjectState(next.base(), next.baseTime(), Long.MIN_VALUE, next.patches(), digest);
        if (next.digest() != null && Arrays.equals(next.digest(), digest)) {
            return new Decision(Verdict.DUPLICATE, null, stored);
        }
        return new Decision(Verdict.EMIT, change, stored);
    }

    /** The base of {@code s} with its patches applied. */
    private static JsonNode merged(RecordNormalizer n, ObjectState s) throws NormalizeFailure {
        JsonNode base;
        try {
            PathTrie paths = n.mapping().objectPaths();
            base = paths == null ? JSON.readTree(s.base()) : PrunedJsonReader.read(s.base(), paths);
        } catch (IOException e) {
            throw new IllegalStateException("the stored version of an object is not JSON: " + e, e);
        }
        apply(n, base, s.patches());
        return base;
    }

    private static void apply(RecordNormalizer n, JsonNode object, List<ObjectState.Patch> patches)
            throws NormalizeFailure {
        Pointer into = n.envelope().envelope().change() != null ? n.envelope().envelope().change().into()
                : intoOf(n.mapping());
        ObjectNode target = (ObjectNode) object;
        for (String name : into.names()) {
            JsonNode child = target.get(name);
            if (!(child instanceof ObjectNode)) {
                child = target.putObject(name);
            }
            target = (ObjectNode) child;
        }
        for (ObjectState.Patch p : patches) {
            try {
                target.set(p.property(), p.value() == null ? NODES.nullNode() : JSON.readTree(p.value()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a stored property value is not JSON: " + e, e);
            }
        }
    }

    /** Where the mapping's change envelope puts properties (a full version's patches came through it). */
    private static Pointer intoOf(CompiledMapping m) {
        for (Envelope e : m.envelopes()) {
            if (e.change() != null) {
                return e.change().into();
            }
        }
        return Pointer.ROOT;
    }

    /** True when the mapping reads property {@code name} of the object under {@code into} (or may read anything). */
    private static boolean reads(CompiledMapping m, Pointer into, String name) {
        PathTrie t = m.objectPaths();
        if (t == null) {
            return true;
        }
        for (String part : into.names()) {
            if (t.whole()) {
                return true;
            }
            t = t.child(part);
            if (t == null) {
                return false;
            }
        }
        return t.whole() || t.child(name) != null;
    }
}
