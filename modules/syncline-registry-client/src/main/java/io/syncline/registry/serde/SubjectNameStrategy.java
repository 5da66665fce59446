package io.syncline.registry.serde;

import org.apache.avro.Schema;

/**
 * Names the registry subject a schema is registered and looked up under, from the topic, key/value side and schema.
 *
 * <p>Implementations need a public no-argument constructor so {@code key.subject.name.strategy} and
 * {@code value.subject.name.strategy} can name them.
 */
public interface SubjectNameStrategy {

    /** The subject for {@code schema} written to {@code topic} as a key ({@code isKey}) or a value. */
    String subjectName(String topic, boolean isKey, Schema schema);

    /** Whether the subject depends on the topic; when not, the serde may share one cache entry across topics. */
    default boolean usesTopic() {
        return true;
    }
}
