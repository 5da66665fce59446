package io.syncline.mapping.spi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a {@link MappingFunction} sees of the record being mapped: the provider object, its envelope, the headers and
 * the record's coordinates. Read-only; valid only during {@link MappingFunction#apply}.
 *
 * @since 0.1.0
 */
public interface MappingSource {

    /** The provider object: the bare value, or the object an envelope carries. */
    JsonNode object();

    /** The envelope around the object, or null for a bare object (e.g. from a backfill). */
    JsonNode event();

    /** The base of relative paths: the object, or the element being mapped inside {@code each}. */
    JsonNode current();

    /** The last value of header {@code name} as text, or null. */
    String header(String name);

    /** The record key as text, or null. */
    String key();

    String topic();

    int partition();

    long offset();

    /** The record's Kafka timestamp (epoch millis). */
    long timestamp();

    /** Wall-clock time when the record is processed (epoch millis). */
    long now();
}
