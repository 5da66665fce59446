package io.syncline.sandbox.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.testing.HttpTestClient;
import io.syncline.sandbox.testing.HttpTestClient.Response;

/**
 * Associations (v3 {@code ?associations=}, v4 batch read, default associations, associations on create) and merges
 * (HubSpot's new-record merge for contacts and companies, the older keep-the-primary merge for deals) over real HTTP.
 */
class CrmAssociationsAndMergesIT {

    private static final MutableClock CLOCK = MutableClock.fixedAt(Instant.parse("2026-03-01T09:00:00Z"));
    private static CrmSandbox crm;
    private static HttpTestClient api;

    @BeforeAll
    static void start() {
        crm = CrmSandbox.builder().seed(21).clock(CLOCK).tenSecondlyLimit(0).searchRequestsPerSecond(0).build()
                .start();
        api = new HttpTestClient(crm.url()).bearer(crm.privateAppToken());
    }

    @AfterAll
    static void stop() {
        crm.close();
    }

    private static JsonNode ok(Response r, int status) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        return r.json();
    }

    private static String iso(Instant t) {
        return CrmSchema.ISO_MILLIS.format(t);
    }

    private static String create(String type, String body) throws Exception {
        CLOCK.advance(Duration.ofSeconds(1));
        return ok(api.postJson("/crm/v3/objects/" + type, body), 201).get("id").asText();
    }

    private static String contact(String email) throws Exception {
        return create("contacts", "{\"properties\":{\"email\":\"" + email + "\",\"firstname\":\"F\"}}");
    }

    private static List<String> listedIds(String type, String query) throws Exception {
        List<String> ids = new ArrayList<>();
        ok(api.get("/crm/v3/objects/" + type + "?limit=100" + query), 200).get("results")
                .forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }

    @Test
    void associationsShowInListsAndReadsWithThePrimaryCompanyFirstAndMoveLastModified() throws Exception {
        String acme = create("companies", "{\"properties\":{\"name\":\"Acme\"}}");
        String globex = create("companies", "{\"properties\":{\"name\":\"Globex\"}}");
        String ada = contact("ada@assoc.example");
        JsonNode before = ok(api.get("/crm/v3/objects/contacts/" + ada + "?properties=associatedcompanyid"), 200);
        assertThat(before.get("properties").get("associatedcompanyid").isNull()).isTrue();

        CLOCK.advance(Duration.ofSeconds(5));
        String associatedAt = iso(CLOCK.instant());
        ok(api.sendJson("PUT", "/crm/v4/objects/contacts/" + ada + "/associations/default/companies/" + acme, "",
                java.util.Map.of()), 200);
        ok(api.sendJson("PUT", "/crm/v4/objects/contact/" + ada + "/associations/default/company/" + globex, "",
                java.util.Map.of()), 200);

        JsonNode read = ok(api.get("/crm/v3/objects/contacts/" + ada
                + "?associations=companies&properties=associatedcompanyid"), 200);
        assertThat(read.get("properties").get("associatedcompanyid").asText()).isEqualTo(acme);
        assertThat(read.get("updatedAt").asText()).as("the calculated property moved lastmodifieddate")
                .isEqualTo(associatedAt);
        JsonNode results = read.get("associations").get("companies").get("results");
        assertThat(results.get(0).get("id").asText()).isEqualTo(acme);
        assertThat(results.get(0).get("type").asText()).isEqualTo("contact_to_company");
        assertThat(results).extracting(n -> n.get("id").asText() + ":" + n.get("type").asText())
                .containsExactly(acme + ":contact_to_company", acme + ":contact_to_company_unlabeled",
                        globex + ":contact_to_company_unlabeled");

        JsonNode listed = ok(api.get("/crm/v3/objects/companies?limit=100&associations=contacts"), 200);
        JsonNode acmeListed = null;
        for (JsonNode c : listed.get("results")) {
            if (c.get("id").asText().equals(acme)) {
                acmeListed = c;
            }
        }
        assertThat(acmeListed).isNotNull();
        assertThat(acmeListed.get("associations").get("contacts").get("results").get(0).get("id").asText())
                .isEqualTo(ada);
        assertThat(listed.get("results")).filteredOn(c -> c.get("id").asText().equals(globex)).first()
                .satisfies(c -> assertThat(c.get("associations").get("contacts").get("results").get(0)
                        .get("type").asText()).isEqualTo("company_to_contact_unlabeled"));

        Response unknown = api.get("/crm/v3/objects/contacts?associations=tickets");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("message").asText()).contains("tickets");
    }

    @Test
    void v4BatchReadReturnsEveryAssociationAndReportsObjectsWithoutAnyAsErrors() throws Exception {
        String company = create("companies", "{\"properties\":{\"name\":\"Initech\"}}");
        String peter = contact("peter@assoc.example");
        String milton = contact("milton@assoc.example");
        String deal = create("deals", "{\"properties\":{\"dealname\":\"TPS\",\"dealstage\":\"qualifiedtobuy\"},"
                + "\"associations\":[{\"to\":{\"id\":\"" + peter + "\"},\"types\":[{\"associationCategory\":"
                + "\"HUBSPOT_DEFINED\",\"associationTypeId\":3}]},{\"to\":{\"id\":\"" + company + "\"},\"types\":"
                + "[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":5}]}]}");
        String lonely = create("deals", "{\"properties\":{\"dealname\":\"Stapler\"}}");

        Response r = api.postJson("/crm/v4/associations/deals/contacts/batch/read", "{\"inputs\":[{\"id\":\"" + deal
                + "\"},{\"id\":\"" + lonely + "\"}]}");
        assertThat(r.status()).as(r.raw()).isEqualTo(207);
        JsonNode result = r.json().get("results").get(0);
        assertThat(result.get("from").get("id").asText()).isEqualTo(deal);
        assertThat(result.get("to").get(0).get("toObjectId").asLong()).isEqualTo(Long.parseLong(peter));
        assertThat(result.get("to").get(0).get("associationTypes").get(0).get("typeId").asInt()).isEqualTo(3);
        assertThat(r.json().get("errors").get(0).get("context").get("fromObjectId").get(0).asText())
                .isEqualTo(lonely);

        JsonNode companies = ok(api.postJson("/crm/v4/associations/deal/company/batch/read",
                "{\"inputs\":[{\"id\":\"" + deal + "\"}]}"), 200);
        assertThat(companies.get("results").get(0).get("to").get(0).get("associationTypes"))
                .extracting(t -> t.get("typeId").asInt()).containsExactly(5, 341);
        JsonNode dealRead = ok(api.get("/crm/v3/objects/deals/" + deal + "?properties=num_associated_contacts"), 200);
        assertThat(dealRead.get("properties").get("num_associated_contacts").asText()).isEqualTo("1");
        assertThat(ok(api.get("/crm/v3/objects/contacts/" + milton + "?associations=deals"), 200)
                .has("associations")).as("a contact without deals has no associations member").isFalse();
    }

    @Test
    void mergingContactsMakesANewContactThatBothOldIdsRouteToAndListsShowOnce() throws Exception {
        String company = create("companies", "{\"properties\":{\"name\":\"Hooli\"}}");
        String primary = create("contacts", "{\"properties\":{\"email\":\"gavin@merge.example\",\"firstname\":"
                + "\"Gavin\",\"phone\":\"+15550001\"},\"associations\":[{\"to\":{\"id\":\"" + company + "\"},"
                + "\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":1}]}]}");
        String secondary = create("contacts", "{\"properties\":{\"email\":\"g.belson@merge.example\",\"firstname\":"
                + "\"G.\",\"jobtitle\":\"CEO\"}}");
        CLOCK.advance(Duration.ofSeconds(10));

        JsonNode merged = ok(api.postJson("/crm/v3/objects/contacts/merge", "{\"primaryObjectId\":\"" + primary
                + "\",\"objectIdToMerge\":\"" + secondary + "\"}"), 200);
        String survivor = merged.get("id").asText();
        assertThat(survivor).isNotIn(primary, secondary);

        JsonNode read = ok(api.get("/crm/v3/objects/contacts/" + survivor + "?associations=companies&properties="
                + "email,firstname,phone,jobtitle,hs_merged_object_ids,hs_additional_emails,lastmodifieddate"), 200);
        JsonNode p = read.get("properties");
        assertThat(p.get("email").asText()).isEqualTo("gavin@merge.example");
        assertThat(p.get("firstname").asText()).as("the primary's value wins").isEqualTo("Gavin");
        assertThat(p.get("jobtitle").asText()).as("the secondary fills what the primary lacks").isEqualTo("CEO");
        assertThat(p.get("hs_merged_object_ids").asText()).isEqualTo(primary + ";" + secondary);
        assertThat(p.get("hs_additional_emails").asText()).isEqualTo("g.belson@merge.example");
        assertThat(p.get("lastmodifieddate").asText()).isEqualTo(iso(CLOCK.instant()));
        assertThat(read.get("associations").get("companies").get("results").get(0).get("id").asText())
                .isEqualTo(company);

        for (String old : List.of(primary, secondary)) {
            assertThat(ok(api.get("/crm/v3/objects/contacts/" + old), 200).get("id").asText())
                    .as("old id " + old + " routes to the merged contact").isEqualTo(survivor);
        }
        assertThat(listedIds("contacts", "")).contains(survivor).doesNotContain(primary, secondary);
        assertThat(listedIds("contacts", "&archived=true")).doesNotContain(primary, secondary, survivor);
        JsonNode search = ok(api.postJson("/crm/v3/objects/contacts/search", "{\"filterGroups\":[{\"filters\":"
                + "[{\"propertyName\":\"email\",\"operator\":\"EQ\",\"value\":\"gavin@merge.example\"}]}]}"), 200);
        assertThat(search.get("total").asInt()).isEqualTo(1);
        assertThat(crm.mergedIds("contacts")).containsEntry(primary, survivor).containsEntry(secondary, survivor);
        assertThat(ok(api.get("/crm/v3/objects/contacts/gavin@merge.example?idProperty=email"), 200).get("id")
                .asText()).isEqualTo(survivor);
    }

    @Test
    void mergingDealsKeepsThePrimaryId() throws Exception {
        String a = create("deals", "{\"properties\":{\"dealname\":\"A\",\"amount\":\"100\"}}");
        String b = create("deals", "{\"properties\":{\"dealname\":\"B\",\"dealtype\":\"newbusiness\"}}");
        JsonNode merged = ok(api.postJson("/crm/v3/objects/deals/merge", "{\"primaryObjectId\":\"" + a
                + "\",\"objectIdToMerge\":\"" + b + "\"}"), 200);
        assertThat(merged.get("id").asText()).isEqualTo(a);
        JsonNode read = ok(api.get("/crm/v3/objects/deals/" + b + "?properties=dealtype,hs_merged_object_ids"), 200);
        assertThat(read.get("id").asText()).isEqualTo(a);
        assertThat(read.get("properties").get("hs_merged_object_ids").asText()).isEqualTo(b);
        assertThat(read.get("properties").get("dealtype").asText()).isEqualTo("newbusiness");
        assertThat(listedIds("deals", "")).contains(a).doesNotContain(b);

        Response self = api.postJson("/crm/v3/objects/deals/merge", "{\"primaryObjectId\":\"" + a
                + "\",\"objectIdToMerge\":\"" + a + "\"}");
        assertThat(self.status()).isEqualTo(400);
    }

    @Test
    void theGeneratorAssociatesMergesAndArchives() {
        try (CrmSandbox generated = CrmSandbox.builder().seed(3).tenSecondlyLimit(0).build()) {
            generated.generator().runSteps(600);
            assertThat(generated.mergedIds("contacts")).isNotEmpty();
            List<JsonNode> contacts = generated.objectIds("contacts").stream()
                    .map(id -> generated.object("contacts", id)).toList();
            assertThat(contacts).anyMatch(c -> !c.get("properties").path("associatedcompanyid").isNull());
            assertThat(contacts).anyMatch(c -> !c.get("properties").path("hs_merged_object_ids").isNull());
            assertThat(generated.objectIds("deals").stream().map(id -> generated.object("deals", id)))
                    .anyMatch(d -> d.get("archived").asBoolean())
                    .anyMatch(d -> !d.get("properties").path("num_associated_contacts").isNull());
        }
    }
}
