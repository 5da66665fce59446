package io.syncline.registry.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;

import com.fasterxml.jackson.databind.JsonNode;

import io.syncline.registry.server.RegistryState.SchemaEntry;
import io.syncline.registry.server.RegistryState.SubjectVersion;
import io.syncline.registry.server.RegistryState.VersionView;
import io.syncline.registry.server.StoreRecords.ConfigKey;
import io.syncline.registry.server.StoreRecords.DeleteSubjectKey;
import io.syncline.registry.server.StoreRecords.NoopKey;
import io.syncline.registry.server.StoreRecords.SchemaKey;
import io.syncline.registry.server.StoreRecords.SchemaValue;

/**
 * The registry's operations with Confluent Schema Registry's semantics; reads use the local state, writes go
 * through {@link SchemaLog#write} so they are decided by the single current writer on the complete log.
 */
final class RegistryService {

    /** The fields of a register, lookup or compatibility request body that this registry acts on. */
    record SchemaRequest(String schema, String schemaType, JsonNode references, Integer id, Integer version,
            boolean hasMetadata, boolean hasRuleSet) {
    }

    /** The answer to a compatibility check; {@code messages} are reported only when verbose was asked. */
    record CompatibilityResult(boolean compatible, List<String> messages) {
    }

    private final RegistryState state;
    private final SchemaLog log;

    RegistryService(RegistryState state, SchemaLog log) {
        this.state = state;
        this.log = log;
    }

    // ---------------------------------------------------------------- schemas and subjects

    /** Registers a schema under a subject and returns its global id; the same schema always gets the same id. */
    int register(String subject, SchemaRequest request) {
        if (request.id() != null) {
            throw RegistryException.operationNotPermitted("Setting the schema id is only allowed in IMPORT mode,"
                    + " which this registry does not offer; remove \"id\" from the request");
        }
        AvroSchemas.Parsed parsed = parse(request);
        String identity = RegistryState.identity(null, parsed.canonical());
        Optional<VersionView> existing = find(subject, identity, false);
        if (existing.isPresent() && (request.version() == null || request.version() == existing.get().version())) {
            return existing.get().id(); // already registered: no write, no round trip to Kafka
        }
        return log.<Integer>write(m -> {
            Optional<VersionView> again = find(subject, identity, false);
            if (again.isPresent() && (request.version() == null || request.version() == again.get().version())) {
                return m.result(again.get().id());
            }
            List<VersionView> all = state.versions(subject, true);
            int next = all.isEmpty() ? 1 : all.get(all.size() - 1).version() + 1;
            if (request.version() != null && request.version() != next) {
                throw RegistryException.invalidSchema("Version is not one more than previous version: the next"
                        + " version of subject '" + subject + "' is " + next + ", the request asked for "
                        + request.version());
            }
            List<String> problems = AvroSchemas.check(state.effectiveLevel(subject), parsed, previous(all));
            if (!problems.isEmpty()) {
                throw RegistryException.incompatible(subject, problems);
            }
            int id = state.idOf(identity).orElse(state.maxId() + 1);
            for (VersionView v : all) {
                // As Confluent does: a soft-deleted earlier version of the same schema is superseded, drop it.
                if (v.deleted() && v.id() == id) {
                    m.tombstone(new SchemaKey(subject, v.version()));
                }
            }
            m.put(new SchemaKey(subject, next), StoreRecords.schemaValueBytes(
                    new SchemaValue(subject, next, id, null, null, parsed.canonical(), false)));
            return m.result(id);
        });
    }

    /** Finds which version of a subject holds a schema ({@code POST /subjects/{subject}}). */
    VersionView lookup(String subject, SchemaRequest request, boolean includeDeleted) {
        AvroSchemas.Parsed parsed = parse(request);
        return find(subject, RegistryState.identity(null, parsed.canonical()), includeDeleted)
                .orElseThrow(() -> state.hasSubject(subject, includeDeleted) ? RegistryException.schemaNotFound()
                        : RegistryException.subjectNotFound(subject));
    }

    SortedSet<String> subjects(boolean includeDeleted) {
        return state.subjects(includeDeleted);
    }

    List<Integer> versions(String subject, boolean includeDeleted) {
        List<VersionView> versions = state.versions(subject, includeDeleted);
        if (versions.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return versions.stream().map(VersionView::version).toList();
    }

    VersionView version(String subject, String version, boolean includeDeleted) {
        int v = parseVersion(version);
        return state.version(subject, v, includeDeleted).orElseThrow(() -> state.hasSubject(subject, includeDeleted)
                ? RegistryException.versionNotFound(v) : RegistryException.subjectNotFound(subject));
    }

    SchemaEntry schemaById(int id) {
        return state.schemaById(id).orElseThrow(() -> RegistryException.schemaNotFound(id));
    }

    List<SubjectVersion> usesOf(int id, boolean includeDeleted) {
        if (state.schemaById(id).isEmpty()) {
            throw RegistryException.schemaNotFound();
        }
        return state.usesOf(id, includeDeleted);
    }

    /** Soft-deletes a subject's live versions, or permanently removes a soft-deleted subject. */
    List<Integer> deleteSubject(String subject, boolean permanent) {
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
        if (permanent && anyLive) {
            throw RegistryException.subjectNotSoftDeleted(subject);
        }
    }

    /** Soft-deletes one version, or permanently removes a soft-deleted one; returns its number. */
    int deleteVersion(String subject, String version, boolean permanent) {
        int requested = parseVersion(version);
        targetForDelete(subject, requested, permanent);
        return log.<Integer>write(m -> {
            VersionView target = targetForDelete(subject, requested, permanent);
            SchemaKey key = new SchemaKey(subject, target.version());
            if (!permanent) {
                m.put(key, StoreRecords.schemaValueBytes(new SchemaValue(subject, target.version(), target.id(),
                        target.schemaType(), target.references(), target.schema(), true)));
            } else {
                m.tombstone(key);
                if (state.versions(subject, true).size() == 1) {
                    forgetSubject(m, subject);
                } else {
                    m.put(new NoopKey(), StoreRecords.noopValueBytes(state.maxId()));
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
        if (permanent && !v.deleted()) {
            throw RegistryException.versionNotSoftDeleted(subject, v.version());
        }
        return v;
    }

    /**
     * Once a subject has no versions left, drops its config and soft-delete marker, and records the id high-water
     * mark: the tombstoned records carried ids that must not be issued again after compaction removes them.
     */
    private void forgetSubject(SchemaLog.Mutation<?> m, String subject) {
        if (state.subjectLevel(subject).isPresent()) {
            m.tombstone(new ConfigKey(subject));
        }
        if (state.hasSoftDeletedSubjectRecord(subject)) {
            m.tombstone(new DeleteSubjectKey(subject));
        }
        m.put(new NoopKey(), StoreRecords.noopValueBytes(state.maxId()));
    }

    // ---------------------------------------------------------------- compatibility

    /**
     * Tests a schema against one version ({@code version} given; the subject's level, against that version only) or
     * against the subject's live versions as its level prescribes ({@code version} null), as Confluent does.
     */
    CompatibilityResult checkCompatibility(String subject, String version, SchemaRequest request, boolean verbose) {
        List<VersionView> against;
        if (version != null) {
            int v = parseVersion(version);
            Optional<VersionView> target = state.version(subject, v, false);
            if (target.isEmpty() && v != -1) {
                throw RegistryException.versionNotFound(v);
            }
            against = target.map(List::of).orElse(List.of());
        } else {
            against = state.versions(subject, false);
        }
        AvroSchemas.Parsed parsed;
        try {
            parsed = parse(request);
        } catch (RegistryException e) {
            if (verbose && e.errorCode() == 42201) {
                return new CompatibilityResult(false, List.of(e.getMessage()));
            }
            throw e;
        }
        List<String> messages = AvroSchemas.check(state.effectiveLevel(subject), parsed, previous(against));
        return new CompatibilityResult(messages.isEmpty(), messages);
    }

    // ---------------------------------------------------------------- config

    CompatibilityLevel globalLevel() {
        return state.globalLevel().orElse(CompatibilityLevel.DEFAULT);
    }

    /** The subject's own level; with {@code defaultToGlobal} the level that applies to it. */
    CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
        if (defaultToGlobal) {
            return state.effectiveLevel(subject);
        }
        return state.subjectLevel(subject).orElseThrow(
                () -> RegistryException.subjectCompatibilityNotConfigured(subject));
    }

    /** Sets the level of a subject, or the global level when {@code subject} is null. */
    CompatibilityLevel setLevel(String subject, String requested) {
        CompatibilityLevel level = CompatibilityLevel.parse(requested).orElseThrow(() ->
                RegistryException.invalidCompatibilityLevel(requested == null
                        ? " (the request has no \"compatibility\" field)" : " (got '" + requested + "')"));
        return log.<CompatibilityLevel>write(m -> {
            Optional<CompatibilityLevel> current = subject == null ? state.globalLevel() : state.subjectLevel(subject);
            if (current.isEmpty() || current.get() != level) {
                m.put(new ConfigKey(subject), StoreRecords.configValueBytes(level));
            }
            return m.result(level);
        });
    }

    /** Removes a subject's level and returns it; 40401 when the subject has none. */
    CompatibilityLevel deleteSubjectLevel(String subject) {
        state.subjectLevel(subject).orElseThrow(() -> RegistryException.subjectNotFound(subject));
        return log.<CompatibilityLevel>write(m -> {
            CompatibilityLevel previous = state.subjectLevel(subject)
                    .orElseThrow(() -> RegistryException.subjectNotFound(subject));
            m.tombstone(new ConfigKey(subject));
            return m.result(previous);
        });
    }

    /** Reverts the global level to the default and returns the one that was in force. */
    CompatibilityLevel deleteGlobalLevel() {
        return log.<CompatibilityLevel>write(m -> {
            Optional<CompatibilityLevel> previous = state.globalLevel();
            previous.ifPresent(p -> m.tombstone(new ConfigKey(null)));
            return m.result(previous.orElse(CompatibilityLevel.DEFAULT));
        });
    }

    // ---------------------------------------------------------------- helpers

    /** {@code latest} (any case) and -1 mean the latest version; otherwise 1..2^31-1; anything else is 42202. */
    static int parseVersion(String version) {
        String trimmed = version == null ? "" : version.trim();
        if (trimmed.toLowerCase(Locale.ROOT).equals("latest")) {
            return -1;
        }
        try {
            int v = Integer.parseInt(trimmed);
            if (v == -1 || v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw RegistryException.invalidVersion(version);
    }

    private AvroSchemas.Parsed parse(SchemaRequest request) {
        String type = request.schemaType();
        if (type != null && !type.equalsIgnoreCase(AvroSchemas.AVRO)) {
            throw RegistryException.invalidSchema("Only AVRO schemas are supported by this registry; the request"
                    + " has schemaType '" + type + "'");
        }
        if (request.references() != null && !request.references().isEmpty()) {
            throw RegistryException.invalidSchema("Schema references are not supported by this registry; the"
                    + " request has " + request.references().size() + " reference(s). Inline the referenced types"
                    + " in the schema instead");
        }
        if (request.hasMetadata() || request.hasRuleSet()) {
            throw RegistryException.invalidSchema("Schema metadata and rule sets (data contracts) are not supported"
                    + " by this registry; remove \"metadata\" and \"ruleSet\" from the request");
        }
        return AvroSchemas.parse(request.schema());
    }

    /** The highest version of a subject whose schema has this identity. */
    private Optional<VersionView> find(String subject, String identity, boolean includeDeleted) {
        List<VersionView> versions = state.versions(subject, includeDeleted);
        for (int i = versions.size() - 1; i >= 0; i--) {
            VersionView v = versions.get(i);
            Optional<SchemaEntry> entry = state.schemaById(v.id());
            if (entry.isPresent() && entry.get().identity.equals(identity)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** The live versions among {@code versions}, oldest first, parsed for a compatibility check. */
    private List<AvroSchemas.Previous> previous(List<VersionView> versions) {
        List<AvroSchemas.Previous> result = new ArrayList<>();
        for (VersionView v : versions) {
            if (!v.deleted()) {
                result.add(new AvroSchemas.Previous(v.version(),
                        state.schemaById(v.id()).map(e -> e.parsed).orElse(null)));
            }
        }
        return result;
    }
}
