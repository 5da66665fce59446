package io.syncline.registry.server;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.registry.server.RegistryState.Reference;
import io.syncline.registry.server.RegistryState.SchemaEntry;
import io.syncline.registry.server.RegistryState.VersionView;
import io.syncline.registry.server.SchemaTypes.Parsed;
import io.syncline.registry.server.StoreRecords.ContextKey;
import io.syncline.registry.server.StoreRecords.SchemaKey;
import io.syncline.registry.server.StoreRecords.SchemaValue;

/**
 * The registry's operations with Confluent Schema Registry's semantics; reads use the local state, writes go
 * through {@link SchemaLog#write} so they are decided by the single current writer on the complete log. This class
 * registers and looks up schemas; the other concerns are one class each over the same state and log:
 * {@link #subjectVersions()} (reads and deletes), {@link #compatibility()}, {@link #configs()}, {@link #modes()},
 * with {@link SchemaReferences} (parsing with references) and {@link ContractInheritance} (data contracts) shared.
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

    private final RegistryState state;
    private final SchemaLog log;
    private final RegistryModes modes;
    private final RegistryConfigs configs;
    private final SchemaReferences refs;
    private final RegistryCompatibility compatibility;
    private final SubjectVersions subjectVersions;

    RegistryService(RegistryState state, SchemaLog log) {
        this(state, log, CompatibilityLevel.DEFAULT);
    }

    RegistryService(RegistryState state, SchemaLog log, CompatibilityLevel defaultLevel) {
        this.state = state;
        this.log = log;
        this.modes = new RegistryModes(state, log);
        this.configs = new RegistryConfigs(state, log, defaultLevel, modes);
        this.refs = new SchemaReferences(state);
        this.compatibility = new RegistryCompatibility(state, configs, refs);
        this.subjectVersions = new SubjectVersions(state, log, modes, refs);
    }

    /** Reads of subjects, versions and schemas, and deletes. */
    SubjectVersions subjectVersions() {
        return subjectVersions;
    }

    /** Compatibility checks ({@code /compatibility}). */
    RegistryCompatibility compatibility() {
        return compatibility;
    }

    /** Configs per subject, context and globally ({@code /config}). */
    RegistryConfigs configs() {
        return configs;
    }

    /** Modes per subject, context and globally ({@code /mode}). */
    RegistryModes modes() {
        return modes;
    }

    // ---------------------------------------------------------------- register and look up

    /**
     * Registers a schema under a subject (or finds it already there) and returns the version holding it, with the
     * id, canonical text, metadata and rule set the registry stored.
     */
    VersionView register(String rawSubject, SchemaRequest request, boolean normalizeParam) {
        String subject = checkedSubject(rawSubject);
        String context = Subjects.context(subject);
        String mode = modes.effectiveMode(subject);
        boolean givenId = request.id() != null && request.id() >= 0;
        boolean importing = mode.equals("IMPORT") || mode.equals("FORWARD");
        checkRegisterMode(subject, mode, givenId);
        ObjectNode config = configs.effectiveConfig(subject);
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
            SchemaRequest effective = importing ? request
                    : ContractInheritance.populateFromPrevious(config, request, previous, newVersion);
            if (effective.ruleSet() != null) {
                Contracts.validateRuleSet(effective.ruleSet());
            }
            Parsed parsed = refs.parse(subject, effective, normalize, !importing);
            String identity = RegistryState.identity(SchemaReferences.typeOrNull(parsed.type()), parsed.canonical(),
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
                List<String> problems = compatibility.compatibilityProblems(subject, config, parsed,
                        effective.metadata(), live);
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
            String type = SchemaReferences.typeOrNull(parsed.type());
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


    /** Finds which version of a subject holds a schema ({@code POST /subjects/{subject}}). */
    VersionView lookup(String rawSubject, SchemaRequest request, boolean normalizeParam, boolean includeDeleted) {
        String subject = Subjects.normalize(rawSubject);
        ObjectNode config = configs.effectiveConfig(subject);
        boolean normalize = normalizeParam || config.path("normalize").asBoolean(false);
        Optional<VersionView> found = lookupUnder(subject, request, normalize, includeDeleted, false);
        if (found.isEmpty()) {
            VersionView previous = state.version(subject, -1, false).orElse(null);
            if (previous != null) {
                // As Confluent does: the request may lack what registration would have added (the config's default
                // or override metadata and rules, the previous version's contract); look again with them.
                SchemaRequest populated = ContractInheritance.withContractsOf(config, request, previous);
                if (!populated.equals(request)) {
                    found = lookupUnder(subject, populated, normalize, includeDeleted, false);
                }
            }
        }
        return found.orElseThrow(() -> state.hasSubject(subject, includeDeleted) ? RegistryException.schemaNotFound()
                : RegistryException.subjectNotFound(subject));
    }


    /** The version of a subject holding this schema: same identity, or one Confluent's canLookup accepts. */
    private Optional<VersionView> lookupUnder(String subject, SchemaRequest request, boolean normalize,
            boolean includeDeleted, boolean latestOnly) {
        if (request.schema() == null || request.schema().isBlank()) {
            return Optional.empty();
        }
        Parsed parsed = refs.parse(subject, request, normalize, false);
        List<VersionView> versions = state.versions(subject, includeDeleted);
        if (latestOnly) {
            versions = state.version(subject, -1, false).map(List::of).orElse(List.of());
        } else {
            String identity = RegistryState.identity(SchemaReferences.typeOrNull(parsed.type()), parsed.canonical(),
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
        if (!Objects.equals(SchemaReferences.typeOrNull(candidate.type()), previous.schemaType())) {
            return false;
        }
        boolean textMatches;
        if (request.references().isEmpty() && !previous.references().isEmpty()) {
            Parsed stored = refs.parsedVersion(previous);
            textMatches = stored != null && SchemaTypes.AVRO.equals(candidate.type())
                    && AvroSchemas.resolved(stored).equals(AvroSchemas.resolved(candidate));
        } else {
            textMatches = candidate.canonical().equals(previous.schema())
                    && refs.latestResolved(subject, request.references())
                            .equals(refs.latestResolved(previous.subject(), previous.references()));
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


    /** Helper for the HTTP layer: {@code key}/{@code value} query parameters paired up. */
    static Map<String, String> pairs(List<String> keys, List<String> values) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < Math.min(keys.size(), values.size()); i++) {
            out.put(keys.get(i), values.get(i));
        }
        return out;
    }
}
