package io.syncline.mapping.spi;

import java.util.Map;

import org.apache.avro.Schema;

/**
 * Java escape hatch for the rare mapping step the YAML language cannot express; used from a normalizer mapping as
 * {@code field: {java: com.example.MyFunction, options: {key: value}}} (it fills canonical Avro fields only).
 *
 * <p>The class needs a public no-argument constructor and is created once per mapping when the normalizer starts.
 * {@link #configure} runs at start, so a function that cannot produce the field's type refuses to start the
 * normalizer like any other mapping error. {@link #apply} runs per record from several stream threads at once: keep
 * it stateless or thread-safe.
 *
 * @since 0.1.0
 */
public interface MappingFunction {

    /**
     * Checks the target and options once at start.
     *
     * @param target the Avro schema of the field being produced (never a union: the non-null branch)
     * @param options the {@code options} map of the mapping, as text
     * @throws IllegalArgumentException with a message for the mapping author when the function cannot serve
     */
    default void configure(Schema target, Map<String, String> options) {
    }

    /**
     * The field value for one record: a value Avro writes for {@code target} (String, Long, Integer, Double,
     * Boolean, {@code GenericData.EnumSymbol}, {@code GenericRecord}, {@code List}, {@code Map}), or null.
     *
     * @throws RuntimeException to dead-letter the record; the message goes into the DLQ headers
     */
    Object apply(MappingSource source);
}
