package io.syncline.registry.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

import io.syncline.registry.server.RegistryService.SchemaRequest;
import io.syncline.registry.server.RegistryState.Filter;
import io.syncline.registry.server.RegistryState.Reference;
import io.syncline.registry.server.RegistryState.SchemaEntry;
import io.syncline.registry.server.RegistryState.SubjectVersion;
import io.syncline.registry.server.RegistryState.VersionView;
import io.syncline.registry.server.SchemaTypes.Parsed;
import io.syncline.registry.server.StoreRecords.ConfigKey;
import io.syncline.registry.server.StoreRecords.DeleteSubjectKey;
import io.syncline.registry.server.StoreRecords.ModeKey;
import io.syncline.registry.server.StoreRecords.NoopKey;
import io.syncline.registry.server.StoreRecords.SchemaKey;
import io.syncline.registry.server.StoreRecords.SchemaValue;

/**
 * Subjects and their versions: the reads ({@code /subjects}, {@code /schemas}, {@code /schemas/ids}, referenced-by,
 * contexts, formats) and the soft and permanent deletes with Confluent's checks (references, modes, order).
 */
final class SubjectVersions {

    private final RegistryState state;
    private final SchemaLog log;
    private final RegistryModes modes;
    private final SchemaReferences refs;

    SubjectVersions(RegistryState state, SchemaLog log, RegistryModes modes, SchemaReferences refs) {
        this.state = state;
        this.log = log;
        this.modes = modes;
        this.refs = refs;
    }


    /** Subjects by prefix and filter ({@code GET /subjects}). */
    List<String> subjects(String prefix, Filter filter) {
        List<String> out = new ArrayList<>();
        String normalizedPrefix = prefix == null ? null : Subjects.normalize(prefix);
        for (String s : state.subjects(filter)) {
            if (normalizedPrefix == null || s.startsWith(normalizedPrefix)) {
                out.add(s);
            }
        }
        return out;
    }

    SortedSet<String> subjects(boolean includeDeleted) {
        return state.subjects(includeDeleted);
    }

    List<Integer> versions(String rawSubject, Filter filter, boolean deletedAsNegative) {
        String subject = Subjects.normalize(rawSubject);
        Filter exists = filter == Filter.LIVE && !deletedAsNegative ? Filter.LIVE : Filter.ALL;
        if (state.versions(subject, exists).isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        Filter listing = deletedAsNegative ? Filter.ALL : filter;
        return state.versions(subject, listing).stream()
                .map(v -> deletedAsNegative && v.deleted() ? -v.version() : v.version()).toList();
    }

    List<Integer> versions(String subject, boolean includeDeleted) {
        return versions(subject, includeDeleted ? Filter.ALL : Filter.LIVE, false);
    }

    VersionView version(String rawSubject, String version, boolean includeDeleted) {
        String subject = Subjects.normalize(rawSubject);
        int v = RegistryService.parseVersion(version);
        return state.version(subject, v, includeDeleted).orElseThrow(() -> state.hasSubject(subject, includeDeleted)
                ? RegistryException.versionNotFound(v) : RegistryException.subjectNotFound(subject));
    }

    /** The latest version whose metadata properties include all of {@code properties} ({@code /metadata}). */
    VersionView latestWithMetadata(String rawSubject, Map<String, String> properties, boolean includeDeleted) {
        String subject = Subjects.normalize(rawSubject);
        List<VersionView> versions = state.versions(subject, includeDeleted);
        for (int i = versions.size() - 1; i >= 0; i--) {
            VersionView v = versions.get(i);
            if (v.metadata() != null && properties.entrySet().stream()
                    .allMatch(e -> e.getValue().equals(Contracts.property(v.metadata(), e.getKey())))) {
                return v;
            }
        }
        throw state.hasSubject(subject, includeDeleted) ? RegistryException.schemaNotFound()
                : RegistryException.subjectNotFound(subject);
    }

    /** Versions of the subjects with a prefix ({@code GET /schemas}): every version, or the latest of each. */
    List<VersionView> schemas(String prefix, boolean includeDeleted, boolean latestOnly, String ruleType) {
        List<VersionView> out = new ArrayList<>();
        for (String subject : subjects(prefix == null ? "" : prefix, includeDeleted ? Filter.ALL : Filter.LIVE)) {
            List<VersionView> versions = state.versions(subject, includeDeleted);
            if (latestOnly && !versions.isEmpty()) {
                versions = List.of(versions.get(versions.size() - 1));
            }
            for (VersionView v : versions) {
                if (ruleType == null || ruleType.isEmpty() || Contracts.hasRuleOfType(v.ruleSet(), ruleType)) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /**
     * A schema by id. {@code subject} (Confluent's {@code ?subject=}) selects the context: {@code :.ctx:} or
     * {@code :.ctx:name}; without it the default context is searched, then the other contexts in order.
     */
    SchemaEntry schemaById(int id, String subject) {
        if (subject == null || subject.isEmpty()) {
            Optional<SchemaEntry> entry = state.schemaById(id);
            if (entry.isPresent()) {
                return entry.get();
            }
            for (String context : state.contexts()) {
                Optional<SchemaEntry> other = state.schemaById(context, id);
                if (other.isPresent()) {
                    return other.get();
                }
            }
            throw RegistryException.schemaNotFound(id);
        }
        return state.schemaById(Subjects.context(Subjects.normalize(subject)), id)
                .orElseThrow(() -> RegistryException.schemaNotFound(id));
    }

    SchemaEntry schemaById(int id) {
        return schemaById(id, null);
    }

    /** The schema of the default context with this GUID (the newest id), or 40403. */
    SchemaEntry schemaByGuid(String guid) {
        SchemaEntry best = null;
        for (String context : state.contexts()) {
            for (VersionView v : schemas(Subjects.contextKey(context) == null ? "" : Subjects.contextKey(context),
                    true, false, null)) {
                if (!v.context().equals(context)) {
                    continue;
                }
                Optional<SchemaEntry> e = state.schemaById(context, v.id());
                if (e.isPresent() && e.get().guid.equals(guid) && (best == null || best.id < e.get().id)) {
                    best = e.get();
                }
            }
            if (best != null) {
                return best;
            }
        }
        throw new RegistryException(404, 40403, "Schema " + guid + " not found");
    }

    List<SubjectVersion> usesOf(int id, String subject, boolean includeDeleted) {
        SchemaEntry entry = schemaById(id, subject);
        if (state.usesOf(entry.context, id, true).isEmpty()) {
            throw RegistryException.schemaNotFound();
        }
        return state.usesOf(entry.context, id, includeDeleted);
    }

    List<SubjectVersion> usesOf(int id, boolean includeDeleted) {
        return usesOf(id, null, includeDeleted);
    }

    /** Ids of the schemas that reference a version ({@code /referencedby}). */
    List<Integer> referencedBy(String rawSubject, String version, boolean includeDeleted) {
        VersionView v = version(rawSubject, version, true);
        return state.referencedBy(v.subject(), v.version(), includeDeleted);
    }

    /** The contexts, default first ({@code GET /contexts}). */
    List<String> contexts() {
        return state.contexts();
    }

    /** The schema in a requested format ({@code ?format=}); unknown formats give the stored text, as Confluent does. */
    String formatted(String subject, String schemaType, List<Reference> references, String schema, String format) {
        if (format == null || format.isBlank()) {
            return schema;
        }
        Parsed parsed = refs.parse(subject,
                new SchemaRequest(schema, schemaType, references, null, null, null, null), false, false);
        return SchemaTypes.of(parsed.type()).formatted(parsed, format.trim());
    }

    // ---------------------------------------------------------------- deletes

    /** Soft-deletes a subject's live versions, or permanently removes a soft-deleted subject. */
    List<Integer> deleteSubject(String rawSubject, boolean permanent) {
        String subject = Subjects.normalize(rawSubject);
        checkDeleteSubject(subject, permanent);
        return log.<List<Integer>>write(m -> {
            checkDeleteSubject(subject, permanent);
            List<VersionView> all = state.versions(subject, true);
            if (!permanent) {
                List<Integer> live = all.stream().filter(v -> !v.deleted()).map(VersionView::version).toList();
                m.put(new DeleteSubjectKey(subject),
                        StoreRecords.deleteSubjectValueBytes(subject, live.get(live.size() - 1)));
                return m.result(live);
            }
            for (int i = all.size() - 1; i >= 0; i--) {
                m.tombstone(new SchemaKey(subject, all.get(i).version()));
            }
            forgetSubject(m, subject);
            return m.result(all.stream().map(VersionView::version).toList());
        });
    }

    private void checkDeleteSubject(String subject, boolean permanent) {
        List<VersionView> all = state.versions(subject, true);
        if (all.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        boolean anyLive = all.stream().anyMatch(v -> !v.deleted());
        if (!permanent && !anyLive) {
            throw RegistryException.subjectSoftDeleted(subject);
        }
        modes.checkWritable(subject);
        for (VersionView v : all) {
            if (!permanent && v.deleted()) {
                continue;
            }
            for (SchemaValue referrer : state.referrers(subject, v.version(), permanent)) {
                if (!referrer.subject().equals(subject)) {
                    throw RegistryException.referenceExists(subject, v.version());
                }
            }
        }
        if (permanent && anyLive) {
            throw RegistryException.subjectNotSoftDeleted(subject);
        }
    }

    /** Soft-deletes one version, or permanently removes a soft-deleted one; returns its number. */
    int deleteVersion(String rawSubject, String version, boolean permanent) {
        String subject = Subjects.normalize(rawSubject);
        int requested = RegistryService.parseVersion(version);
        targetForDelete(subject, requested, permanent);
        return log.<Integer>write(m -> {
            VersionView target = targetForDelete(subject, requested, permanent);
            SchemaKey key = new SchemaKey(subject, target.version());
            if (!permanent) {
                m.put(key, StoreRecords.schemaValueBytes(new SchemaValue(subject, target.version(), target.id(),
                        target.schemaType(), target.references(), target.metadata(), target.ruleSet(),
                        target.schema(), true, 0L)));
            } else {
                m.tombstone(key);
                if (state.versions(subject, true).size() == 1) {
                    forgetSubject(m, subject);
                } else {
                    m.put(new NoopKey(), StoreRecords.noopValueBytes(state.maxIds()));
                }
            }
            return m.result(target.version());
        });
    }

    private VersionView targetForDelete(String subject, int requested, boolean permanent) {
        Optional<VersionView> target = requested == -1 && !permanent
                ? state.version(subject, -1, false).or(() -> state.version(subject, -1, true))
                : state.version(subject, requested, true);
        if (target.isEmpty()) {
            throw state.hasSubject(subject, true) ? RegistryException.versionNotFound(requested)
                    : RegistryException.subjectNotFound(subject);
        }
        VersionView v = target.get();
        if (!permanent && v.deleted()) {
            throw RegistryException.versionSoftDeleted(subject, v.version());
        }
        modes.checkWritable(subject);
        if (!state.referencedBy(subject, v.version(), permanent).isEmpty()) {
            throw RegistryException.referenceExists(subject, v.version());
        }
        if (permanent && !v.deleted()) {
            throw RegistryException.versionNotSoftDeleted(subject, v.version());
        }
        return v;
    }


    /**
     * Once a subject has no versions left, drops its config, mode and soft-delete marker, and records the id
     * high-water marks: the tombstoned records carried ids that must not be issued again after compaction removes them.
     */
    private void forgetSubject(SchemaLog.Mutation<?> m, String subject) {
        if (state.config(subject).isPresent()) {
            m.tombstone(new ConfigKey(subject));
        }
        if (state.mode(subject).isPresent()) {
            m.tombstone(new ModeKey(subject));
        }
        if (state.hasSoftDeletedSubjectRecord(subject)) {
            m.tombstone(new DeleteSubjectKey(subject));
        }
        m.put(new NoopKey(), StoreRecords.noopValueBytes(state.maxIds()));
    }
}
