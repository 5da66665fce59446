package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import io.syncline.normalizer.identity.PersonLookup;
import io.syncline.schemas.common.ChangeMetadata;
import io.syncline.schemas.common.Operation;
import io.syncline.schemas.identity.LinkReason;
import io.syncline.schemas.identity.Person;
import io.syncline.schemas.identity.PersonEvent;
import io.syncline.schemas.identity.PersonEventKind;
import io.syncline.schemas.identity.PersonMember;
import org.junit.jupiter.api.Test;

/** What {@code syncline person} prints for a person. */
class PersonCommandTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void printsTheRecordsWithWhyEachBelongsAndTheLastHistoryEvents() {
        Person p = Person.newBuilder().setId("person:1").setDisplayName("Ada Lovelace").setRevision(3L)
                .setCreatedAt(T).setEmails(List.of("ada@example.com")).setMergedPersonIds(List.of("person:2"))
                .setMetadata(ChangeMetadata.newBuilder().setSourceSystem("zendesk").setSourceObjectType("user")
                        .setSourceId("7").setOperation(Operation.UPSERT).setIngestedAt(T).setEventId("evt_3").build())
                .setMembers(List.of(
                        PersonMember.newBuilder().setId("hubspot:51").setEntity("crm.Contact").setSystem("hubspot")
                                .setEmail("Ada@Example.com").setReasons(List.of(LinkReason.EMAIL,
                                        LinkReason.PROVIDER_MERGE)).setJoinedAt(T).build(),
                        PersonMember.newBuilder().setId("stripe:cus_1").setEntity("finance.Customer")
                                .setSystem("stripe").setEmail("ada@example.com").setReasons(List.of(LinkReason.EMAIL))
                                .setJoinedAt(T).build()))
                .setHistory(List.of(
                        event(PersonEventKind.CREATED, "stripe:cus_1", null, "founded by stripe:cus_1"),
                        event(PersonEventKind.JOINED, "hubspot:51", null, "e-mail ada@example.com shared with stripe:cus_1"),
                        event(PersonEventKind.MERGED, null, "person:2", "person person:2 is the same person")))
                .build();

        String text = PersonCommand.render(new PersonLookup.Found(p, "merged person id", "person:2"), 2);

        assertThat(text).startsWith("person:1  Ada Lovelace  (matched by merged person id: person:2 was merged into it)\n"
                + "  e-mails:  ada@example.com\n"
                + "  revision: 3, created 2026-12-01T10:00:00Z, last change from zendesk user 7 (event evt_3)\n"
                + "  merged:   person:2\n\n");
        assertThat(text).contains(
                "RECORD        ENTITY            E-MAIL           WHY                    JOINED\n"
                        + "hubspot:51    crm.Contact       Ada@Example.com  email, provider merge  2026-12-01T10:00:00Z\n"
                        + "stripe:cus_1  finance.Customer  ada@example.com  email                  2026-12-01T10:00:00Z\n",
                "history (last 2 of 3)\n")
                .contains("JOINED  hubspot:51", "MERGED  -           person:2")
                .doesNotContain("CREATED");
    }

    private static PersonEvent event(PersonEventKind kind, String member, String other, String reason) {
        return PersonEvent.newBuilder().setOccurredAt(T).setKind(kind).setMemberId(member).setOtherPersonId(other)
                .setReason(reason).build();
    }
}
