package io.syncline.normalizer.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.syncline.schemas.common.ChangeMetadata;
import io.syncline.schemas.common.Operation;
import io.syncline.schemas.identity.Person;
import io.syncline.schemas.identity.PersonMember;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How {@code syncline person} matches its argument against the persons on the topic. */
class PersonLookupTest {

    private static final ChangeMetadata META = ChangeMetadata.newBuilder().setSourceSystem("hubspot")
            .setSourceObjectType("contact").setSourceId("51").setOperation(Operation.UPSERT)
            .setIngestedAt(Instant.parse("2026-12-01T10:00:00Z")).setEventId("e1").build();

    private static PersonMember member(String id, String email, String matched) {
        return PersonMember.newBuilder().setId(id).setEntity("crm.Contact").setSystem(id.substring(0, id.indexOf(':')))
                .setEmail(email).setMatchedEmail(matched).build();
    }

    private static final Map<String, Person> PERSONS = new LinkedHashMap<>();

    static {
        PERSONS.put("person:a", Person.newBuilder().setId("person:a").setMetadata(META).setMembers(List.of(
                member("hubspot:51", "Ada@Example.com", "ada@example.com"),
                member("stripe:cus_1", "ada+shop@example.com", "ada@example.com"))).build());
        PERSONS.put("person:b", Person.newBuilder().setId("person:b").setMetadata(META).setMergedInto("person:a")
                .build());
        PERSONS.put("person:c", Person.newBuilder().setId("person:c").setMetadata(META).setMembers(List.of(
                member("zendesk:7", "grace@example.com", "grace@example.com"))).build());
    }

    @ParameterizedTest(name = "{0} → {1} by {2}")
    @CsvSource({
            "person:a, person:a, person id",
            "person:b, person:a, merged person id",
            "' ADA@example.com ', person:a, e-mail",
            "ada+shop@example.com, person:a, e-mail",
            "hubspot:51, person:a, canonical id",
            "zendesk:7, person:c, canonical id",
            "grace@example.com, person:c, e-mail"})
    void findsAPersonByIdEmailOrCanonicalId(String query, String person, String matchedBy) {
        assertThat(PersonLookup.find(PERSONS, query)).hasValueSatisfying(f -> {
            assertThat(f.person().getId()).isEqualTo(person);
            assertThat(f.matchedBy()).isEqualTo(matchedBy);
        });
    }

    @ParameterizedTest
    @CsvSource({"person:zzz", "nobody@example.com", "hubspot:999", "''"})
    void findsNothingForAnUnknownQuery(String query) {
        assertThat(PersonLookup.find(PERSONS, query)).isEmpty();
    }
}
