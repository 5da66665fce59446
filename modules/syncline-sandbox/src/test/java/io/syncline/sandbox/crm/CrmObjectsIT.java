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

/** Single-object endpoints and list paging of the HubSpot-compatible CRM over real HTTP. */
class CrmObjectsIT {

    private static final MutableClock CLOCK = MutableClock.fixedAt(Instant.parse("2026-02-01T09:00:00Z"));
    private static CrmSandbox crm;
    private static HttpTestClient api;

    @BeforeAll
    static void start() {
        crm = CrmSandbox.builder().seed(9).clock(CLOCK).tenSecondlyLimit(0).searchRequestsPerSecond(0).build().start();
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

    private static JsonNode create(String type, String propertiesJson) throws Exception {
        return ok(api.postJson("/crm/v3/objects/" + type, "{\"properties\":" + propertiesJson + "}"), 201);
    }

    @Test
    void createsAndReadsContactsWithHubSpotShapes() throws Exception {
        JsonNode c = create("contacts", "{\"email\":\"Grace@Example.com\",\"firstname\":\"Grace\","
                + "\"lifecyclestage\":\"lead\"}");
        String id = c.get("id").asText();
        assertThat(id).matches("\\d+");
        assertThat(c.get("properties").get("email").asText()).isEqualTo("grace@example.com");
        assertThat(c.get("properties").get("hs_object_id").asText()).isEqualTo(id);
        assertThat(c.get("properties").get("lastname").isNull()).isTrue();
        assertThat(c.get("properties").get("createdate").asText()).isEqualTo("2026-02-01T09:00:00.000Z");
        assertThat(c.get("createdAt").asText()).isEqualTo("2026-02-01T09:00:00.000Z");
        assertThat(c.get("archived").asBoolean()).isFalse();

        assertThat(ok(api.get("/crm/v3/objects/contacts/" + id), 200)).isEqualTo(c);
        JsonNode byEmail = ok(api.get("/crm/v3/objects/contacts/grace@example.com?idProperty=email"
                + "&properties=lifecyclestage,phone"), 200);
        assertThat(byEmail.get("id").asText()).isEqualTo(id);
        assertThat(byEmail.get("properties").get("lifecyclestage").asText()).isEqualTo("lead");
        assertThat(byEmail.get("properties").get("phone").isNull()).isTrue();
        assertThat(byEmail.get("properties").has("firstname")).isFalse();
        assertThat(byEmail.get("properties").has("lastmodifieddate")).isTrue();

        Response missing = api.get("/crm/v3/objects/contacts/999999999");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
        Response type = api.get("/crm/v3/objects/tickets");
        assertThat(type.status()).isEqualTo(400);
        assertThat(type.json().get("message").asText()).isEqualTo("Unable to infer object type from: tickets");
        assertThat(api.get("/crm/v3/objects/companies/abc?idProperty=domain").status()).isEqualTo(400);
    }

    @Test
    void updatesMoveLastModifiedAndConflictsAndBadValuesAreRejected() throws Exception {
        JsonNode c = create("contacts", "{\"email\":\"linus@example.com\"}");
        String id = c.get("id").asText();
        CLOCK.advance(Duration.ofMinutes(5));
        JsonNode updated = ok(api.sendJson("PATCH", "/crm/v3/objects/contacts/" + id,
                "{\"properties\":{\"phone\":\"+15550001\",\"firstname\":\"Linus\"}}", java.util.Map.of()), 200);
        assertThat(updated.get("updatedAt").asText()).isEqualTo("2026-02-01T09:05:00.000Z");
        assertThat(updated.get("properties").get("lastmodifieddate").asText()).isEqualTo("2026-02-01T09:05:00.000Z");
        assertThat(updated.get("createdAt")).isEqualTo(c.get("createdAt"));
        assertThat(crm.object("contacts", id).get("properties").get("phone").asText()).isEqualTo("+15550001");
        JsonNode cleared = ok(api.sendJson("PATCH", "/crm/v3/objects/contacts/linus@example.com?idProperty=email",
                "{\"properties\":{\"phone\":\"\"}}", java.util.Map.of()), 200);
        assertThat(cleared.get("id").asText()).isEqualTo(id);
        assertThat(crm.object("contacts", id).get("properties").get("phone").isNull()).isTrue();

        Response dup = api.postJson("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"LINUS@example.com\"}}");
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.json().get("category").asText()).isEqualTo("CONFLICT");
        assertThat(dup.json().get("message").asText()).isEqualTo("Contact already exists. Existing ID: " + id);

        Response invalid = api.postJson("/crm/v3/objects/deals", "{\"properties\":{\"dealname\":\"X\","
                + "\"amount\":\"lots\",\"dealstage\":\"won\",\"colour\":\"red\",\"hs_object_id\":\"1\"}}");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
        String message = invalid.json().get("message").asText();
        assertThat(message).startsWith("Property values were not valid: [")
                .contains("INVALID_DECIMAL", "INVALID_OPTION", "PROPERTY_DOESNT_EXIST", "READ_ONLY_VALUE");
        assertThat(api.postJson("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"not-an-email\"}}")
                .json().get("message").asText()).contains("INVALID_EMAIL");
        assertThat(api.postJson("/crm/v3/objects/contacts", "{not json").status()).isEqualTo(400);
    }

    @Test
    void archivedObjectsLeaveListsAndAreReadableWithArchivedTrue() throws Exception {
        String id = create("companies", "{\"name\":\"Gone Ltd\",\"domain\":\"gone.example.com\"}").get("id").asText();
        assertThat(api.delete("/crm/v3/objects/companies/" + id).status()).isEqualTo(204);
        assertThat(api.get("/crm/v3/objects/companies/" + id).status()).isEqualTo(404);
        JsonNode archived = ok(api.get("/crm/v3/objects/companies/" + id + "?archived=true"), 200);
        assertThat(archived.get("archived").asBoolean()).isTrue();
        assertThat(archived.get("archivedAt").asText()).isNotBlank();
        List<String> archivedIds = new ArrayList<>();
        ok(api.get("/crm/v3/objects/companies?archived=true&limit=100"), 200).get("results")
                .forEach(r -> archivedIds.add(r.get("id").asText()));
        assertThat(archivedIds).contains(id);
        assertThat(api.delete("/crm/v3/objects/companies/" + id).status()).isEqualTo(204);
        assertThat(api.delete("/crm/v3/objects/companies/12").status()).isEqualTo(404);
    }

    @Test
    void listPagingWithAfterSeesEveryObjectOnceUnderConcurrentInserts() throws Exception {
        crm.generator().runSteps(300);
        List<String> before = new ArrayList<>();
        for (String id : crm.objectIds("contacts")) {
            if (!crm.object("contacts", id).get("archived").asBoolean()) {
                before.add(id);
            }
        }
        crm.generator().rate(300);
        crm.generator().start();
        List<String> seen = new ArrayList<>();
        try {
            String after = null;
            int pages = 0;
            do {
                JsonNode page = ok(api.get("/crm/v3/objects/contacts?limit=7&properties=email"
                        + (after == null ? "" : "&after=" + after)), 200);
                page.get("results").forEach(r -> seen.add(r.get("id").asText()));
                assertThat(page.get("results").size()).isLessThanOrEqualTo(7);
                after = page.has("paging") ? page.get("paging").get("next").get("after").asText() : null;
                if (after != null) {
                    assertThat(page.get("paging").get("next").get("link").asText()).contains("after=" + after);
                }
                pages++;
            } while (after != null && pages < 10_000);
        } finally {
            crm.generator().stop();
            crm.generator().steps();
        }
        assertThat(seen).doesNotHaveDuplicates();
        // Archived and merged-away contacts leave the list; every other one is listed once.
        java.util.Map<String, String> merged = crm.mergedIds("contacts");
        List<String> stillLive = before.stream()
                .filter(id -> !crm.object("contacts", id).get("archived").asBoolean() && !merged.containsKey(id))
                .toList();
        assertThat(seen).containsAll(stillLive);
        assertThat(api.get("/crm/v3/objects/contacts?limit=101").status()).isEqualTo(400);
        assertThat(api.get("/crm/v3/objects/contacts?after=xyz").status()).isEqualTo(400);
    }
}
