package io.syncline.registry.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.registry.server.RegistryState.Filter;
import io.syncline.registry.server.RegistryState.Reference;
import io.syncline.registry.server.RegistryState.SchemaEntry;
import io.syncline.registry.server.RegistryState.SubjectVersion;
import io.syncline.registry.server.RegistryState.VersionView;
import io.syncline.registry.server.SchemaTypes.Parsed;
import io.syncline.registry.server.SchemaTypes.Previous;
import io.syncline.registry.server.SchemaTypes.Resolved;
import io.syncline.registry.server.StoreRecords.ConfigKey;
import io.syncline.registry.server.StoreRecords.ContextKey;
import io.syncline.registry.server.StoreRecords.DeleteSubjectKey;
import io.syncline.registry.server.StoreRecords.ModeKey;
import io.syncline.registry.server.StoreRecords.NoopKey;
import io.syncline.registry.server.StoreRecords.SchemaKey;
import io.syncline.registry.server.StoreRecords.SchemaValue;

/**
 * The registry's operations with Confluent Schema Registry's semantics; reads use the local state, writes go
 * through {@link SchemaLog#write} so they are decided by the single current writer on the complete log.
 *
 * <p>What follows Confluent closely, because clients depend on it: a schema's identity (type, canonical text,
 * references, metadata, rule set); how a registration takes its metadata and rule set from the request, the previous
 * version and the config's defaults and overrides; lookups that find a version registered with
 * {@code confluent:version} or with references when the request has neither; modes (READONLY refuses writes, IMPORT
 * takes ids and versions from the request); the config chain subject → context → global.
 */
final class RegistryService {

    /** The fields of a register, lookup or compatibility request body. */
    record SchemaRequest(String schema, String schemaType, List<Reference> references, Integer id, Integer version,
            ObjectNode metadata, ObjectNode ruleSet) {

        SchemaRequest {
            references = references == null ? List.of() : List.copyOf(references);
        }

        SchemaRequest with(String newSchema, String newType, List<Reference> newReferences, ObjectNode newMetadata,
                ObjectNode newRuleSet) {
            return new SchemaRequest(newSchema, newType, newReferences, id, version, newMetadata, newRuleSet);
        }
    }

    /** The answer to a compatibility check; {@code messages} are reported only when verbose was asked. */
    record CompatibilityResult(boolean compatible, List<String> messages) {
    }

    /** Confluent's modes. */
    static final List<String> MODES = List.of("READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT", "FORWARD");

    private static final List<String> CONFIG_FIELDS = List.of("alias", "normalize", "validateFields",
            "validateRules", "compatibilityLevel", "compatibilityPolicy", "compatibilityGroup", "defaultMetadata",
            "overrideMetadata", "defaultRuleSet", "overrideRuleSet");

    private final RegistryState state;
    private final SchemaLog log;
    private final CompatibilityLevel defaultLevel;

    RegistryService(RegistryState state, SchemaLog log) {
        this(state, log, CompatibilityLevel.DEFAULT);
    }

    RegistryService(RegistryState state, SchemaLog log, CompatibilityLevel defaultLevel) {
        this.state = state;
        this.log = log;
        this.defaultLevel = defaultLevel;
    }

    // ---------------------------------------------------------------- register and look up

    /**
     * Registers a schema under a subject (or finds it already there) and returns the version holding it, with the
     * id, canonical text, metadata and rule set the registry stored.
     */
    VersionView register(String rawSubject, SchemaRequest request, boolean normalizeParam) {
        String subject = checkedSubject(rawSubject);
        String context = Subjects.context(subject);
        String mode = effectiveMode(subject);
        boolean givenId = request.id() != null && request.id() >= 0;
        boolean importing = mode.equals("IMPORT") || mode.equals("FORWARD");
        checkRegisterMode(subject, mode, givenId);
        ObjectNode config = effectiveConfig(subject);
        boolean normalize = normalizeParam || config.path("normalize").asBoolean(false);
        if (request.ruleSet() != null) {
            Contracts.validateRuleSet(request.ruleSet());
        }
        boolean hasDefaults = config.hasNonNull("defaultMetadata") || config.hasNonNull("overrideMetadata")
                || config.hasNonNull("defaultRuleSet") || config.hasNonNull("overrideRuleSet");
        boolean latest = request.version() != null && request.version() == -1;
        if (!hasDefaults && request.schema() != null && !request.schema().isBlank()) {
            // Already registered: answered from local state, no write, no round trip to Kafka.
            Optional<VersionView> existing = lookupUnder(subject, request, normalize, false, latest);
            if (existing.isPresent() && (request.version() == null || request.version() == 0 || latest
                    || request.version() == existing.get().version())
                    && (!givenId || request.id() == existing.get().id())) {
                return existing.get();
            }
        }
        return log.<VersionView>write(m -> {
            List<VersionView> all = state.versions(subject, true);
            int newVersion = all.isEmpty() ? 1 : all.get(all.size() - 1).version() + 1;
            List<VersionView> live = all.stream().filter(v -> !v.deleted()).toList();
            VersionView previous = live.isEmpty() ? null : live.get(live.size() - 1);
            SchemaRequest effective = importing ? request : populateFromPrevious(config, request, previous,
                    newVersion);
            if (effective.ruleSet() != null) {
                Contracts.validateRuleSet(effective.ruleSet());
            }
            Parsed parsed = parse(subject, effective, normalize, !importing);
            String identity = RegistryState.identity(typeOrNull(parsed.type()), parsed.canonical(),
                    effective.references(), effective.metadata(), effective.ruleSet());
            OptionalInt known = state.idOf(context, identity);
            Integer schemaId = givenId ? request.id() : null;
            boolean versionGiven = request.version() != null && request.version() > 0;
            if (known.isPresent() && (schemaId == null || schemaId == known.getAsInt())) {
                Optional<VersionView> here = live.stream().filter(v -> v.id() == known.getAsInt())
                        .reduce((a, b) -> b);
                if (!versionGiven && here.isPresent()) {
                    return m.result(here.get());
                }
                schemaId = known.getAsInt();
            }
            if (!versionGiven) {
                for (int i = live.size() - 1; i >= 0; i--) {
                    VersionView v = live.get(i);
                    if ((schemaId == null || schemaId == v.id()) && canLookup(subject, parsed, effective, v)) {
                        return m.result(v);
                    }
                }
            }
            if (!importing) {
                List<String> problems = compatibilityProblems(subject, config, parsed, effective.metadata(), live);
                if (!problems.isEmpty()) {
                    throw RegistryException.incompatible(subject, problems);
                }
            }
            int version = newVersion;
            if (versionGiven) {
                if (request.version() != newVersion && !importing) {
                    throw RegistryException.invalidSchema("Version is not one more than previous version: the next"
                            + " version of subject '" + subject + "' is " + newVersion + ", the request asked for "
                            + request.version());
                }
                version = request.version();
            }
            int id;
            if (schemaId != null) {
                Optional<SchemaEntry> bound = state.schemaById(context, schemaId);
                if (bound.isPresent() && !bound.get().identity.equals(identity)) {
                    throw RegistryException.operationNotPermitted("Overwrite new schema with id " + schemaId
                            + " in context " + context + " is not permitted.");
                }
                id = schemaId;
            } else {
                id = state.maxId(context) + 1;
            }
            if (!Subjects.DEFAULT_CONTEXT.equals(context) && !state.isDeclaredContext(context)) {
                m.put(new ContextKey(context), StoreRecords.contextValueBytes(context));
            }
            for (VersionView v : all) {
                // As Confluent does: a soft-deleted earlier version of the same schema is superseded, drop it, unless
                // another schema still references it (references name subject and version, not the id).
                if (v.deleted() && v.id() == id && v.version() < version
                        && state.referencedBy(subject, v.version(), true).isEmpty()) {
                    m.tombstone(new SchemaKey(subject, v.version()));
                }
            }
            String type = typeOrNull(parsed.type());
            m.put(new SchemaKey(subject, version), StoreRecords.schemaValueBytes(new SchemaValue(subject, version, id,
                    type, effective.references(), effective.metadata(), effective.ruleSet(), parsed.canonical(),
                    false, 0L)));
            return m.result(new VersionView(subject, version, id, type, effective.references(), effective.metadata(),
                    effective.ruleSet(), parsed.canonical(), false, 0L));
        });
    }

    private void checkRegisterMode(String subject, String mode, boolean givenId) {
        String context = Subjects.context(subject);
        if (mode.equals("READONLY") || mode.equals("READONLY_OVERRIDE")) {
            throw RegistryException.operationNotPermitted("Subject " + subject + " in context " + context
                    + " is in read-only mode");
        }
        if (givenId) {
            if (!mode.equals("IMPORT") && !mode.equals("FORWARD")) {
                throw RegistryException.operationNotPermitted("Subject " + subject + " in context " + context
                        + " is not in import mode");
            }
        } else if (!mode.equals("READWRITE")) {
            throw RegistryException.operationNotPermitted("Subject " + subject + " in context " + context
                    + " is not in read-write mode");
        }
    }

    /**
     * Confluent's maybePopulateFromPrevious: an empty schema takes the previous version's; metadata and rule set
     * come from the request or else the previous version, merged between the config's defaults and overrides;
     * {@code confluent:version} is set when the request named a version or the merged metadata carries one.
     */
    private SchemaRequest populateFromPrevious(ObjectNode config, SchemaRequest request, VersionView previous,
            int newVersion) {
        String schema = request.schema();
        String type = request.schemaType();
        List<Reference> references = request.references();
        if (schema == null || schema.isBlank()) {
            if (previous == null) {
                throw RegistryException.invalidSchema("Empty schema");
            }
            schema = previous.schema();
            type = previous.schemaType();
            references = previous.references();
        }
        ObjectNode specificMetadata = request.metadata() != null ? request.metadata()
                : previous != null ? previous.metadata() : null;
        ObjectNode metadata = Contracts.mergeMetadata(Contracts.mergeMetadata(
                contract(config, "defaultMetadata", true), specificMetadata), contract(config, "overrideMetadata", true));
        ObjectNode specificRuleSet = request.ruleSet() != null ? request.ruleSet()
                : previous != null ? previous.ruleSet() : null;
        ObjectNode ruleSet = Contracts.mergeRuleSets(Contracts.mergeRuleSets(
                contract(config, "defaultRuleSet", false), specificRuleSet), contract(config, "overrideRuleSet", false));
        boolean versionAsked = request.version() != null && request.version() != 0;
        if (versionAsked || Contracts.confluentVersion(metadata) != null) {
            metadata = Contracts.withConfluentVersion(metadata, newVersion);
        }
        return request.with(schema, type, references, metadata, ruleSet);
    }

    private static ObjectNode contract(ObjectNode config, String field, boolean metadata) {
        JsonNode node = config.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        return metadata ? Contracts.metadata(node, field) : Contracts.ruleSet(node, field);
    }

    /** Finds which version of a subject holds a schema ({@code POST /subjects/{subject}}). */
    VersionView lookup(String rawSubject, SchemaRequest request, boolean normalizeParam, boolean includeDeleted) {
        String subject = Subjects.normalize(rawSubject);
        ObjectNode config = effectiveConfig(subject);
        boolean normalize = normalizeParam || config.path("normalize").asBoolean(false);
        Optional<VersionView> found = lookupUnder(subject, request, normalize, includeDeleted, false);
        if (found.isEmpty()) {
            VersionView previous = state.version(subject, -1, false).orElse(null);
            if (previous != null) {
                // As Confluent does: the request may lack what registration would have added (the config's default
                // or override metadata and rules, the previous version's contract); look again with them.
                SchemaRequest populated = withContractsOf(config, request, previous);
                if (!populated.equals(request)) {
                    found = lookupUnder(subject, populated, normalize, includeDeleted, false);
                }
            }
        }
        return found.orElseThrow(() -> state.hasSubject(subject, includeDeleted) ? RegistryException.schemaNotFound()
                : RegistryException.subjectNotFound(subject));
    }

    private SchemaRequest withContractsOf(ObjectNode config, SchemaRequest request, VersionView previous) {
        ObjectNode specificMetadata = request.metadata() != null ? request.metadata() : previous.metadata();
        ObjectNode metadata = Contracts.mergeMetadata(Contracts.mergeMetadata(
                contract(config, "defaultMetadata", true), specificMetadata), contract(config, "overrideMetadata", true));
        ObjectNode specificRuleSet = request.ruleSet() != null ? request.ruleSet() : previous.ruleSet();
        ObjectNode ruleSet = Contracts.mergeRuleSets(Contracts.mergeRuleSets(
                contract(config, "defaultRuleSet", false), specificRuleSet), contract(config, "overrideRuleSet", false));
        return request.with(request.schema(), request.schemaType(), request.references(), metadata, ruleSet);
    }

    /** The version of a subject holding this schema: same identity, or one Confluent's canLookup accepts. */
    private Optional<VersionView> lookupUnder(String subject, SchemaRequest request, boolean normalize,
            boolean includeDeleted, boolean latestOnly) {
        if (request.schema() == null || request.schema().isBlank()) {
            return Optional.empty();
        }
        Parsed parsed = parse(subject, request, normalize, false);
        List<VersionView> versions = state.versions(subject, includeDeleted);
        if (latestOnly) {
            versions = state.version(subject, -1, false).map(List::of).orElse(List.of());
        } else {
            String identity = RegistryState.identity(typeOrNull(parsed.type()), parsed.canonical(),
                    request.references(), request.metadata(), request.ruleSet());
            OptionalInt id = state.idOf(Subjects.context(subject), identity);
            if (id.isPresent()) {
                for (int i = versions.size() - 1; i >= 0; i--) {
                    if (versions.get(i).id() == id.getAsInt()) {
                        return Optional.of(versions.get(i));
                    }
                }
            }
        }
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (canLookup(subject, parsed, request, versions.get(i))) {
                return Optional.of(versions.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * Confluent's canLookup: equal canonical text, metadata and rule set, except that {@code confluent:version} may
     * be missing on either side (then the other side's must match the version); references equal once -1 is read as
     * the latest version, or none in the request where the stored schema has some and the resolved schemas are equal.
     */
    private boolean canLookup(String subject, Parsed candidate, SchemaRequest request, VersionView previous) {
        if (!Objects.equals(typeOrNull(candidate.type()), previous.schemaType())) {
            return false;
        }
        boolean textMatches;
        if (request.references().isEmpty() && !previous.references().isEmpty()) {
            Parsed stored = parsedVersion(previous);
            textMatches = stored != null && SchemaTypes.AVRO.equals(candidate.type())
                    && AvroSchemas.resolved(stored).equals(AvroSchemas.resolved(candidate));
        } else {
            textMatches = candidate.canonical().equals(previous.schema())
                    && latestResolved(subject, request.references()).equals(latestResolved(previous.subject(),
                    previous.references()));
        }
        if (!textMatches || !Objects.equals(request.ruleSet(), previous.ruleSet())) {
            return false;
        }
        String requestVersion = Contracts.confluentVersion(request.metadata());
        String storedVersion = Contracts.confluentVersion(previous.metadata());
        if (requestVersion == null && storedVersion != null) {
            ObjectNode mine = request.metadata() != null ? request.metadata() : Contracts.metadata(
                    StoreRecords.JSON.createObjectNode(), "metadata");
            return mine.equals(Contracts.withoutConfluentVersion(previous.metadata()));
        }
        if (requestVersion != null && storedVersion == null) {
            if (!requestVersion.equals(String.valueOf(previous.version()))) {
                return false;
            }
            ObjectNode theirs = previous.metadata() != null ? previous.metadata() : Contracts.metadata(
                    StoreRecords.JSON.createObjectNode(), "metadata");
            return Contracts.withoutConfluentVersion(request.metadata()).equals(theirs);
        }
        return Objects.equals(request.metadata(), previous.metadata());
    }

    private List<Reference> latestResolved(String subject, List<Reference> references) {
        List<Reference> out = new ArrayList<>();
        for (Reference r : references) {
            if (r.version() == -1) {
                String target = Subjects.resolveReference(subject, r.subject());
                int latest = state.version(target, -1, false).map(VersionView::version).orElse(-1);
                out.add(new Reference(r.name(), r.subject(), latest));
            } else {
                out.add(r);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- reads

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
        int v = parseVersion(version);
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
        Parsed parsed = parse(subject, new SchemaRequest(schema, schemaType, references, null, null, null, null),
                false, false);
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
        checkWritable(subject);
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
        int requested = parseVersion(version);
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
        checkWritable(subject);
        if (!state.referencedBy(subject, v.version(), permanent).isEmpty()) {
            throw RegistryException.referenceExists(subject, v.version());
        }
        if (permanent && !v.deleted()) {
            throw RegistryException.versionNotSoftDeleted(subject, v.version());
        }
        return v;
    }

    private void checkWritable(String subject) {
        String mode = effectiveMode(subject);
        if (mode.equals("READONLY") || mode.equals("READONLY_OVERRIDE")) {
            throw RegistryException.operationNotPermitted("Subject " + subject + " in context "
                    + Subjects.context(subject) + " is in read-only mode");
        }
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

    // ---------------------------------------------------------------- compatibility

    /**
     * Tests a schema against one version ({@code version} given; the subject's level, against that version only) or
     * against the subject's live versions as its level prescribes ({@code version} null), as Confluent does.
     */
    CompatibilityResult checkCompatibility(String rawSubject, String version, SchemaRequest request, boolean verbose,
            boolean normalizeParam) {
        String subject = Subjects.normalize(rawSubject);
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
        ObjectNode config = effectiveConfig(subject);
        boolean normalize = normalizeParam || config.path("normalize").asBoolean(false);
        Parsed parsed;
        try {
            VersionView previous = against.isEmpty() ? null : against.get(against.size() - 1);
            SchemaRequest effective = previous == null ? request : withContractsOf(config, request, previous);
            parsed = parse(subject, effective, normalize, true);
            List<String> messages = compatibilityProblems(subject, config, parsed, effective.metadata(), against);
            return new CompatibilityResult(messages.isEmpty(), messages);
        } catch (RegistryException e) {
            if (verbose && e.errorCode() == 42201) {
                return new CompatibilityResult(false, List.of(e.getMessage()));
            }
            throw e;
        }
    }

    /** Confluent's isCompatibleWithPrevious: the level, the compatibility group filter and the trailer line. */
    private List<String> compatibilityProblems(String subject, ObjectNode config, Parsed candidate,
            ObjectNode candidateMetadata, List<VersionView> liveAscending) {
        CompatibilityLevel level = level(config);
        String group = config.path("compatibilityGroup").asText(null);
        List<Previous> previous = new ArrayList<>();
        for (VersionView v : liveAscending) {
            if (v.deleted()) {
                continue;
            }
            if (group != null && !Objects.equals(Contracts.property(candidateMetadata, group),
                    Contracts.property(v.metadata(), group))) {
                continue; // only versions of the same compatibility group are checked against
            }
            previous.add(new Previous(v.version(), parsedVersion(v)));
        }
        List<String> messages = new ArrayList<>(SchemaTypes.check(level, candidate, previous));
        if (!messages.isEmpty()) {
            messages.add("{validateFields: '" + config.path("validateFields").asBoolean(false) + "', compatibility: '"
                    + level + "'}");
        }
        return messages;
    }

    // ---------------------------------------------------------------- config

    /** Confluent's getConfigInScope: the subject's config over the global one, or the context's, global or default. */
    ObjectNode effectiveConfig(String subject) {
        if (subject == null) {
            return withLevel(state.config(null).or(() -> state.config(":" + Subjects.GLOBAL_CONTEXT + ":"))
                    .orElse(null));
        }
        Optional<ObjectNode> own = state.config(subject);
        Optional<ObjectNode> scope = Optional.ofNullable(Subjects.contextKey(Subjects.context(subject)))
                .flatMap(state::config)
                .or(() -> state.config(null))
                .or(() -> state.config(":" + Subjects.GLOBAL_CONTEXT + ":"));
        if (own.isEmpty()) {
            return withLevel(scope.orElse(null));
        }
        ObjectNode merged = withLevel(scope.orElse(null));
        own.get().fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                merged.set(e.getKey(), e.getValue());
            }
        });
        return merged;
    }

    private ObjectNode withLevel(ObjectNode config) {
        ObjectNode out = config == null ? StoreRecords.JSON.createObjectNode() : config.deepCopy();
        if (!out.hasNonNull("compatibilityLevel")) {
            out.put("compatibilityLevel", defaultLevel.name());
        }
        return out;
    }

    private CompatibilityLevel level(ObjectNode config) {
        return CompatibilityLevel.parse(config.path("compatibilityLevel").asText(null)).orElse(defaultLevel);
    }

    /** {@code GET /config}: the stored global config, with the default level when none is set. */
    ObjectNode globalConfig(boolean defaultToGlobal) {
        return defaultToGlobal ? effectiveConfig(null) : withLevel(state.config(null).orElse(null));
    }

    /** {@code GET /config/{subject}}: the subject's own config (40408 without one) or, with defaultToGlobal, the one in force. */
    ObjectNode subjectConfig(String rawSubject, boolean defaultToGlobal) {
        String subject = Subjects.normalize(rawSubject);
        if (Subjects.isContextOnly(subject) && Subjects.context(subject).equals(Subjects.DEFAULT_CONTEXT)) {
            return globalConfig(defaultToGlobal);
        }
        if (defaultToGlobal) {
            return effectiveConfig(subject);
        }
        return withLevel(state.config(subject).orElseThrow(
                () -> RegistryException.subjectCompatibilityNotConfigured(subject)));
    }

    /**
     * Updates a config (subject, context {@code :.ctx:}, or global when null) with the fields present in the request;
     * a field given as null clears it. Returns the resulting config.
     */
    ObjectNode updateConfig(String rawSubject, JsonNode request) {
        String subject = rawSubject == null ? null : Subjects.normalize(rawSubject);
        if (subject != null && Subjects.isContextOnly(subject)
                && Subjects.context(subject).equals(Subjects.DEFAULT_CONTEXT)) {
            subject = null;
        }
        if (subject != null && !Subjects.isValid(subject) && !Subjects.isContextOnly(subject)) {
            throw RegistryException.invalidSubject(rawSubject);
        }
        ObjectNode update = validatedConfigUpdate(request);
        String key = subject;
        if (key != null) {
            checkWritable(key);
        }
        return log.<ObjectNode>write(m -> {
            ObjectNode next = state.config(key).orElse(StoreRecords.JSON.createObjectNode());
            update.fields().forEachRemaining(e -> {
                if (e.getValue().isNull()) {
                    next.remove(e.getKey());
                } else {
                    next.set(e.getKey(), e.getValue());
                }
            });
            ObjectNode ordered = ordered(next);
            if (!state.config(key).map(ordered::equals).orElse(false)) {
                m.put(new ConfigKey(key), StoreRecords.configValueBytes(ordered));
            }
            return m.result(ordered);
        });
    }

    /** The request's config fields, checked and normalised; {@code compatibility} is the request's name for the level. */
    private ObjectNode validatedConfigUpdate(JsonNode request) {
        ObjectNode update = StoreRecords.JSON.createObjectNode();
        request.fields().forEachRemaining(e -> {
            // The request names the level "compatibility"; "compatibilityLevel" is the response's name, which
            // Confluent's request entity does not know (and ignores).
            String field = e.getKey().equals("compatibility") ? "compatibilityLevel"
                    : e.getKey().equals("compatibilityLevel") ? "ignored" : e.getKey();
            JsonNode value = e.getValue();
            switch (field) {
                case "compatibilityLevel" -> {
                    if (value.isNull()) {
                        update.putNull(field);
                    } else {
                        CompatibilityLevel level = CompatibilityLevel.parse(value.asText()).orElseThrow(() ->
                                RegistryException.invalidCompatibilityLevel(" (got '" + value.asText() + "')"));
                        update.put(field, level.name());
                    }
                }
                case "normalize", "validateFields", "validateRules", "validateNewSchemas" -> {
                    if (!value.isNull() && !value.isBoolean()) {
                        throw new RegistryException(422, 422, "\"" + field + "\" must be true or false, got " + value);
                    }
                    update.set(field, value);
                }
                case "alias", "aliasForDeks", "compatibilityGroup", "compatibilityPolicy" -> update.set(field,
                        value.isNull() ? value : StoreRecords.JSON.getNodeFactory().textNode(value.asText()));
                case "defaultMetadata", "overrideMetadata" -> {
                    ObjectNode md = Contracts.metadata(value, field);
                    update.set(field, md == null ? StoreRecords.JSON.nullNode() : md);
                }
                case "defaultRuleSet", "overrideRuleSet" -> {
                    ObjectNode rs = Contracts.ruleSet(value, field);
                    Contracts.validateRuleSet(rs);
                    update.set(field, rs == null ? StoreRecords.JSON.nullNode() : rs);
                }
                default -> {
                    // Confluent's request entity ignores unknown properties; so does this registry.
                }
            }
        });
        if (update.isEmpty()) {
            // Confluent would store an empty config; a request that changes nothing is almost always a misspelt
            // field, so say which fields there are.
            throw RegistryException.invalidCompatibilityLevel(" (the request sets none of \"compatibility\", "
                    + String.join(", ", CONFIG_FIELDS.subList(0, 4)) + ", " + String.join(", ",
                    CONFIG_FIELDS.subList(5, CONFIG_FIELDS.size())) + ")");
        }
        return update;
    }

    private static ObjectNode ordered(ObjectNode config) {
        ObjectNode out = StoreRecords.JSON.createObjectNode();
        for (String field : CONFIG_FIELDS) {
            if (config.hasNonNull(field)) {
                out.set(field, config.get(field));
            }
        }
        config.fields().forEachRemaining(e -> {
            if (!out.has(e.getKey()) && !e.getValue().isNull()) {
                out.set(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    /** Removes a subject's (or context's) config and returns it; 40401 when there is none. */
    ObjectNode deleteSubjectConfig(String rawSubject) {
        String subject = Subjects.normalize(rawSubject);
        if (Subjects.isContextOnly(subject) && Subjects.context(subject).equals(Subjects.DEFAULT_CONTEXT)) {
            return deleteGlobalConfig();
        }
        state.config(subject).orElseThrow(() -> RegistryException.subjectNotFound(subject));
        checkWritable(subject);
        return log.<ObjectNode>write(m -> {
            ObjectNode previous = state.config(subject).orElseThrow(() -> RegistryException.subjectNotFound(subject));
            m.tombstone(new ConfigKey(subject));
            return m.result(withLevel(previous));
        });
    }

    /** Reverts the global config to the default and returns the one that was in force. */
    ObjectNode deleteGlobalConfig() {
        return log.<ObjectNode>write(m -> {
            Optional<ObjectNode> previous = state.config(null);
            previous.ifPresent(p -> m.tombstone(new ConfigKey(null)));
            return m.result(withLevel(previous.orElse(null)));
        });
    }

    // ---------------------------------------------------------------- modes

    /** Confluent's getModeInScope: the subject's mode, else its context's, else the global one, else READWRITE. */
    String effectiveMode(String subject) {
        if (subject != null) {
            Optional<String> own = state.mode(subject);
            if (own.isPresent()) {
                return own.get();
            }
            String contextKey = Subjects.contextKey(Subjects.context(subject));
            if (contextKey != null) {
                Optional<String> context = state.mode(contextKey);
                if (context.isPresent()) {
                    return context.get();
                }
            }
        }
        return state.mode(null).or(() -> state.mode(":" + Subjects.GLOBAL_CONTEXT + ":")).orElse("READWRITE");
    }

    /** {@code GET /mode[/{subject}]}: the own mode (40409 for a subject without one) or, with defaultToGlobal, the one in force. */
    String mode(String rawSubject, boolean defaultToGlobal) {
        String subject = modeKey(rawSubject);
        if (defaultToGlobal) {
            return effectiveMode(subject);
        }
        if (subject == null) {
            return state.mode(null).orElse("READWRITE");
        }
        return state.mode(subject).orElseThrow(() -> RegistryException.subjectModeNotConfigured(subject));
    }

    /**
     * Sets a mode. Switching to IMPORT requires that the scope has no live subjects (unless {@code force}), and
     * permanently removes its soft-deleted versions, as Confluent does, so imported ids and versions cannot collide.
     */
    String setMode(String rawSubject, String requested, boolean force) {
        String subject = modeKey(rawSubject);
        String mode = requested == null ? null : requested.trim().toUpperCase(Locale.ROOT);
        if (mode == null || !MODES.contains(mode)) {
            throw RegistryException.invalidMode("Invalid mode. Valid values are READWRITE, READONLY, IMPORT and"
                    + " FORWARD." + (requested == null ? " (the request has no \"mode\" field)"
                    : " (got '" + requested + "')"));
        }
        if (mode.equals("FORWARD") && subject != null) {
            throw RegistryException.invalidMode("Forward mode only supported on global level");
        }
        return log.<String>write(m -> {
            if (mode.equals("IMPORT") && !effectiveMode(subject).equals("IMPORT") && !force) {
                List<String> scope = subjectsInScope(subject);
                for (String s : scope) {
                    if (state.hasSubject(s, false)) {
                        throw RegistryException.operationNotPermitted("Cannot import since found existing subjects");
                    }
                }
                for (String s : scope) {
                    for (VersionView v : state.versions(s, true)) {
                        if (!state.referencedBy(s, v.version(), true).isEmpty()) {
                            throw RegistryException.referenceExists(s, v.version());
                        }
                        m.tombstone(new SchemaKey(s, v.version()));
                    }
                }
                if (!scope.isEmpty()) {
                    m.put(new NoopKey(), StoreRecords.noopValueBytes(state.maxIds()));
                }
            }
            if (!state.mode(subject).map(mode::equals).orElse(false)) {
                m.put(new ModeKey(subject), StoreRecords.modeValueBytes(subject, mode));
            }
            return m.result(mode);
        });
    }

    /** Removes a mode ({@code recursive}: also every subject mode of the context) and returns the removed one. */
    String deleteMode(String rawSubject, boolean recursive) {
        String subject = modeKey(rawSubject);
        Optional<String> current = state.mode(subject);
        if (current.isEmpty() && !recursive) {
            throw RegistryException.subjectNotFound(subject == null ? "" : subject);
        }
        return log.<String>write(m -> {
            state.mode(subject).ifPresent(x -> m.tombstone(new ModeKey(subject)));
            if (recursive && (subject == null || Subjects.isContextOnly(subject))) {
                String prefix = subject == null ? "" : subject;
                for (String s : state.subjectsWithMode(prefix)) {
                    if (subject != null || Subjects.context(s).equals(Subjects.DEFAULT_CONTEXT)) {
                        m.tombstone(new ModeKey(s));
                    }
                }
            }
            return m.result(current.orElse(null));
        });
    }

    private static String modeKey(String rawSubject) {
        if (rawSubject == null) {
            return null;
        }
        String subject = Subjects.normalize(rawSubject);
        if (Subjects.isContextOnly(subject) && Subjects.context(subject).equals(Subjects.DEFAULT_CONTEXT)) {
            return null;
        }
        return subject;
    }

    /** The subjects (any state) a mode key covers: one subject, a whole context, or everything. */
    private List<String> subjectsInScope(String key) {
        List<String> out = new ArrayList<>();
        for (String s : state.subjects(true)) {
            boolean covered = key == null ? Subjects.context(s).equals(Subjects.DEFAULT_CONTEXT)
                    : Subjects.isContextOnly(key) ? Subjects.context(s).equals(Subjects.context(key)) : s.equals(key);
            if (covered) {
                out.add(s);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- parsing

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

    private static String checkedSubject(String rawSubject) {
        String subject = Subjects.normalize(rawSubject);
        if (!Subjects.isValid(subject) || Subjects.isContextOnly(subject)) {
            throw RegistryException.invalidSubject(rawSubject);
        }
        return subject;
    }

    private static String typeOrNull(String type) {
        return SchemaTypes.AVRO.equals(type) ? null : type;
    }

    /** Parses a request's schema with its references resolved against the registry (42201 when one is missing). */
    private Parsed parse(String subject, SchemaRequest request, boolean normalize, boolean validate) {
        SchemaTypes.Type type = SchemaTypes.of(request.schemaType());
        List<Resolved> references = resolve(subject, request.references(), new LinkedHashSet<>());
        return type.parse(request.schema(), references, normalize);
    }

    /** A stored version parsed (cached on its schema entry); null when it no longer parses here. */
    private Parsed parsedVersion(VersionView v) {
        Optional<SchemaEntry> entry = state.schemaById(v.context(), v.id());
        if (entry.isPresent() && entry.get().parsed != null) {
            return entry.get().parsed;
        }
        try {
            Parsed parsed = parse(v.subject(), new SchemaRequest(v.schema(), v.schemaType(), v.references(), null,
                    null, null, null), false, false);
            entry.ifPresent(e -> e.parsed = parsed);
            return parsed;
        } catch (RegistryException e) {
            return null;
        }
    }

    /** Resolves references (and theirs, depth first) to the versions they name; cycles are refused. */
    private List<Resolved> resolve(String subject, List<Reference> references, Set<String> path) {
        List<Resolved> out = new ArrayList<>();
        for (Reference r : references) {
            if (r.name() == null || r.name().isBlank() || r.subject() == null || r.subject().isBlank()) {
                throw RegistryException.invalidSchema("Invalid schema: a reference needs a name, a subject and a"
                        + " version, got " + r);
            }
            String target = Subjects.resolveReference(subject, r.subject());
            Optional<VersionView> v = state.version(target, r.version() == -1 ? -1 : r.version(), false);
            if (v.isEmpty() || (r.version() != -1 && r.version() < 1)) {
                throw RegistryException.invalidSchema("Invalid schema: no schema reference found for subject \""
                        + r.subject() + "\" and version " + r.version() + " (reference '" + r.name() + "')");
            }
            String key = target + "#" + v.get().version();
            if (!path.add(key)) {
                throw RegistryException.invalidSchema("Invalid schema: circular reference through subject \""
                        + r.subject() + "\" version " + v.get().version());
            }
            List<Resolved> nested = resolve(target, v.get().references(), path);
            path.remove(key);
            out.add(new Resolved(r.name(), target, v.get().version(),
                    v.get().schemaType() == null ? SchemaTypes.AVRO : v.get().schemaType(), v.get().schema(), nested));
        }
        return out;
    }

    /** Helper for the HTTP layer: {@code key}/{@code value} query parameters paired up. */
    static Map<String, String> pairs(List<String> keys, List<String> values) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < Math.min(keys.size(), values.size()); i++) {
            out.put(keys.get(i), values.get(i));
        }
        return out;
    }
}
