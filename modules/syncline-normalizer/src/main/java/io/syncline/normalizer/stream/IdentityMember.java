package io.syncline.normalizer.stream;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * What identity resolution keeps per canonical record (store {@link IdentityTopology#MEMBERS_STORE}): the evidence
 * it gave (e-mail, merged ids) and the person it belongs to. A deleted record stays as {@code retired}, remembering
 * its last person, so that a provider merge announced after the merged record's deletion still finds that person.
 *
 * @param id canonical id
 * @param entity canonical entity, e.g. {@code crm.Contact}
 * @param system source system
 * @param email e-mail as the source holds it
 * @param matched e-mail as matched (normalized); null when none
 * @param name name as the source holds it
 * @param mergedIds canonical ids the provider merged into this record
 * @param personId the person it belongs to (its last one when retired)
 * @param reasons why it belongs to the person ({@code LinkReason} names)
 * @param joinedAt when it joined the person (epoch millis)
 * @param retired deleted in the source
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record IdentityMember(String id, String entity, String system, String email, String matched, String name,
        List<String> mergedIds, String personId, List<String> reasons, Long joinedAt, boolean retired) {

    private static final ObjectMapper JSON = new ObjectMapper();

    IdentityMember {
        mergedIds = mergedIds == null ? List.of() : List.copyOf(mergedIds);
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    IdentityMember withPerson(String person, List<String> why, Long joined) {
        return new IdentityMember(id, entity, system, email, matched, name, mergedIds, person, why, joined, retired);
    }

    IdentityMember asRetired() {
        return new IdentityMember(id, entity, system, email, matched, name, mergedIds, personId, reasons, joinedAt,
                true);
    }

    /** Whether {@code other} gives the same evidence and shows the same (e-mail, name, merges). */
    boolean sameEvidence(IdentityMember other) {
        return other != null && !other.retired && java.util.Objects.equals(email, other.email)
                && java.util.Objects.equals(matched, other.matched) && java.util.Objects.equals(name, other.name)
                && mergedIds.equals(other.mergedIds) && entity.equals(other.entity);
    }

    static Serde<IdentityMember> serde() {
        return Serdes.serdeFrom((topic, m) -> {
            try {
                return m == null ? null : JSON.writeValueAsBytes(m);
            } catch (IOException e) {
                throw new SerializationException("writing the identity state of " + m.id() + ": " + e.getMessage(), e);
            }
        }, (topic, bytes) -> {
            try {
                return bytes == null ? null : JSON.readValue(bytes, IdentityMember.class);
            } catch (IOException e) {
                throw new SerializationException("reading an identity member from store " + IdentityTopology.MEMBERS_STORE
                        + ": " + e.getMessage(), e);
            }
        });
    }
}
