package io.syncline.normalizer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncline.normalizer.mapping.MappingSet;
import io.syncline.normalizer.mapping.TargetCatalog;
import io.syncline.normalizer.stream.NormalizerDriver.Canonical;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mappings/hubspot/*.yaml on raw.hubspot.<object>: full objects from the CRM source and single-property webhook
 * events from the gateway, merged into complete canonical records, one per change whichever path brings it first.
 */
class HubSpotMergeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RAW = "raw.hubspot.contact";
    private static final String OUT = "canonical.crm.contact.v1";
    private static final long T0 = Instant.parse("2024-05-31T10:00:00Z").toEpochMilli();
    private static final String RECEIVED_AT = String.valueOf(T0 + 3_600_000);

    @TempDir
    Path stateDir;
    NormalizerDriver driver;

    @BeforeEach
    void start() {
        driver = new NormalizerDriver(MappingSet.load(StripeMappingTestSupport.MAPPINGS, TargetCatalog.canonical()),
                stateDir);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /** A full contact as the CRM source writes it: CRM v3 with its company association. */
    static ObjectNode contact(String id, long updatedAt, String... props) {
        ObjectNode c = JSON.createObjectNode().put("id", id);
        ObjectNode p = c.putObject("properties");
        p.put("createdate", "2024-05-01T10:00:00.000Z").put("email", "Zoe@Example.com").put("firstname", "Zoë")
                .put("lastname", "Quinn").put("phone", "+49 30 1234").put("company", "Acme GmbH")
                .put("jobtitle", "CTO").put("lifecyclestage", "lead").put("hubspot_owner_id", "7001")
                .put("associatedcompanyid", "9001").put("city", "Berlin").put("country", "Germany")
                .put("favourite_colour", "teal").put("hs_object_id", id)
                .put("lastmodifieddate", Instant.ofEpochMilli(updatedAt).toString());
        for (int i = 0; i + 1 < props.length; i += 2) {
            if (props[i + 1] == null) {
                p.putNull(props[i]);
            } else {
                p.put(props[i], props[i + 1]);
            }
        }
        c.put("createdAt", "2024-05-01T10:00:00.000Z").put("updatedAt", Instant.ofEpochMilli(updatedAt).toString())
                .put("archived", false);
        c.putObject("associations").putObject("companies").putArray("results").addObject().put("id", "9001")
                .put("type", "contact_to_company");
        return c;
    }

    /** One webhook event as the gateway writes it after splitting HubSpot's batch. */
    static ObjectNode event(long eventId, String type, long objectId, long occurredAt, String property,
            String value) {
        ObjectNode e = JSON.createObjectNode().put("eventId", eventId).put("subscriptionId", 77)
                .put("portalId", 62515).put("occurredAt", occurredAt).put("subscriptionType", type)
                .put("attemptNumber", 0).put("objectId", objectId).put("changeSource", "CRM");
        if (property != null) {
            e.put("propertyName", property).put("propertyValue", value);
        }
        return e;
    }

    private void poll(ObjectNode contact) {
        driver.pipe(RAW, contact.path("id").asText(), contact.toString(), "syncline.source", "hubspot-api:crm",
                "syncline.event-id", contact.path("id").asText() + "@" + contact.path("updatedAt").asText(),
                "syncline.received-at", RECEIVED_AT);
    }

    private void webhook(ObjectNode event) {
        driver.pipe(RAW, event.path("objectId").asText(), event.toString(), "syncline.source",
                "hubspot-webhook:hubspot", "syncline.event-id", event.path("eventId").asText(),
                "syncline.received-at", RECEIVED_AT);
    }

    private List<Canonical> out() {
        return driver.canonical(OUT);
    }

    private static String str(GenericRecord r, String field) {
        Object v = r.get(field);
        return v == null ? null : v.toString();
    }

    private static GenericRecord meta(GenericRecord r) {
        return (GenericRecord) r.get("metadata");
    }

    private double count(String metric) {
        return driver.metrics().count(metric, "hubspot/contact");
    }

    @Test
    void aFullContactBecomesACompleteCanonicalContact() {
        poll(contact("51", T0));

        assertThat(out()).singleElement().satisfies(c -> {
            GenericRecord r = c.value();
            assertThat(c.key()).isEqualTo("hubspot:51");
            assertThat(str(r, "email")).isEqualTo("zoe@example.com");
            assertThat(str(r, "first_name")).isEqualTo("Zoë");
            assertThat(str(r, "company_id")).isEqualTo("hubspot:9001");
            assertThat(str(r, "owner_id")).isEqualTo("hubspot:7001");
            assertThat(str(r, "lifecycle_stage")).isEqualTo("LEAD");
            assertThat(str(r, "source_lifecycle_stage")).isEqualTo("lead");
            assertThat(str((GenericRecord) r.get("address"), "country")).isEqualTo("DE");
            assertThat(r.get("updated_at")).isEqualTo(T0);
            assertThat((Map<?, ?>) r.get("properties")).as("no custom properties listed").isEmpty();
            assertThat(str(meta(r), "operation")).isEqualTo("UPSERT");
            assertThat(str(meta(r), "source_event_type")).isNull();
            assertThat(meta(r).get("source_updated_at")).isEqualTo(T0);
        });
    }

    @Test
    void aWebhookChangeIsMergedIntoTheLatestFullVersionAndBlanksNoOtherField() {
        poll(contact("51", T0));
        webhook(event(1001, "contact.propertyChange", 51, T0 + 60_000, "lifecyclestage", "customer"));

        List<Canonical> out = out();
        assertThat(out).hasSize(2);
        GenericRecord merged = out.get(1).value();
        assertThat(str(merged, "lifecycle_stage")).isEqualTo("CUSTOMER");
        assertThat(str(merged, "email")).isEqualTo("zoe@example.com");
        assertThat(str(merged, "phone")).isEqualTo("+49 30 1234");
        assertThat(str(merged, "company_id")).isEqualTo("hubspot:9001");
        assertThat(merged.get("created_at")).isEqualTo(Instant.parse("2024-05-01T10:00:00Z").toEpochMilli());
        assertThat(merged.get("updated_at")).isEqualTo(T0 + 60_000);
        assertThat(str(meta(merged), "event_id")).isEqualTo("1001");
        assertThat(str(meta(merged), "source_event_type")).isEqualTo("contact.propertyChange");
    }

    @Test
    void theSameChangeByWebhookThenByPollIsEmittedOnce() {
        poll(contact("51", T0));
        webhook(event(1001, "contact.propertyChange", 51, T0 + 60_000, "email", "zoe@new.example"));
        poll(contact("51", T0 + 60_004, "email", "zoe@new.example"));

        assertThat(out()).extracting(c -> str(c.value(), "email")).containsExactly("zoe@example.com",
                "zoe@new.example");
        assertThat(count("syncline.normalizer.dropped.duplicate")).isEqualTo(1.0);
    }

    @Test
    void theSameChangeByPollThenByWebhookIsEmittedOnce() {
        poll(contact("51", T0));
        poll(contact("51", T0 + 60_004, "email", "zoe@new.example"));
        webhook(event(1001, "contact.propertyChange", 51, T0 + 60_000, "email", "zoe@new.example"));

        assertThat(out()).extracting(c -> str(c.value(), "email")).containsExactly("zoe@example.com",
                "zoe@new.example");
        assertThat(count("syncline.normalizer.dropped.stale")).isEqualTo(1.0);
    }

    @Test
    void aWebhookTheProviderNeverDeliveredIsCaughtByTheNextPoll() {
        poll(contact("51", T0));
        // The email change at T0 + 60 s was never delivered; the phone change at T0 + 120 s was.
        webhook(event(1002, "contact.propertyChange", 51, T0 + 120_000, "phone", "+49 30 9999"));
        // A poll taken between the two changes shows the email but not yet the phone: the phone change is kept.
        poll(contact("51", T0 + 60_004, "email", "zoe@new.example"));
        poll(contact("51", T0 + 120_004, "email", "zoe@new.example", "phone", "+49 30 9999"));

        assertThat(out()).extracting(c -> str(c.value(), "email") + " " + str(c.value(), "phone")).containsExactly(
                "zoe@example.com +49 30 1234",
                "zoe@example.com +49 30 9999",
                "zoe@new.example +49 30 9999");
        assertThat(count("syncline.normalizer.dropped.duplicate")).isEqualTo(1.0);
    }

    @Test
    void aRedeliveredWebhookIsDroppedAsADuplicate() {
        poll(contact("51", T0));
        ObjectNode change = event(1001, "contact.propertyChange", 51, T0 + 60_000, "firstname", "Zoe");
        webhook(change);
        webhook(change);

        assertThat(out()).extracting(c -> str(c.value(), "first_name")).containsExactly("Zoë", "Zoe");
        assertThat(count("syncline.normalizer.dropped.duplicate")).isEqualTo(1.0);
    }

    @Test
    void anOlderChangeOfAPropertyLosesToANewerOneWhateverTheArrivalOrder() {
        poll(contact("51", T0));
        webhook(event(1003, "contact.propertyChange", 51, T0 + 180_000, "jobtitle", "CEO"));
        webhook(event(1002, "contact.propertyChange", 51, T0 + 120_000, "jobtitle", "VP"));

        assertThat(out()).extracting(c -> str(c.value(), "job_title")).containsExactly("CTO", "CEO");
        assertThat(count("syncline.normalizer.dropped.stale")).isEqualTo(1.0);
    }

    @Test
    void aChangeForAContactNotPolledYetWaitsAndIsNeverEmittedPartial() {
        webhook(event(1001, "contact.propertyChange", 51, T0 + 60_000, "email", "zoe@new.example"));

        assertThat(out()).isEmpty();
        assertThat(driver.metrics().registry().find("syncline.normalizer.skipped").tag("reason", "waiting").counter()
                .count()).isEqualTo(1.0);

        poll(contact("51", T0));
        assertThat(out()).singleElement().satisfies(c -> {
            assertThat(str(c.value(), "email")).as("the waiting change, newer than the full version")
                    .isEqualTo("zoe@new.example");
            assertThat(str(c.value(), "last_name")).isEqualTo("Quinn");
            assertThat(c.value().get("updated_at")).isEqualTo(T0 + 60_000);
        });
    }

    @Test
    void aWaitingChangeOlderThanTheFullVersionThatArrivesIsContainedInIt() {
        webhook(event(1001, "contact.propertyChange", 51, T0 - 60_000, "email", "old@example.com"));
        poll(contact("51", T0));

        assertThat(out()).extracting(c -> str(c.value(), "email")).containsExactly("zoe@example.com");
    }

    @Test
    void eventsThatNameNoMappedPropertyAreSkippedAndSaySo() {
        poll(contact("51", T0));
        webhook(event(1001, "contact.propertyChange", 51, T0 + 60_000, "hs_analytics_num_visits", "12"));
        webhook(event(1002, "contact.creation", 52, T0 + 60_000, null, null));
        webhook(event(1003, "contact.associationChange", 51, T0 + 60_000, null, null));

        assertThat(out()).hasSize(1);
        assertThat(driver.metrics().registry().find("syncline.normalizer.skipped").tag("reason", "unmapped-property")
                .counter().count()).isEqualTo(1.0);
        assertThat(driver.metrics().registry().find("syncline.normalizer.skipped").tag("reason", "notice")
                .counter().count()).isEqualTo(2.0);
        assertThat(driver.deadLetters()).isEmpty();
    }

    @Test
    void aDeletionWebhookDeletesOnceAndOlderVersionsStayDropped() {
        poll(contact("51", T0));
        webhook(event(1009, "contact.deletion", 51, T0 + 60_000, null, null));
        poll(contact("51", T0 + 30_000, "phone", "+1 555"));
        ObjectNode archived = contact("51", T0 + 90_000);
        archived.put("archived", true);
        poll(archived);

        List<Canonical> out = out();
        assertThat(out).hasSize(3);
        assertThat(str(meta(out.get(1).value()), "operation")).isEqualTo("DELETE");
        assertThat(str(out.get(1).value(), "email")).as("the delete carries the last known version")
                .isEqualTo("zoe@example.com");
        assertThat(out.get(2).value()).as("then a tombstone").isNull();
        assertThat(count("syncline.normalizer.dropped.stale")).isEqualTo(1.0);
        assertThat(count("syncline.normalizer.dropped.duplicate")).as("the archived poll after the delete")
                .isEqualTo(1.0);
    }

    @Test
    void aDeletionOfAContactNeverSeenStillTellsSubscribers() {
        webhook(event(1009, "contact.deletion", 77, T0, null, null));

        List<Canonical> out = out();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).key()).isEqualTo("hubspot:77");
        assertThat(str(meta(out.get(0).value()), "operation")).isEqualTo("DELETE");
        assertThat(str(meta(out.get(0).value()), "source_id")).isEqualTo("77");
    }

    @Test
    void anArchivedContactFromThePollIsADelete() {
        poll(contact("51", T0));
        ObjectNode archived = contact("51", T0 + 60_000);
        archived.put("archived", true);
        poll(archived);

        assertThat(out()).extracting(c -> c.value() == null ? "tombstone" : str(meta(c.value()), "operation"))
                .containsExactly("UPSERT", "DELETE", "tombstone");
    }

    @Test
    void aBatchWithOneMalformedEventLetsTheGoodEventsThroughAndDeadLettersTheBadOneWithItsReason() {
        poll(contact("51", T0));
        poll(contact("52", T0));
        // What the gateway writes for a request of four events, one record per event.
        webhook(event(2001, "contact.propertyChange", 51, T0 + 60_000, "firstname", "Zoe"));
        ObjectNode noTime = event(2002, "contact.propertyChange", 52, T0 + 60_000, "firstname", "Bo");
        noTime.put("occurredAt", "yesterday");
        webhook(noTime);
        ObjectNode noObject = event(2003, "contact.propertyChange", 53, T0 + 60_000, "firstname", "Al");
        noObject.remove("objectId");
        driver.pipe(RAW, "sha256:00", noObject.toString(), "syncline.received-at", RECEIVED_AT);
        webhook(event(2004, "contact.propertyChange", 52, T0 + 61_000, "lastname", "Berg"));

        assertThat(out()).extracting(Canonical::key).containsExactly("hubspot:51", "hubspot:52", "hubspot:51",
                "hubspot:52");
        assertThat(driver.deadLetters()).extracting(d -> d.headers().get("syncline.error.reason") + ": "
                + d.headers().get("syncline.error.message")).containsExactly(
                "envelope: envelope hubspot-webhook-event: timestamp: expected unix-millis as a number, got text"
                        + " \"yesterday\"",
                "envelope: envelope hubspot-webhook-event: the object id (object-id) is missing");
    }

    @Test
    void customPropertiesAreThoseTheUserListsInTheMapping() throws IOException {
        Path copy = stateDir.resolve("mappings");
        try (Stream<Path> files = Files.walk(StripeMappingTestSupport.MAPPINGS)) {
            for (Path f : files.toList()) {
                Path to = copy.resolve(StripeMappingTestSupport.MAPPINGS.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Path contact = copy.resolve("hubspot/contact.yaml");
        Files.writeString(contact, Files.readString(contact).replace("keys: [hs_merged_object_ids]",
                "keys: [hs_merged_object_ids, favourite_colour, plan]"));
        driver.close();
        driver = new NormalizerDriver(MappingSet.load(copy, TargetCatalog.canonical()), stateDir.resolve("s2"));

        poll(contact("51", T0));
        webhook(event(1001, "contact.propertyChange", 51, T0 + 60_000, "plan", "pro"));

        assertThat(out()).extracting(c -> c.value().get("properties").toString()).containsExactly(
                "{favourite_colour=teal}", "{favourite_colour=teal, plan=pro}");
    }

    @Test
    void aDealCarriesItsCompanyContactsAmountAndOutcome() {
        ObjectNode deal = JSON.createObjectNode().put("id", "1234567");
        deal.putObject("properties").put("dealname", "Acme renewal").put("amount", "1500.50")
                .put("deal_currency_code", "eur").put("dealstage", "closedwon").put("pipeline", "default")
                .put("closedate", "2024-06-30T00:00:00.000Z").put("hs_deal_stage_probability", "1.0")
                .put("hubspot_owner_id", "7001");
        deal.put("createdAt", "2024-05-01T10:00:00.000Z").put("updatedAt", Instant.ofEpochMilli(T0).toString())
                .put("archived", false);
        ObjectNode assoc = deal.putObject("associations");
        assoc.putObject("companies").putArray("results").addObject().put("id", "9001");
        var contacts = assoc.putObject("contacts").putArray("results");
        contacts.addObject().put("id", "51").put("type", "deal_to_contact");
        contacts.addObject().put("id", "52").put("type", "deal_to_contact");
        driver.pipe("raw.hubspot.deal", "1234567", deal.toString(), "syncline.received-at", RECEIVED_AT);
        driver.pipe("raw.hubspot.deal", "1234567", event(3001, "deal.propertyChange", 1234567, T0 + 1, "amount",
                "1750").toString(), "syncline.received-at", RECEIVED_AT);

        List<Canonical> out = driver.canonical("canonical.crm.deal.v1");
        assertThat(out).hasSize(2);
        GenericRecord d = out.get(1).value();
        assertThat(str(d, "company_id")).isEqualTo("hubspot:9001");
        assertThat(d.get("contact_ids").toString()).isEqualTo("[hubspot:51, hubspot:52]");
        assertThat(str(d, "status")).isEqualTo("WON");
        assertThat(((GenericRecord) out.get(0).value().get("amount")).get("amount")).isEqualTo(150050L);
        assertThat(((GenericRecord) d.get("amount")).get("amount")).isEqualTo(175000L);
        assertThat(str((GenericRecord) d.get("amount"), "currency")).isEqualTo("EUR");
        assertThat(d.get("probability")).isEqualTo(1.0);
    }
}
