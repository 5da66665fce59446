package io.syncline.schemas;

import java.util.Objects;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * One canonical entity: its name ({@code finance.Payment}), generated class, schema, major version and topic.
 *
 * @param name         {@code <domain>.<RecordName>}, e.g. {@code finance.Payment}; what {@code syncline.yaml} and the
 *                     mappings use to name an entity
 * @param domain       the schema folder and last namespace segment, e.g. {@code finance}
 * @param recordName   the Avro record name, e.g. {@code Payment}
 * @param recordClass  the class generated from the schema
 * @param schema       the schema the class was generated from
 * @param majorVersion the schema's {@value CanonicalSchemas#MAJOR_PROPERTY} property; a breaking change raises it
 */
public record CanonicalEntity(String name, String domain, String recordName,
                              Class<? extends SpecificRecord> recordClass, Schema schema, int majorVersion) {

    public CanonicalEntity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(recordName, "recordName");
        Objects.requireNonNull(recordClass, "recordClass");
        Objects.requireNonNull(schema, "schema");
        if (majorVersion < 1) {
            throw new IllegalArgumentException("major version of " + name + " must be 1 or more, got " + majorVersion);
        }
    }

    /**
     * The topic subscribers read: {@code canonical.<domain>.<entity>.v<major>} with the record name in kebab case,
     * e.g. {@code canonical.finance.payment.v1}, {@code canonical.support.ticket-comment.v1}.
     */
    public String topic() {
        return "canonical." + domain + "." + kebabCase(recordName) + ".v" + majorVersion;
    }

    /** The registry subject of the topic's values under Confluent's default TopicNameStrategy. */
    public String valueSubject() {
        return topic() + "-value";
    }

    static String kebabCase(String recordName) {
        StringBuilder out = new StringBuilder(recordName.length() + 4);
        for (int i = 0; i < recordName.length(); i++) {
            char c = recordName.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    out.append('-');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
