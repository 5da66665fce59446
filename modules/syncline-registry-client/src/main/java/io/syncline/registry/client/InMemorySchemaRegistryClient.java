package io.syncline.registry.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * A registry held in memory that behaves like Confluent's where it matters to clients: one global id per distinct
 * schema, versions per subject, compatibility levels enforced on registration with Avro's own compatibility check,
 * soft and permanent deletes, and Confluent's HTTP statuses and error codes in its exceptions.
 *
 * <p>For unit tests and for {@code schema.registry.url=mock://<scope>}, where all serdes configured with the same scope
 * share one instance (see {@link #forScope}). Not for production: nothing is persisted.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    /** Compatibility levels as the registry names them. */
    public static final Set<String> LEVELS = Set.of("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD",
            "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE");

    private static final Map<String, InMemorySchemaRegistryClient> SCOPES = new ConcurrentHashMap<>();

    private final Map<String, Integer> idByText = new HashMap<>();
    private final Map<Integer, Schema> schemaById = new HashMap<>();
    private final Map<String, List<Version>> subjects = new LinkedHashMap<>();
    private final Map<String, String> levels = new HashMap<>();
    private String globalLevel = "BACKWARD";
    private int nextId = 1;

    private static final class Version {
        final int version;
        final int id;
        final Schema schema;
        boolean deleted;

        Version(int version, int id, Schema schema) {
            this.version = version;
            this.id = id;
            this.schema = schema;
        }
    }

    /** The shared registry named {@code scope} (the part after {@code mock://}), created on first use. */
    public static InMemorySchemaRegistryClient forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistryClient());
    }

    /** Forgets the shared registry named {@code scope}, so the next {@link #forScope} starts empty. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        String action = "registering a schema under subject '" + subject + "'";
        List<Version> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        String text = schema.toString();
        for (Version v : versions) {
            if (!v.deleted && v.schema.toString().equals(text)) {
                return v.id;
            }
        }
        List<String> problems = incompatibilities(subject, schema, level(subject));
        if (!problems.isEmpty()) {
            throw new SchemaRegistryException(action, 409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\", "
                            + "details: " + problems);
        }
        int id = idByText.computeIfAbsent(text, t -> nextId++);
        schemaById.putIfAbsent(id, schema);
        int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version + 1;
        versions.add(new Version(version, id, schema));
        return id;
    }

    @Override
    public synchronized SchemaMetadata lookup(String subject, Schema schema) {
        String action = "looking up a schema in subject '" + subject + "'";
        List<Version> versions = live(subject, action);
        String text = schema.toString();
        for (Version v : versions) {
            if (v.schema.toString().equals(text)) {
                return metadata(subject, v);
            }
        }
        throw new SchemaRegistryException(action, 404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found");
    }

    @Override
    public synchronized Schema getSchemaById(int id) {
        Schema schema = schemaById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("fetching schema id " + id, 404, SchemaRegistryException.SCHEMA_NOT_FOUND,
                    "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public synchronized SchemaMetadata getLatestSchemaMetadata(String subject) {
        List<Version> versions = live(subject, "fetching the latest version of subject '" + subject + "'");
        return metadata(subject, versions.get(versions.size() - 1));
    }

    @Override
    public synchronized SchemaMetadata getSchemaMetadata(String subject, int version) {
        String action = "fetching version " + version + " of subject '" + subject + "'";
        for (Version v : live(subject, action)) {
            if (v.version == version) {
                return metadata(subject, v);
            }
        }
        throw new SchemaRegistryException(action, 404, SchemaRegistryException.VERSION_NOT_FOUND,
                "Version " + version + " not found.");
    }

    @Override
    public synchronized List<String> getAllSubjects() {
        List<String> names = new ArrayList<>();
        subjects.forEach((name, versions) -> {
            if (versions.stream().anyMatch(v -> !v.deleted)) {
                names.add(name);
            }
        });
        return names;
    }

    @Override
    public synchronized List<Integer> getAllVersions(String subject) {
        return live(subject, "listing the versions of subject '" + subject + "'").stream().map(v -> v.version).toList();
    }

    @Override
    public synchronized CompatibilityCheck testCompatibility(String subject, Schema schema) {
        List<String> problems = incompatibilities(subject, schema, level(subject));
        return new CompatibilityCheck(problems.isEmpty(), problems);
    }

    @Override
    public synchronized String getCompatibility(String subject) {
        return subject == null ? globalLevel : level(subject);
    }

    @Override
    public synchronized String updateCompatibility(String subject, String level) {
        String normalized = level == null ? "" : level.toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(normalized)) {
            throw new SchemaRegistryException("setting the compatibility level to " + level, 422,
                    SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL, "Invalid compatibility level. Valid values are "
                            + LEVELS);
        }
        if (subject == null) {
            globalLevel = normalized;
        } else {
            levels.put(subject, normalized);
        }
        return normalized;
    }

    @Override
    public synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
        String action = (permanent ? "permanently deleting" : "deleting") + " subject '" + subject + "'";
        List<Version> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SchemaRegistryException(action, 404, SchemaRegistryException.SUBJECT_NOT_FOUND,
                    "Subject '" + subject + "' not found.");
        }
        boolean anyLive = versions.stream().anyMatch(v -> !v.deleted);
        if (permanent) {
            if (anyLive) {
                throw new SchemaRegistryException(action, 404, SchemaRegistryException.SUBJECT_NOT_SOFT_DELETED,
                        "Subject '" + subject + "' was not deleted first before being permanently deleted");
            }
            subjects.remove(subject);
            levels.remove(subject);
            return versions.stream().map(v -> v.version).toList();
        }
        if (!anyLive) {
            throw new SchemaRegistryException(action, 404, SchemaRegistryException.SUBJECT_SOFT_DELETED,
                    "Subject '" + subject + "' was soft deleted.Set permanent=true to delete permanently");
        }
        List<Integer> deleted = new ArrayList<>();
        for (Version v : versions) {
            if (!v.deleted) {
                v.deleted = true;
                deleted.add(v.version);
            }
        }
        return deleted;
    }

    @Override
    public synchronized int deleteSchemaVersion(String subject, int version, boolean permanent) {
        String action = (permanent ? "permanently deleting" : "deleting") + " version " + version + " of subject '"
                + subject + "'";
        List<Version> versions = subjects.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException(action, 404, SchemaRegistryException.SUBJECT_NOT_FOUND,
                    "Subject '" + subject + "' not found.");
        }
        for (Version v : versions) {
            if (v.version == version) {
                if (permanent) {
                    if (!v.deleted) {
                        throw new SchemaRegistryException(action, 404,
                                SchemaRegistryException.SCHEMA_VERSION_NOT_SOFT_DELETED, "Subject '" + subject
                                        + "' Version " + version + " was not deleted first before being permanently deleted");
                    }
                    versions.remove(v);
                } else {
                    if (v.deleted) {
                        throw new SchemaRegistryException(action, 404, SchemaRegistryException.VERSION_NOT_FOUND,
                                "Version " + version + " not found.");
                    }
                    v.deleted = true;
                }
                return version;
            }
        }
        throw new SchemaRegistryException(action, 404, SchemaRegistryException.VERSION_NOT_FOUND,
                "Version " + version + " not found.");
    }

    private String level(String subject) {
        return levels.getOrDefault(subject, globalLevel);
    }

    private List<Version> live(String subject, String action) {
        List<Version> versions = subjects.get(subject);
        List<Version> live = versions == null ? List.of() : versions.stream().filter(v -> !v.deleted).toList();
        if (live.isEmpty()) {
            throw new SchemaRegistryException(action, 404, SchemaRegistryException.SUBJECT_NOT_FOUND,
                    "Subject '" + subject + "' not found.");
        }
        return live;
    }

    /** What stops {@code candidate} from joining {@code subject} under {@code level}; empty when nothing does. */
    private List<String> incompatibilities(String subject, Schema candidate, String level) {
        List<Version> versions = subjects.getOrDefault(subject, List.of()).stream().filter(v -> !v.deleted).toList();
        if (versions.isEmpty() || level.equals("NONE")) {
            return List.of();
        }
        boolean transitive = level.endsWith("_TRANSITIVE");
        List<Version> against = transitive ? versions : List.of(versions.get(versions.size() - 1));
        boolean backward = level.startsWith("BACKWARD") || level.startsWith("FULL");
        boolean forward = level.startsWith("FORWARD") || level.startsWith("FULL");
        List<String> problems = new ArrayList<>();
        for (Version v : against) {
            if (backward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, v.schema), "reading version "
                        + v.version + " data with the new schema", problems);
            }
            if (forward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(v.schema, candidate), "reading new data "
                        + "with version " + v.version, problems);
            }
        }
        return problems;
    }

    private static void describe(SchemaCompatibility.SchemaPairCompatibility result, String what, List<String> out) {
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
            result.getResult().getIncompatibilities().forEach(i -> out.add(what + ": " + i.getType() + " at "
                    + i.getLocation() + " (" + i.getMessage() + ")"));
        }
    }

    private static SchemaMetadata metadata(String subject, Version v) {
        return new SchemaMetadata(subject, v.id, v.version, SchemaMetadata.AVRO, v.schema.toString());
    }
}
