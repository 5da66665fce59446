package io.syncline.registry.client;

import java.util.Objects;

/**
 * One registered schema version as the registry reports it: subject, global id, version in the subject, type and text.
 *
 * @param subject the subject the version belongs to
 * @param id the registry-wide schema id (the one in the wire format)
 * @param version the version number within the subject, starting at 1
 * @param schemaType {@code AVRO}, {@code JSON} or {@code PROTOBUF}; the registry omits it for Avro
 * @param schema the schema text as registered
 */
public record SchemaMetadata(String subject, int id, int version, String schemaType, String schema) {

    /** The schema type the registry implies when a response carries none. */
    public static final String AVRO = "AVRO";

    public SchemaMetadata {
        Objects.requireNonNull(schema, "schema");
        schemaType = schemaType == null || schemaType.isBlank() ? AVRO : schemaType;
    }
}
