package io.syncline.registry.client;

import java.util.List;

import org.apache.avro.Schema;

/**
 * A client of a Confluent-compatible schema registry (Confluent Schema Registry, Karapace, Apicurio's compatible API,
 * Syncline's embedded registry) for Avro schemas.
 *
 * <p>Implementations are thread-safe and cache what never changes (id to schema, subject and schema to id and version),
 * so the serde hot path calls them without network round trips after the first record. Failures are
 * {@link SchemaRegistryException}s carrying the HTTP status and Confluent's {@code error_code}.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /**
     * The client a configuration asks for: the shared {@link InMemorySchemaRegistryClient} of scope {@code x} for
     * {@code mock://x}, otherwise an {@link HttpSchemaRegistryClient}.
     */
    static SchemaRegistryClient create(SchemaRegistryClientConfig config) {
        java.util.List<String> urls = config.urls();
        String first = urls.get(0).trim();
        if (first.regionMatches(true, 0, "mock://", 0, 7)) {
            if (urls.size() > 1) {
                throw new org.apache.kafka.common.config.ConfigException(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL,
                        first + ",...", "a mock:// URL cannot be combined with others");
            }
            return InMemorySchemaRegistryClient.forScope(first.substring(7));
        }
        return new HttpSchemaRegistryClient(config);
    }

    /**
     * Registers {@code schema} under {@code subject} (or finds it already there) and returns its global id.
     * {@code POST /subjects/{subject}/versions}.
     */
    int register(String subject, Schema schema);

    /**
     * Finds {@code schema} among the versions of {@code subject} without registering it.
     * {@code POST /subjects/{subject}}; a 404 ({@code 40401} subject or {@code 40403} schema not found) when absent.
     */
    SchemaMetadata lookup(String subject, Schema schema);

    /** The id of {@code schema} in {@code subject}, without registering it (see {@link #lookup}). */
    default int getId(String subject, Schema schema) {
        return lookup(subject, schema).id();
    }

    /** The version of {@code schema} in {@code subject}, without registering it (see {@link #lookup}). */
    default int getVersion(String subject, Schema schema) {
        return lookup(subject, schema).version();
    }

    /** The Avro schema with global id {@code id}. {@code GET /schemas/ids/{id}}. */
    Schema getSchemaById(int id);

    /**
     * The latest version of {@code subject}. {@code GET /subjects/{subject}/versions/latest}. May be served from a cache
     * with a short time to live ({@code latest.cache.ttl.sec}), so a version registered elsewhere shows up within it.
     */
    SchemaMetadata getLatestSchemaMetadata(String subject);

    /** Version {@code version} of {@code subject}. {@code GET /subjects/{subject}/versions/{version}}. */
    SchemaMetadata getSchemaMetadata(String subject, int version);

    /** All subjects that have at least one live version. {@code GET /subjects}. */
    List<String> getAllSubjects();

    /** The live versions of {@code subject}, ascending. {@code GET /subjects/{subject}/versions}. */
    List<Integer> getAllVersions(String subject);

    /**
     * Whether {@code schema} may be registered under {@code subject} given its compatibility level, checked against the
     * latest version. {@code POST /compatibility/subjects/{subject}/versions/latest?verbose=true}.
     */
    CompatibilityCheck testCompatibility(String subject, Schema schema);

    /**
     * The compatibility level of {@code subject} (falling back to the global level), or the global level when
     * {@code subject} is null. {@code GET /config/{subject}?defaultToGlobal=true} or {@code GET /config}.
     */
    String getCompatibility(String subject);

    /**
     * Sets the compatibility level ({@code BACKWARD}, {@code FORWARD_TRANSITIVE}, {@code NONE}, …) of {@code subject},
     * or the global level when {@code subject} is null; returns the level now in force. {@code PUT /config/{subject}}.
     */
    String updateCompatibility(String subject, String level);

    /**
     * Deletes {@code subject} and returns the versions it had. Soft by default; {@code permanent} removes a subject that
     * was soft-deleted before. {@code DELETE /subjects/{subject}[?permanent=true]}.
     */
    List<Integer> deleteSubject(String subject, boolean permanent);

    /** Deletes one version of {@code subject}, returns it. {@code DELETE /subjects/{subject}/versions/{version}}. */
    int deleteSchemaVersion(String subject, int version, boolean permanent);

    /** Releases connections and caches; the default does nothing. */
    @Override
    default void close() {
    }
}
