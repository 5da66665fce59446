package io.syncline.registry.server;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.syncline.registry.server.StoreRecords.ConfigKey;
import io.syncline.registry.server.StoreRecords.DeleteSubjectKey;
import io.syncline.registry.server.StoreRecords.Key;
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
 * replaying the full one: for SCHEMA and CONFIG keys the last value of a key wins, exactly what compaction keeps; a
 * DELETE_SUBJECT record only marks versions that precede it, and the records it marked either survive before it or
 * were superseded by later records of the same key, which win in both cases.
 *
 * <p>Thread-safety: the single consumer thread applies batches under the write lock; HTTP threads read under the
 * read lock.
 */
final class RegistryState {

    private static final Logger log = LoggerFactory.getLogger(RegistryState.class);

    /** One version of a subject as the API shows it. */
    record VersionView(String subject, int version, int id, String schemaType, JsonNode references, String schema,
            boolean deleted) {
    }

    /** A schema by id; {@code parsed} is null for schemas that are not Avro or do not parse (foreign records). */
    static final class SchemaEntry {
        final int id;
        final String schemaType;
        final JsonNode references;
        final String schema;
        final String identity;
        final AvroSchemas.Parsed parsed;
        final Set<SubjectVersion> usedBy = new LinkedHashSet<>();

        SchemaEntry(int id, String schemaType, JsonNode references, String schema) {
            this.id = id;
            this.schemaType = schemaType;
            this.references = references;
            this.schema = schema;
            AvroSchemas.Parsed p = null;
            if (schemaType == null) {
                try {
                    p = AvroSchemas.parse(schema);
                } catch (RegistryException e) {
                    log.warn("schema id {} in the log does not parse as Avro: {}", id, e.getMessage());
                }
            }
            this.parsed = p;
            this.identity = identity(schemaType, p != null ? p.canonical() : schema);
        }
    }

    /** A (subject, version) pair, as {@code GET /schemas/ids/{id}/versions} lists them. */
    record SubjectVersion(String subject, int version) {
    }

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, TreeMap<Integer, SchemaValue>> subjects = new HashMap<>();
    private final Map<Integer, SchemaEntry> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByIdentity = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private final Set<String> softDeletedSubjectRecords = new java.util.HashSet<>();
    /** Every byte form a live key was written in, so a tombstone can delete each (compaction compares bytes). */
    private final Map<Key, Set<ByteBuffer>> rawKeys = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private int maxId;

    private final Object offsetMonitor = new Object();
    private long nextOffset;

    static String identity(String schemaType, String canonical) {
        return (schemaType == null ? AvroSchemas.AVRO : schemaType) + '\n' + canonical;
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
                    putVersion(StoreRecords.parseSchemaValue(k, value));
                }
            } else if (key instanceof ConfigKey k) {
                if (value == null) {
                    setLevel(k.subject(), null);
                } else {
                    Optional<CompatibilityLevel> level = StoreRecords.parseConfigValue(value);
                    if (level.isEmpty()) {
                        log.warn("skipping CONFIG record at offset {}: no compatibilityLevel this registry knows",
                                record.offset());
                        return;
                    }
                    setLevel(k.subject(), level.get());
                }
            } else if (key instanceof DeleteSubjectKey k) {
                if (value == null) {
                    softDeletedSubjectRecords.remove(k.subject());
                } else {
                    markDeletedUpTo(k.subject(), StoreRecords.parseDeleteSubjectValue(value));
                    softDeletedSubjectRecords.add(k.subject());
                }
            } else if (key instanceof NoopKey) {
                maxId = Math.max(maxId, StoreRecords.parseNoopValue(value));
            }
        } catch (IllegalArgumentException e) {
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
        maxId = Math.max(maxId, value.id());
        if (previous != null && previous.id() == value.id() && previous.schema().equals(value.schema())) {
            return; // a soft delete of this version: same schema, same id
        }
        if (previous != null) {
            release(previous);
        }
        SchemaEntry entry = schemasById.get(value.id());
        if (entry == null) {
            entry = new SchemaEntry(value.id(), value.schemaType(), value.references(), value.schema());
            schemasById.put(value.id(), entry);
        } else if (!entry.schema.equals(value.schema())
                || !java.util.Objects.equals(entry.schemaType, value.schemaType())) {
            SchemaEntry candidate = new SchemaEntry(value.id(), value.schemaType(), value.references(),
                    value.schema());
            if (!candidate.identity.equals(entry.identity)) {
                // Never produced by this registry (ids are issued under exclusive ownership of the log); the log
                // is the truth, so the later record wins, deterministically on every instance.
                log.warn("schema id {} is bound to a different schema by {} version {}; the later record wins",
                        value.id(), value.subject(), value.version());
                idsByIdentity.remove(entry.identity, entry.id);
                candidate.usedBy.addAll(entry.usedBy);
                entry = candidate;
                schemasById.put(value.id(), entry);
            }
        }
        entry.usedBy.add(new SubjectVersion(value.subject(), value.version()));
        Integer known = idsByIdentity.get(entry.identity);
        if (known == null || !schemasById.containsKey(known)) {
            idsByIdentity.put(entry.identity, entry.id);
        }
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
        SchemaEntry entry = schemasById.get(value.id());
        if (entry == null) {
            return;
        }
        entry.usedBy.remove(new SubjectVersion(value.subject(), value.version()));
        if (entry.usedBy.isEmpty()) {
            schemasById.remove(value.id());
            idsByIdentity.remove(entry.identity, entry.id);
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

    private void setLevel(String subject, CompatibilityLevel level) {
        if (subject == null) {
            globalLevel = level;
        } else if (level == null) {
            subjectLevels.remove(subject);
        } else {
            subjectLevels.put(subject, level);
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

    SortedSet<String> subjects(boolean includeDeleted) {
        lock.readLock().lock();
        try {
            SortedSet<String> result = new TreeSet<>();
            subjects.forEach((subject, versions) -> {
                if (includeDeleted || versions.values().stream().anyMatch(v -> !v.deleted())) {
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
        lock.readLock().lock();
        try {
            NavigableMap<Integer, SchemaValue> versions = subjects.get(subject);
            List<VersionView> result = new ArrayList<>();
            if (versions != null) {
                for (SchemaValue v : versions.values()) {
                    if (includeDeleted || !v.deleted()) {
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

    Optional<SchemaEntry> schemaById(int id) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(schemasById.get(id));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The (subject, version) pairs that use schema {@code id}, in subject then version order. */
    List<SubjectVersion> usesOf(int id, boolean includeDeleted) {
        lock.readLock().lock();
        try {
            SchemaEntry entry = schemasById.get(id);
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

    /** The id of a schema with this identity among the schemas still in use (live or soft-deleted). */
    OptionalInt idOf(String identity) {
        lock.readLock().lock();
        try {
            Integer id = idsByIdentity.get(identity);
            return id == null ? OptionalInt.empty() : OptionalInt.of(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The highest schema id ever issued, as far as the log still tells. */
    int maxId() {
        lock.readLock().lock();
        try {
            return maxId;
        } finally {
            lock.readLock().unlock();
        }
    }

    Optional<CompatibilityLevel> globalLevel() {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(globalLevel);
        } finally {
            lock.readLock().unlock();
        }
    }

    Optional<CompatibilityLevel> subjectLevel(String subject) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(subjectLevels.get(subject));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The level that applies to a subject: its own, else the global one, else Confluent's default. */
    CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevel(subject).or(this::globalLevel).orElse(CompatibilityLevel.DEFAULT);
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
        return new VersionView(v.subject(), v.version(), v.id(), v.schemaType(), v.references(), v.schema(),
                v.deleted());
    }
}
