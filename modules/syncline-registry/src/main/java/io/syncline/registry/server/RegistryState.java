package io.syncline.registry.server;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.syncline.registry.server.StoreRecords.ClearSubjectKey;
import io.syncline.registry.server.StoreRecords.ConfigKey;
import io.syncline.registry.server.StoreRecords.ContextKey;
import io.syncline.registry.server.StoreRecords.DeleteSubjectKey;
import io.syncline.registry.server.StoreRecords.Key;
import io.syncline.registry.server.StoreRecords.ModeKey;
import io.syncline.registry.server.StoreRecords.NoopKey;
import io.syncline.registry.server.StoreRecords.SchemaKey;
import io.syncline.registry.server.StoreRecords.SchemaValue;

/**
 * The registry's in-memory state: a pure function of the records of the {@code _schemas} topic, applied in log order.
 *
 * <p>Every record is applied as the log says, without re-validating it: the writer already validated it under
 * exclusive ownership of the log (see {@link SchemaLog}), and re-validation at replay would give different answers
 * once compaction has removed records that a check depends on (a soft delete compacted away under a later tombstone,
 * for instance). The rules are chosen so that the state after replaying a compacted log equals the state after
 * replaying the full one: for SCHEMA, CONFIG and MODE keys the last value of a key wins, exactly what compaction
 * keeps; a DELETE_SUBJECT record only marks versions that precede it, and the records it marked either survive before
 * it or were superseded by later records of the same key, which win in both cases.
 *
 * <p>Schema ids are numbered per context ({@code :.ctx:subject}), as in Confluent; the default context is
 * {@code "."}. A schema's identity is its type, canonical text, references, metadata and rule set: the same text with
 * another contract is another schema with its own id, as in Confluent.
 *
 * <p>Thread-safety: the single consumer thread applies batches under the write lock; HTTP threads read under the
 * read lock.
 *
 * <p>Kept as one class over 600 lines on purpose: every query reads the same indexes that {@link #apply} keeps
 * consistent under one lock, so splitting them would spread that lock and those invariants over several classes.
 */
final class RegistryState {

    private static final Logger log = LoggerFactory.getLogger(RegistryState.class);

    /** A schema reference as clients send it: the name the schema uses, and the subject and version it names. */
    record Reference(String name, String subject, int version) {
    }

    /** One version of a subject as the API shows it. */
    record VersionView(String subject, int version, int id, String schemaType, List<Reference> references,
            ObjectNode metadata, ObjectNode ruleSet, String schema, boolean deleted, long timestamp) {

        String context() {
            return Subjects.context(subject);
        }
    }

    /**
     * A schema by id in one context. {@code parsed} is filled on first use (it may need referenced subjects) and
     * {@code byIdBody} caches the plain answer of {@code GET /schemas/ids/{id}}, the registry's hot path.
     */
    static final class SchemaEntry {
        final String context;
        final int id;
        final String schemaType;
        final List<Reference> references;
        final ObjectNode metadata;
        final ObjectNode ruleSet;
        final String schema;
        final String identity;
        final String guid;
        final Set<SubjectVersion> usedBy = new LinkedHashSet<>();
        volatile SchemaTypes.Parsed parsed;
        volatile byte[] byIdBody;

        SchemaEntry(String context, SchemaValue v) {
            this.context = context;
            this.id = v.id();
            this.schemaType = v.schemaType();
            this.references = v.references();
            this.metadata = v.metadata();
            this.ruleSet = v.ruleSet();
            this.schema = v.schema();
            this.identity = identity(v.schemaType(), v.schema(), v.references(), v.metadata(), v.ruleSet());
            this.guid = Contracts.guid(v.schema(), v.references(), v.metadata(), v.ruleSet());
        }

        String type() {
            return schemaType == null ? SchemaTypes.AVRO : schemaType;
        }
    }

    /** A (subject, version) pair, as {@code GET /schemas/ids/{id}/versions} lists them. */
    record SubjectVersion(String subject, int version) {
    }

    /** The ids of one context. */
    private static final class ContextIds {
        final Map<Integer, SchemaEntry> byId = new HashMap<>();
        final Map<String, Integer> idsByIdentity = new HashMap<>();
        int maxId;
    }

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, TreeMap<Integer, SchemaValue>> subjects = new HashMap<>();
    private final Map<String, ContextIds> contexts = new HashMap<>();
    private final Set<String> declaredContexts = new TreeSet<>();
    /** Configs by key: the subject, {@code :.ctx:} for a context, {@code ""} for the global config. */
    private final Map<String, ObjectNode> configs = new HashMap<>();
    private final Map<String, String> modes = new HashMap<>();
    private final Set<String> softDeletedSubjectRecords = new java.util.HashSet<>();
    /** Every byte form a live key was written in, so a tombstone can delete each (compaction compares bytes). */
    private final Map<Key, Set<ByteBuffer>> rawKeys = new HashMap<>();
    /** The default context's ids, looked up without a map access on the hot path. */
    private final ContextIds defaultIds = contextIds(Subjects.DEFAULT_CONTEXT);

    private final Object offsetMonitor = new Object();
    private long nextOffset;

    /** Schemas held (distinct ids over every context), for the {@code syncline_registry_schemas} gauge. */
    int schemaCount() {
        lock.readLock().lock();
        try {
            return contexts.values().stream().mapToInt(c -> c.byId.size()).sum();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The identity of a schema: what must be equal for two registrations to be one schema with one id. */
    static String identity(String schemaType, String canonical, List<Reference> references, ObjectNode metadata,
            ObjectNode ruleSet) {
        StringBuilder sb = new StringBuilder(canonical.length() + 64);
        sb.append(schemaType == null ? SchemaTypes.AVRO : schemaType).append('\n').append(canonical);
        for (Reference r : references) {
            sb.append('\n').append(r.name()).append('\u0000').append(r.subject()).append('\u0000').append(r.version());
        }
        sb.append("\nmetadata=").append(metadata).append("\nruleSet=").append(ruleSet);
        return sb.toString();
    }

    private ContextIds contextIds(String context) {
        return contexts.computeIfAbsent(context, c -> new ContextIds());
    }

    private static String configKey(String key) {
        return key == null ? "" : key;
    }

    // ---------------------------------------------------------------- applying the log

    /** Applies a batch of records and then records that everything before {@code position} has been applied. */
    void apply(Iterable<ConsumerRecord<byte[], byte[]>> records, long position) {
        lock.writeLock().lock();
        try {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                applyOne(record);
            }
        } finally {
            lock.writeLock().unlock();
        }
        synchronized (offsetMonitor) {
            if (position > nextOffset) {
                nextOffset = position;
                offsetMonitor.notifyAll();
            }
        }
    }

    private void applyOne(ConsumerRecord<byte[], byte[]> record) {
        Key key;
        try {
            key = StoreRecords.parseKey(record.key());
        } catch (IllegalArgumentException e) {
            // Confluent skips keys it does not understand too; say so, because a skipped record is not applied.
            log.warn("skipping record at offset {} of {}: {}", record.offset(), record.topic(), e.getMessage());
            return;
        }
        byte[] value = record.value();
        try {
            if (key instanceof SchemaKey k) {
                if (value == null) {
                    removeVersion(k);
                } else {
                    putVersion(StoreRecords.parseSchemaValue(k, value, record.timestamp()));
                }
            } else if (key instanceof ConfigKey k) {
                if (value == null) {
                    configs.remove(configKey(k.subject()));
                } else {
                    configs.put(configKey(k.subject()), StoreRecords.parseConfigValue(value));
                }
            } else if (key instanceof ModeKey k) {
                if (value == null) {
                    modes.remove(configKey(k.subject()));
                } else {
                    modes.put(configKey(k.subject()), StoreRecords.parseModeValue(value));
                }
            } else if (key instanceof DeleteSubjectKey k) {
                if (value == null) {
                    softDeletedSubjectRecords.remove(k.subject());
                } else {
                    markDeletedUpTo(k.subject(), StoreRecords.parseDeleteSubjectValue(value));
                    softDeletedSubjectRecords.add(k.subject());
                }
            } else if (key instanceof ContextKey k) {
                if (value == null) {
                    declaredContexts.remove(k.context());
                } else {
                    declaredContexts.add(k.context());
                }
            } else if (key instanceof ClearSubjectKey) {
                // Confluent clears caches of hard-deleted versions with it; the versions' own tombstones did that here.
                return;
            } else if (key instanceof NoopKey) {
                StoreRecords.parseNoopValue(value).forEach((context, max) -> {
                    ContextIds ids = contextIds(context);
                    ids.maxId = Math.max(ids.maxId, max);
                });
            }
        } catch (IllegalArgumentException | RegistryException e) {
            log.warn("skipping record at offset {} of {}: {}", record.offset(), record.topic(), e.getMessage());
            return;
        }
        if (!(key instanceof NoopKey)) {
            if (value == null) {
                rawKeys.remove(key);
            } else {
                rawKeys.computeIfAbsent(key, x -> new LinkedHashSet<>()).add(ByteBuffer.wrap(record.key()));
            }
        }
    }

    private void putVersion(SchemaValue value) {
        TreeMap<Integer, SchemaValue> versions = subjects.computeIfAbsent(value.subject(), s -> new TreeMap<>());
        SchemaValue previous = versions.put(value.version(), value);
        String context = Subjects.context(value.subject());
        ContextIds ids = contextIds(context);
        ids.maxId = Math.max(ids.maxId, value.id());
        if (previous != null && previous.id() == value.id() && sameContent(previous, value)) {
            return; // a soft delete (or undelete) of this version: same schema, same id
        }
        if (previous != null) {
            release(previous);
        }
        SchemaEntry entry = ids.byId.get(value.id());
        if (entry == null) {
            entry = new SchemaEntry(context, value);
            ids.byId.put(value.id(), entry);
        } else {
            SchemaEntry candidate = new SchemaEntry(context, value);
            if (!candidate.identity.equals(entry.identity)) {
                // Never produced by this registry (ids are issued under exclusive ownership of the log); the log
                // is the truth, so the later record wins, deterministically on every instance.
                log.warn("schema id {} is bound to a different schema by {} version {}; the later record wins",
                        value.id(), value.subject(), value.version());
                ids.idsByIdentity.remove(entry.identity, entry.id);
                candidate.usedBy.addAll(entry.usedBy);
                entry = candidate;
                ids.byId.put(value.id(), entry);
            }
        }
        entry.usedBy.add(new SubjectVersion(value.subject(), value.version()));
        Integer known = ids.idsByIdentity.get(entry.identity);
        if (known == null || !ids.byId.containsKey(known)) {
            ids.idsByIdentity.put(entry.identity, entry.id);
        }
    }

    private static boolean sameContent(SchemaValue a, SchemaValue b) {
        return a.schema().equals(b.schema()) && Objects.equals(a.schemaType(), b.schemaType())
                && a.references().equals(b.references()) && Objects.equals(a.metadata(), b.metadata())
                && Objects.equals(a.ruleSet(), b.ruleSet());
    }

    private void removeVersion(SchemaKey key) {
        TreeMap<Integer, SchemaValue> versions = subjects.get(key.subject());
        if (versions == null) {
            return;
        }
        SchemaValue previous = versions.remove(key.version());
        if (previous != null) {
            release(previous);
        }
        if (versions.isEmpty()) {
            subjects.remove(key.subject());
        }
    }

    /** Drops the link from a version to its schema id, and the id itself once nothing uses it. */
    private void release(SchemaValue value) {
        ContextIds ids = contextIds(Subjects.context(value.subject()));
        SchemaEntry entry = ids.byId.get(value.id());
        if (entry == null) {
            return;
        }
        entry.usedBy.remove(new SubjectVersion(value.subject(), value.version()));
        if (entry.usedBy.isEmpty()) {
            ids.byId.remove(value.id());
            ids.idsByIdentity.remove(entry.identity, entry.id);
        }
    }

    private void markDeletedUpTo(String subject, int watermark) {
        TreeMap<Integer, SchemaValue> versions = subjects.get(subject);
        if (versions == null) {
            return;
        }
        for (Map.Entry<Integer, SchemaValue> e : versions.headMap(watermark, true).entrySet()) {
            if (!e.getValue().deleted()) {
                e.setValue(e.getValue().withDeleted(true));
            }
        }
    }

    // ---------------------------------------------------------------- progress

    /** The offset of the next record to apply: everything before it is reflected in this state. */
    long nextOffset() {
        synchronized (offsetMonitor) {
            return nextOffset;
        }
    }

    /** Waits until every record before {@code offset} is applied; false if {@code timeoutNanos} passed first. */
    boolean awaitOffset(long offset, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (offsetMonitor) {
            while (nextOffset < offset) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(offsetMonitor, remaining);
            }
            return true;
        }
    }

    // ---------------------------------------------------------------- queries

    /** Which versions a listing includes: live ones, all, or soft-deleted ones only. */
    enum Filter {
        LIVE, ALL, DELETED_ONLY;

        boolean includes(boolean deleted) {
            return switch (this) {
                case LIVE -> !deleted;
                case ALL -> true;
                case DELETED_ONLY -> deleted;
            };
        }

        static Filter of(boolean deleted, boolean deletedOnly) {
            return deletedOnly ? DELETED_ONLY : deleted ? ALL : LIVE;
        }
    }

    SortedSet<String> subjects(boolean includeDeleted) {
        return subjects(includeDeleted ? Filter.ALL : Filter.LIVE);
    }

    /** Subjects the filter includes, sorted; as in Confluent, a subject is deleted when all its versions are. */
    SortedSet<String> subjects(Filter filter) {
        lock.readLock().lock();
        try {
            SortedSet<String> result = new TreeSet<>();
            subjects.forEach((subject, versions) -> {
                boolean allDeleted = versions.values().stream().allMatch(SchemaValue::deleted);
                if (!versions.isEmpty() && filter.includes(allDeleted)) {
                    result.add(subject);
                }
            });
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    boolean hasSubject(String subject, boolean includeDeleted) {
        return !versions(subject, includeDeleted).isEmpty();
    }

    /** The versions of a subject in ascending order, soft-deleted ones only when asked for. */
    List<VersionView> versions(String subject, boolean includeDeleted) {
        return versions(subject, includeDeleted ? Filter.ALL : Filter.LIVE);
    }

    List<VersionView> versions(String subject, Filter filter) {
        lock.readLock().lock();
        try {
            NavigableMap<Integer, SchemaValue> versions = subjects.get(subject);
            List<VersionView> result = new ArrayList<>();
            if (versions != null) {
                for (SchemaValue v : versions.values()) {
                    if (filter.includes(v.deleted())) {
                        result.add(view(v));
                    }
                }
            }
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A version, or the latest when {@code version} is -1. */
    Optional<VersionView> version(String subject, int version, boolean includeDeleted) {
        List<VersionView> versions = versions(subject, includeDeleted);
        if (version == -1) {
            return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
        }
        return versions.stream().filter(v -> v.version() == version).findFirst();
    }

    /** A schema of the default context by id: the hot path, one map lookup under the read lock. */
    Optional<SchemaEntry> schemaById(int id) {
        return schemaById(Subjects.DEFAULT_CONTEXT, id);
    }

    Optional<SchemaEntry> schemaById(String context, int id) {
        lock.readLock().lock();
        try {
            ContextIds ids = Subjects.DEFAULT_CONTEXT.equals(context) ? defaultIds : contexts.get(context);
            return Optional.ofNullable(ids == null ? null : ids.byId.get(id));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The (subject, version) pairs that use schema {@code id} of {@code context}, in subject then version order. */
    List<SubjectVersion> usesOf(String context, int id, boolean includeDeleted) {
        lock.readLock().lock();
        try {
            ContextIds ids = contexts.get(context);
            SchemaEntry entry = ids == null ? null : ids.byId.get(id);
            if (entry == null) {
                return List.of();
            }
            List<SubjectVersion> result = new ArrayList<>();
            for (SubjectVersion sv : entry.usedBy) {
                SchemaValue v = subjects.get(sv.subject()).get(sv.version());
                if (includeDeleted || !v.deleted()) {
                    result.add(sv);
                }
            }
            result.sort(java.util.Comparator.comparing(SubjectVersion::subject)
                    .thenComparingInt(SubjectVersion::version));
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    List<SubjectVersion> usesOf(int id, boolean includeDeleted) {
        return usesOf(Subjects.DEFAULT_CONTEXT, id, includeDeleted);
    }

    /** The id of a schema with this identity in a context, among the schemas still in use (live or soft-deleted). */
    OptionalInt idOf(String context, String identity) {
        lock.readLock().lock();
        try {
            ContextIds ids = contexts.get(context);
            Integer id = ids == null ? null : ids.idsByIdentity.get(identity);
            return id == null ? OptionalInt.empty() : OptionalInt.of(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The highest schema id ever issued in a context, as far as the log still tells. */
    int maxId(String context) {
        lock.readLock().lock();
        try {
            ContextIds ids = contexts.get(context);
            return ids == null ? 0 : ids.maxId;
        } finally {
            lock.readLock().unlock();
        }
    }

    int maxId() {
        return maxId(Subjects.DEFAULT_CONTEXT);
    }

    /** The id high-water mark of every context that has issued ids. */
    Map<String, Integer> maxIds() {
        lock.readLock().lock();
        try {
            Map<String, Integer> out = new TreeMap<>();
            contexts.forEach((context, ids) -> {
                if (ids.maxId > 0 || context.equals(Subjects.DEFAULT_CONTEXT)) {
                    out.put(context, ids.maxId);
                }
            });
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The contexts that hold subjects or were declared, the default one first, then by name. */
    List<String> contexts() {
        lock.readLock().lock();
        try {
            SortedSet<String> names = new TreeSet<>(declaredContexts);
            for (String subject : subjects.keySet()) {
                names.add(Subjects.context(subject));
            }
            names.remove(Subjects.DEFAULT_CONTEXT);
            List<String> out = new ArrayList<>();
            out.add(Subjects.DEFAULT_CONTEXT);
            out.addAll(names);
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    boolean isDeclaredContext(String context) {
        lock.readLock().lock();
        try {
            return declaredContexts.contains(context);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The config stored under a key (subject, {@code :.ctx:}, or null for the global one), if any. */
    Optional<ObjectNode> config(String key) {
        lock.readLock().lock();
        try {
            ObjectNode c = configs.get(configKey(key));
            return Optional.ofNullable(c == null ? null : c.deepCopy());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The mode stored under a key (subject, {@code :.ctx:}, or null for the global one), if any. */
    Optional<String> mode(String key) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(modes.get(configKey(key)));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Subjects (stored form) that have a mode of their own, for recursive mode deletes. */
    List<String> subjectsWithMode(String prefix) {
        lock.readLock().lock();
        try {
            List<String> out = new ArrayList<>();
            for (String key : modes.keySet()) {
                if (!key.isEmpty() && !Subjects.isContextOnly(key) && key.startsWith(prefix)) {
                    out.add(key);
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The ids of schemas that reference version {@code version} of {@code subject}, ascending; soft-deleted
     * referrers only when asked for.
     */
    List<Integer> referencedBy(String subject, int version, boolean includeDeleted) {
        lock.readLock().lock();
        try {
            SortedSet<Integer> ids = new TreeSet<>();
            referrers(subject, version, includeDeleted).forEach(v -> ids.add(v.id()));
            return new ArrayList<>(ids);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The versions whose schemas reference version {@code version} of {@code subject}. */
    List<SchemaValue> referrers(String subject, int version, boolean includeDeleted) {
        lock.readLock().lock();
        try {
            List<SchemaValue> out = new ArrayList<>();
            for (TreeMap<Integer, SchemaValue> versions : subjects.values()) {
                for (SchemaValue v : versions.values()) {
                    if ((!includeDeleted && v.deleted()) || v.references().isEmpty()) {
                        continue;
                    }
                    for (Reference r : v.references()) {
                        if (r.version() == version && Subjects.resolveReference(v.subject(), r.subject()).equals(subject)) {
                            out.add(v);
                            break;
                        }
                    }
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    boolean hasSoftDeletedSubjectRecord(String subject) {
        lock.readLock().lock();
        try {
            return softDeletedSubjectRecords.contains(subject);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The byte forms a key was written in; used to tombstone every one of them. */
    List<byte[]> rawKeys(Key key) {
        lock.readLock().lock();
        try {
            List<byte[]> result = new ArrayList<>();
            for (ByteBuffer b : rawKeys.getOrDefault(key, Set.of())) {
                result.add(b.array());
            }
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    private VersionView view(SchemaValue v) {
        return new VersionView(v.subject(), v.version(), v.id(), v.schemaType(), v.references(), v.metadata(),
                v.ruleSet(), v.schema(), v.deleted(), v.timestamp());
    }
}
