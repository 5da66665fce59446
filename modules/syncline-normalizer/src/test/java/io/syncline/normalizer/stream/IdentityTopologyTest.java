package io.syncline.normalizer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.syncline.config.IdentityConfig;
import io.syncline.normalizer.stream.IdentityDriver.Out;
import io.syncline.schemas.identity.LinkReason;
import io.syncline.schemas.identity.Person;
import io.syncline.schemas.identity.PersonEvent;
import io.syncline.schemas.identity.PersonEventKind;
import io.syncline.schemas.identity.PersonLink;
import io.syncline.schemas.identity.PersonMember;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Identity resolution's rules on a {@link org.apache.kafka.streams.TopologyTestDriver} (docs/identity.md). */
class IdentityTopologyTest {

    @TempDir
    Path stateDir;
    IdentityDriver driver;

    private IdentityDriver start(IdentityConfig rules) {
        driver = new IdentityDriver(stateDir, rules);
        return driver;
    }

    private IdentityDriver start() {
        return start(IdentityConfig.defaults());
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    private static List<String> memberIds(Person p) {
        return p.getMembers().stream().map(PersonMember::getId).toList();
    }

    private static List<PersonEventKind> kinds(Person p) {
        return p.getHistory().stream().map(PersonEvent::getKind).toList();
    }

    @Test
    void aCustomerAContactWithTheEmailInOtherCaseAndASupportUserWithItAreOnePerson() {
        IdentityDriver d = start();
        d.customer("stripe", "cus_1", "Ada@Example.com ", "Ada Lovelace");
        d.contact("51", "ada@example.com", "Ada", null);
        d.user("9873843", " ADA@EXAMPLE.COM", "Ada L.");

        List<Person> live = d.livePersons();
        assertThat(live).singleElement().satisfies(p -> {
            assertThat(p.getId()).startsWith("person:");
            assertThat(memberIds(p)).containsExactly("hubspot:51", "stripe:cus_1", "zendesk:9873843");
            assertThat(p.getEmails()).containsExactly("ada@example.com");
            assertThat(p.getDisplayName()).isEqualTo("Ada Lovelace");
            assertThat(p.getMembers()).allSatisfy(m -> assertThat(m.getReasons()).containsExactly(LinkReason.EMAIL));
            assertThat(p.getRevision()).isEqualTo(3L);
            assertThat(kinds(p)).containsExactly(PersonEventKind.CREATED, PersonEventKind.JOINED,
                    PersonEventKind.JOINED);
            assertThat(p.getHistory().get(1).getReason()).isEqualTo("e-mail ada@example.com shared with stripe:cus_1");
            // The record says which change produced it, so latency and traces run from the provider to here.
            assertThat(p.getMetadata().getSourceSystem()).isEqualTo("zendesk");
            assertThat(d.links()).containsOnly(Map.entry("stripe:cus_1", p.getId()), Map.entry("hubspot:51", p.getId()),
                    Map.entry("zendesk:9873843", p.getId()));
        });
        assertThat(d.deadLetters()).isEmpty();
    }

    @ParameterizedTest(name = "merge record {0} the deletions of the merged contacts")
    @ValueSource(strings = {"before", "after"})
    void aCrmMergeOfTwoContactsEndsAsOnePersonUnderTheOlderId(String order) {
        IdentityDriver d = start();
        d.contact("100", "ada@example.com", "Ada", null);
        d.customer("stripe", "cus_1", "ada@example.com", "Ada");
        d.contact("200", "lovelace@example.com", "A.", null);
        d.user("7", "lovelace@example.com", "Ada");
        Map<String, String> before = Map.copyOf(d.links());
        String older = before.get("hubspot:100");
        String younger = before.get("hubspot:200");
        assertThat(older).isNotEqualTo(younger);

        // HubSpot's merge: a new contact replaces both and lists them in hs_merged_object_ids.
        if (order.equals("before")) {
            d.contact("300", "ada@example.com", "Ada", "100;200");
            d.deleteContact("100");
            d.deleteContact("200");
        } else {
            d.deleteContact("100");
            d.deleteContact("200");
            d.contact("300", "ada@example.com", "Ada", "100;200");
        }

        List<Person> live = d.livePersons();
        assertThat(live).singleElement().satisfies(p -> {
            assertThat(p.getId()).isEqualTo(older);
            assertThat(memberIds(p)).containsExactly("hubspot:300", "stripe:cus_1", "zendesk:7");
            assertThat(p.getMergedPersonIds()).containsExactly(younger);
            assertThat(p.getMembers()).filteredOn(m -> m.getId().equals("hubspot:300")).singleElement()
                    .satisfies(m -> assertThat(m.getReasons()).contains(LinkReason.PROVIDER_MERGE));
            assertThat(kinds(p)).contains(PersonEventKind.MERGED);
        });
        assertThat(d.allPersons().get(younger).getMergedInto()).isEqualTo(older);
        assertThat(d.allPersons().get(younger).getMembers()).isEmpty();
        assertThat(kinds(d.allPersons().get(younger))).endsWith(PersonEventKind.MERGED_INTO);
        assertThat(d.links()).containsOnly(Map.entry("hubspot:300", older), Map.entry("stripe:cus_1", older),
                Map.entry("zendesk:7", older));
    }

    @ParameterizedTest(name = "merge record {0} the deletions")
    @ValueSource(strings = {"before", "after", "between"})
    void aMergeOfContactsThatAreTheirPersonsOnlyMembersKeepsTheOlderIdWhateverTheOrder(String order) {
        IdentityDriver d = start();
        d.contact("100", "grace@example.com", "Grace", null);
        d.contact("200", "g.hopper@example.com", "G.", null);
        String older = d.links().get("hubspot:100");
        String younger = d.links().get("hubspot:200");

        switch (order) {
            case "before" -> {
                d.contact("300", "grace@example.com", "Grace", "100;200");
                d.deleteContact("100");
                d.deleteContact("200");
            }
            case "after" -> {
                d.deleteContact("100");
                d.deleteContact("200");
                d.contact("300", "grace@example.com", "Grace", "100;200");
            }
            default -> {
                d.deleteContact("200");
                d.contact("300", "grace@example.com", "Grace", "100;200");
                d.deleteContact("100");
            }
        }

        assertThat(d.livePersons()).singleElement().satisfies(p -> {
            assertThat(p.getId()).isEqualTo(older);
            assertThat(memberIds(p)).containsExactly("hubspot:300");
        });
        assertThat(d.allPersons().get(younger).getMergedInto()).isEqualTo(older);
        assertThat(d.links()).containsOnly(Map.entry("hubspot:300", older));
    }

    @Test
    void whenALinkingEmailChangesTheRecordMovesAndBothHistoriesSayWhy() {
        IdentityDriver d = start();
        d.customer("stripe", "cus_1", "ada@example.com", "Ada");
        d.contact("51", "ada@example.com", "Ada", null);
        d.user("7", "ada@newco.com", "Ada");
        String first = d.links().get("stripe:cus_1");
        String newco = d.links().get("zendesk:7");
        d.personRecords();

        d.contact("51", "ada@newco.com", "Ada", null);

        List<Out<Person>> written = d.personRecords();
        assertThat(written).extracting(Out::key).containsExactlyInAnyOrder(first, newco);
        Map<String, Person> all = d.allPersons();
        assertThat(memberIds(all.get(first))).containsExactly("stripe:cus_1");
        PersonEvent left = all.get(first).getHistory().get(all.get(first).getHistory().size() - 1);
        assertThat(left.getKind()).isEqualTo(PersonEventKind.LEFT);
        assertThat(left.getMemberId()).isEqualTo("hubspot:51");
        assertThat(left.getReason()).isEqualTo("e-mail changed from ada@example.com to ada@newco.com");
        assertThat(memberIds(all.get(newco))).containsExactly("hubspot:51", "zendesk:7");
        PersonEvent joined = all.get(newco).getHistory().get(all.get(newco).getHistory().size() - 1);
        assertThat(joined.getKind()).isEqualTo(PersonEventKind.JOINED);
        assertThat(joined.getOtherPersonId()).isEqualTo(first);
        assertThat(joined.getReason()).isEqualTo("e-mail ada@newco.com shared with zendesk:7");
        assertThat(d.links()).containsEntry("hubspot:51", newco).containsEntry("stripe:cus_1", first);
        // The customer is alone now, so it has no reason left; its link is rewritten to say so.
        assertThat(all.get(first).getMembers().get(0).getReasons()).isEmpty();
    }

    @Test
    void aRecordThatLeavesAloneFoundsANewPersonAndTheOldPersonKeepsItsId() {
        IdentityDriver d = start();
        d.customer("stripe", "cus_1", "ada@example.com", "Ada");
        d.contact("51", "ada@example.com", "Ada", null);
        d.customer("stripe", "cus_2", "ada@example.com", "Ada");
        String person = d.links().get("stripe:cus_1");

        d.customer("stripe", "cus_2", "someone@else.com", "Bob");

        Map<String, String> links = d.links();
        assertThat(links.get("stripe:cus_1")).isEqualTo(person);
        assertThat(links.get("hubspot:51")).isEqualTo(person);
        assertThat(links.get("stripe:cus_2")).isNotEqualTo(person);
        assertThat(d.livePersons()).hasSize(2);
        Person moved = d.allPersons().get(links.get("stripe:cus_2"));
        assertThat(kinds(moved)).containsExactly(PersonEventKind.CREATED);
    }

    @ParameterizedTest(name = "plus-addressing {0}: {1} person(s)")
    @CsvSource({"keep, 2", "strip, 1"})
    void plusAddressingIsConfigurable(String rule, int persons) {
        IdentityDriver d = start(new IdentityConfig(true, rule, null));
        d.customer("stripe", "cus_1", "Ada+Shop@Example.com", "Ada");
        d.contact("51", "ada@example.com", "Ada", null);

        assertThat(d.livePersons()).hasSize(persons);
    }

    @Test
    void explicitLinksInConfigJoinRecordsWhoseEmailsDiffer() {
        IdentityDriver d = start(new IdentityConfig(true, null, List.of(List.of("stripe:cus_9", "hubspot:9"))));
        d.customer("stripe", "cus_9", "billing@acme.test", "ACME billing");
        d.contact("9", "jane@acme.test", "Jane", null);
        d.user("9", "other@acme.test", "Jane");

        List<Person> live = d.livePersons();
        assertThat(live).hasSize(2);
        Person linked = live.stream().filter(p -> p.getMembers().size() == 2).findFirst().orElseThrow();
        assertThat(memberIds(linked)).containsExactly("hubspot:9", "stripe:cus_9");
        assertThat(linked.getMembers()).allSatisfy(m -> assertThat(m.getReasons())
                .containsExactly(LinkReason.CONFIG_LINK));
        assertThat(linked.getHistory().get(1).getReason()).isEqualTo("linked to stripe:cus_9 in syncline.yaml");
    }

    @Test
    void deletingTheOnlyMemberTombstonesThePersonAndTheLink() {
        IdentityDriver d = start();
        d.customer("stripe", "cus_1", "ada@example.com", "Ada");
        String person = d.links().get("stripe:cus_1");
        d.personRecords();

        d.deleteCustomer("stripe", "cus_1");

        assertThat(d.personRecords()).containsExactly(new Out<>(person, null));
        assertThat(d.links()).isEmpty();
        assertThat(d.livePersons()).isEmpty();
    }

    @Test
    void deletingOneOfTwoMembersKeepsThePersonAndSaysWhy() {
        IdentityDriver d = start();
        d.customer("stripe", "cus_1", "ada@example.com", "Ada");
        d.contact("51", "ada@example.com", "Ada", null);

        d.deleteContact("51");

        Person p = d.livePersons().get(0);
        assertThat(memberIds(p)).containsExactly("stripe:cus_1");
        assertThat(p.getHistory().get(p.getHistory().size() - 1).getReason()).isEqualTo("deleted in the source");
        assertThat(d.links()).containsOnlyKeys("stripe:cus_1");
    }

    @Test
    void aRedeliveredChangeWritesNothing() {
        IdentityDriver d = start();
        d.customer("stripe", "cus_1", "ada@example.com", "Ada");
        d.personRecords();
        d.linkRecords();

        d.customer("stripe", "cus_1", "ada@example.com", "Ada");

        assertThat(d.personRecords()).isEmpty();
        assertThat(d.linkRecords()).isEmpty();
        assertThat(d.metrics().count("syncline.normalizer.identity.skipped", "reason", "unchanged")).isEqualTo(1);
    }

    @Test
    void aRecordThatIsNotCanonicalAvroIsDeadLetteredNamingItsCanonicalTopic() {
        IdentityDriver d = start();
        d.pipeBytes(IdentityDriver.CONTACTS, "hubspot:1", "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8));

        List<TestRecord<String, byte[]>> dead = d.deadLetters();
        assertThat(dead).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("hubspot:1");
            assertThat(header(r, "syncline.error.reason")).isEqualTo("identity");
            assertThat(header(r, "syncline.source.topic")).isEqualTo(IdentityDriver.CONTACTS);
            assertThat(header(r, "syncline.error.message")).startsWith("identity: ");
            assertThat(r.headers().lastHeader(IdentityTopology.ORIGIN_HEADER)).isNull();
        });
        assertThat(d.livePersons()).isEmpty();
    }

    @Test
    void normalizesEmailsByCaseWhitespaceAndOptionallyPlusTags() {
        assertThat(IdentityProcessor.normalize("  Ada+News@Example.COM ", false)).isEqualTo("ada+news@example.com");
        assertThat(IdentityProcessor.normalize("  Ada+News@Example.COM ", true)).isEqualTo("ada@example.com");
        assertThat(IdentityProcessor.normalize("+x@example.com", true)).isEqualTo("+x@example.com");
        assertThat(IdentityProcessor.normalize("   ", true)).isNull();
        assertThat(IdentityProcessor.mergedIds("hubspot", "101; 102;300", "hubspot:300"))
                .containsExactly("hubspot:101", "hubspot:102");
    }

    private static String header(TestRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
