package io.syncline.sandbox.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.core.WriteRecord;
import io.syncline.sandbox.testing.HttpTestClient;

class SupportTicketsIT {

    private MutableClock clock;
    private SupportSandbox zendesk;
    private HttpTestClient api;

    @BeforeEach
    void start() {
        clock = MutableClock.fixedAt(Zendesk.T0);
        zendesk = Zendesk.standing(clock).seed(11).build().start();
        api = Zendesk.client(zendesk);
    }

    @AfterEach
    void stop() {
        zendesk.close();
    }

    private JsonNode create(String ticketJson) throws Exception {
        HttpTestClient.Response r = api.postJson("/api/v2/tickets.json", "{\"ticket\":" + ticketJson + "}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.json();
    }

    private HttpTestClient.Response update(long id, String ticketJson) throws Exception {
        return api.sendJson("PUT", "/api/v2/tickets/" + id + ".json", "{\"ticket\":" + ticketJson + "}", Map.of());
    }

    @Test
    void createWithARequesterByEmailMakesTheEndUserAndTheFirstCommentIsTheDescription() throws Exception {
        JsonNode created = create("{\"subject\":\"Payment failed\",\"comment\":{\"body\":\"Card declined: 42.00 USD\"},"
                + "\"requester\":{\"name\":\"Pat Payer\",\"email\":\"pat@example.com\"},\"external_id\":\"pay-1\","
                + "\"priority\":\"high\",\"tags\":[\"billing\",\"Payment Failed\"],"
                + "\"custom_fields\":[{\"id\":360001,\"value\":\"card_declined\"}]}");
        JsonNode t = created.get("ticket");
        long id = t.get("id").asLong();
        assertThat(id).isEqualTo(1);
        assertThat(t.get("status").asText()).isEqualTo("new");
        assertThat(t.get("description").asText()).isEqualTo("Card declined: 42.00 USD");
        assertThat(t.get("external_id").asText()).isEqualTo("pay-1");
        assertThat(t.get("tags")).extracting(JsonNode::asText).containsExactly("billing", "payment", "failed");
        assertThat(t.at("/via/channel").asText()).isEqualTo("api");
        assertThat(t.get("submitter_id").asLong()).isEqualTo(zendesk.adminUserId());
        assertThat(t.get("custom_fields").get(0).get("value").asText()).isEqualTo("card_declined");
        assertThat(t.get("generated_timestamp").asLong()).isEqualTo(Zendesk.T0.getEpochSecond());
        assertThat(created.at("/audit/events").findValuesAsText("type")).contains("Comment", "Create");

        JsonNode requester = api.get("/api/v2/users/" + t.get("requester_id").asLong() + ".json").json().get("user");
        assertThat(requester.get("email").asText()).isEqualTo("pat@example.com");
        assertThat(requester.get("name").asText()).isEqualTo("Pat Payer");

        // A second ticket for the same address reuses the user.
        JsonNode second = create("{\"subject\":\"again\",\"comment\":{\"body\":\"x\"},"
                + "\"requester\":{\"email\":\"PAT@example.com\"}}").get("ticket");
        assertThat(second.get("requester_id").asLong()).isEqualTo(requester.get("id").asLong());
    }

    @Test
    void externalIdLookupFindsEveryTicketWithIt() throws Exception {
        long a = create("{\"subject\":\"a\",\"comment\":{\"body\":\"a\"},\"external_id\":\"ext-7\"}").at("/ticket/id")
                .asLong();
        create("{\"subject\":\"b\",\"comment\":{\"body\":\"b\"},\"external_id\":\"ext-8\"}");
        // Zendesk does not make external_id unique: a second ticket may carry it, and the lookup lists both.
        long c = create("{\"subject\":\"c\",\"comment\":{\"body\":\"c\"},\"external_id\":\"ext-7\"}").at("/ticket/id")
                .asLong();
        JsonNode found = api.get("/api/v2/tickets.json?external_id=ext-7").json();
        assertThat(found.get("tickets")).extracting(n -> n.get("id").asLong()).containsExactly(a, c);
        assertThat(found.get("count").asInt()).isEqualTo(2);
        JsonNode many = api.get("/api/v2/tickets/show_many.json?ids=" + a + "," + c).json();
        assertThat(many.get("tickets")).hasSize(2);
    }

    @Test
    void updatesAddCommentsThatListOldestFirst() throws Exception {
        long id = create("{\"subject\":\"Help\",\"comment\":{\"body\":\"first\"}}").at("/ticket/id").asLong();
        clock.advance(Duration.ofSeconds(5));
        HttpTestClient.Response reply = update(id, "{\"comment\":{\"body\":\"second\",\"public\":false},"
                + "\"status\":\"pending\",\"additional_tags\":[\"vip\"]}");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode t = reply.json().get("ticket");
        assertThat(t.get("status").asText()).isEqualTo("pending");
        assertThat(t.get("updated_at").asText()).isEqualTo("2024-05-01T12:00:05Z");
        assertThat(t.get("tags")).extracting(JsonNode::asText).containsExactly("vip");
        JsonNode events = reply.json().at("/audit/events");
        assertThat(events.findValuesAsText("type")).containsExactly("Comment", "Change", "Change");
        clock.advance(Duration.ofSeconds(5));
        update(id, "{\"comment\":{\"body\":\"third\"}}");

        JsonNode comments = api.get("/api/v2/tickets/" + id + "/comments.json").json();
        assertThat(comments.get("comments")).extracting(n -> n.get("body").asText())
                .containsExactly("first", "second", "third");
        assertThat(comments.get("comments").get(1).get("public").asBoolean()).isFalse();
        assertThat(comments.get("comments").get(2).get("author_id").asLong()).isEqualTo(zendesk.adminUserId());
        assertThat(api.get("/api/v2/tickets/" + id + "/comments.json?sort_order=desc").json().get("comments"))
                .extracting(n -> n.get("body").asText()).containsExactly("third", "second", "first");
        assertThat(zendesk.comments(id)).hasSize(3);
        assertThat(zendesk.writes()).extracting(WriteRecord::operation)
                .containsExactly("CREATE", "UPDATE", "COMMENT", "COMMENT");
    }

    @Test
    void safeUpdateWithAStaleStampIs409AndChangesNothing() throws Exception {
        JsonNode t = create("{\"subject\":\"Race\",\"comment\":{\"body\":\"x\"}}").get("ticket");
        long id = t.get("id").asLong();
        String stamp = t.get("updated_at").asText();
        clock.advance(Duration.ofSeconds(2));
        assertThat(update(id, "{\"priority\":\"low\"}").status()).isEqualTo(200);

        HttpTestClient.Response stale = update(id, "{\"status\":\"solved\",\"comment\":{\"body\":\"done\"},"
                + "\"safe_update\":true,\"updated_stamp\":\"" + stamp + "\"}");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.json().get("error").asText()).isEqualTo("UpdateConflict");
        assertThat(stale.json().get("description").asText()).startsWith("Safe Update prevented the update");
        assertThat(zendesk.comments(id)).hasSize(1);

        String fresh = api.get("/api/v2/tickets/" + id + ".json").json().at("/ticket/updated_at").asText();
        clock.advance(Duration.ofSeconds(2));
        HttpTestClient.Response ok = update(id, "{\"status\":\"solved\",\"safe_update\":true,\"updated_stamp\":\""
                + fresh + "\"}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().at("/ticket/status").asText()).isEqualTo("solved");
        assertThat(update(id, "{\"safe_update\":true,\"status\":\"open\"}").status()).isEqualTo(422);
    }

    /** The knob for clients' conflict handling: an agent saves between the client's read and its safe_update. */
    @Test
    void aChangeArmedBeforeTheNextSafeUpdateLandsJustBeforeItAndMakesItsStampStale() throws Exception {
        JsonNode t = create("{\"subject\":\"Race\",\"comment\":{\"body\":\"x\"}}").get("ticket");
        long id = t.get("id").asLong();
        String stamp = t.get("updated_at").asText();
        zendesk.changeTicketBeforeNextSafeUpdate("Agent was here");
        assertThat(update(id, "{\"priority\":\"low\"}").status()).as("not a safe_update: untouched")
                .isEqualTo(200);
        clock.advance(Duration.ofSeconds(2));
        stamp = api.get("/api/v2/tickets/" + id + ".json").json().at("/ticket/updated_at").asText();
        clock.advance(Duration.ofSeconds(2));

        HttpTestClient.Response stale = update(id, "{\"status\":\"solved\",\"comment\":{\"body\":\"done\"},"
                + "\"safe_update\":true,\"updated_stamp\":\"" + stamp + "\"}");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(zendesk.comments(id)).extracting(c -> c.get("body").asText()).containsExactly("x",
                "Agent was here");

        String fresh = api.get("/api/v2/tickets/" + id + ".json").json().at("/ticket/updated_at").asText();
        assertThat(fresh).isNotEqualTo(stamp);
        HttpTestClient.Response ok = update(id, "{\"status\":\"solved\",\"comment\":{\"body\":\"done\"},"
                + "\"safe_update\":true,\"updated_stamp\":\"" + fresh + "\"}");
        assertThat(ok.status()).as("armed once: the next one goes through").isEqualTo(200);
        assertThat(zendesk.comments(id)).extracting(c -> c.get("body").asText()).containsExactly("x",
                "Agent was here", "done");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"subject\":\"no comment\"}|description|BlankValue",
        "{\"comment\":{\"body\":\"x\"},\"status\":\"archived\"}|status|InvalidValue",
        "{\"comment\":{\"body\":\"x\"},\"priority\":\"asap\"}|priority|InvalidValue",
        "{\"comment\":{\"body\":\"x\"},\"type\":\"bug\"}|type|InvalidValue",
        "{\"comment\":{\"body\":\"x\"},\"requester_id\":999}|requester|InvalidValue",
        "{\"comment\":{\"body\":\"x\"},\"requester\":{\"email\":\"not-an-email\"}}|requester|InvalidFormat",
        "{\"comment\":{\"body\":\"x\"},\"organization_id\":5}|organization_id|InvalidValue"})
    void invalidTicketsAre422NamingTheField(String ticket, String field, String error) throws Exception {
        HttpTestClient.Response r = api.postJson("/api/v2/tickets.json", "{\"ticket\":" + ticket + "}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("error").asText()).isEqualTo("RecordInvalid");
        assertThat(r.json().at("/details/" + field + "/0/error").asText()).isEqualTo(error);
        assertThat(zendesk.objectIds("tickets")).isEmpty();
        assertThat(zendesk.writes()).isEmpty();
    }

    @Test
    void closedTicketsRefuseUpdatesAndDeletedOnesAreGone() throws Exception {
        long id = create("{\"subject\":\"x\",\"comment\":{\"body\":\"x\"}}").at("/ticket/id").asLong();
        update(id, "{\"status\":\"closed\"}");
        HttpTestClient.Response closed = update(id, "{\"comment\":{\"body\":\"reopen?\"}}");
        assertThat(closed.status()).isEqualTo(422);
        assertThat(closed.json().at("/details/status/0/description").asText())
                .isEqualTo("Status: closed prevents ticket update");

        long other = create("{\"subject\":\"y\",\"comment\":{\"body\":\"y\"}}").at("/ticket/id").asLong();
        assertThat(api.delete("/api/v2/tickets/" + other + ".json").status()).isEqualTo(204);
        assertThat(api.get("/api/v2/tickets/" + other + ".json").status()).isEqualTo(404);
        assertThat(api.get("/api/v2/tickets.json").json().get("tickets")).extracting(n -> n.get("id").asLong())
                .containsExactly(id);
        assertThat(zendesk.ticket(other).get("status").asText()).isEqualTo("deleted");
    }

    @Test
    void anIdempotencyKeyReplaysTheFirstCreateInsteadOfOpeningASecondTicket() throws Exception {
        String body = "{\"ticket\":{\"subject\":\"once\",\"comment\":{\"body\":\"x\"},\"external_id\":\"pay-9\"}}";
        Map<String, String> key = Map.of("Idempotency-Key", "pay-9-create");
        HttpTestClient.Response first = api.sendJson("POST", "/api/v2/tickets.json", body, key);
        HttpTestClient.Response again = api.sendJson("POST", "/api/v2/tickets.json", body, key);
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header("x-idempotency-lookup")).isEqualTo("miss");
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("x-idempotency-lookup")).isEqualTo("hit");
        assertThat(again.json().at("/ticket/id").asLong()).isEqualTo(first.json().at("/ticket/id").asLong());
        assertThat(zendesk.objectIds("tickets")).hasSize(1);
        HttpTestClient.Response other = api.sendJson("POST", "/api/v2/tickets.json",
                body.replace("once", "different"), key);
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.json().get("error").asText()).isEqualTo("IdempotentRequestError");
    }

    private JsonNode search(String query) throws Exception {
        HttpTestClient.Response r = api.get("/api/v2/search.json?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.json();
    }

    @Test
    void searchUnderstandsZendesksQuerySyntax() throws Exception {
        long refund = create("{\"subject\":\"Refund not received\",\"comment\":{\"body\":\"where is my money\"},"
                + "\"requester\":{\"email\":\"rita@example.com\"},\"priority\":\"urgent\",\"tags\":[\"refund\"]}")
                .at("/ticket/id").asLong();
        clock.advance(Duration.ofHours(3));
        long login = create("{\"subject\":\"Cannot log in\",\"comment\":{\"body\":\"password reset broken\"},"
                + "\"priority\":\"low\",\"external_id\":\"ext-login\"}").at("/ticket/id").asLong();
        update(login, "{\"status\":\"solved\"}");

        assertThat(ids(search("type:ticket subject:refund"))).containsExactly(refund);
        assertThat(ids(search("type:ticket \"not received\""))).containsExactly(refund);
        assertThat(ids(search("type:ticket status<solved"))).containsExactly(refund);
        assertThat(ids(search("type:ticket status:solved"))).containsExactly(login);
        assertThat(ids(search("type:ticket priority>normal"))).containsExactly(refund);
        assertThat(ids(search("type:ticket requester:rita@example.com"))).containsExactly(refund);
        assertThat(ids(search("type:ticket tags:refund"))).containsExactly(refund);
        assertThat(ids(search("type:ticket -tags:refund"))).containsExactly(login);
        assertThat(ids(search("type:ticket external_id:ext-login"))).containsExactly(login);
        assertThat(ids(search("type:ticket created>2hours"))).containsExactly(login);
        assertThat(ids(search("type:ticket created<2024-05-01T13:00:00Z"))).containsExactly(refund);
        assertThat(ids(search("type:ticket passw*"))).containsExactly(login);
        JsonNode users = search("type:user rita");
        assertThat(users.get("results").get(0).get("result_type").asText()).isEqualTo("user");
        assertThat(users.get("count").asInt()).isEqualTo(1);
        assertThat(api.get("/api/v2/search/count.json?query=type:ticket").json().get("count").asInt()).isEqualTo(2);
        assertThat(api.get("/api/v2/search.json?query=type:ticket&sort_by=priority&sort_order=desc").json()
                .get("results").get(0).get("id").asLong()).isEqualTo(refund);
        assertThat(api.get("/api/v2/search.json").status()).isEqualTo(400);
        assertThat(api.get("/api/v2/search.json?query=type:invoice").status()).isEqualTo(400);
    }

    private static java.util.List<Long> ids(JsonNode search) {
        java.util.List<Long> out = new java.util.ArrayList<>();
        search.get("results").forEach(n -> out.add(n.get("id").asLong()));
        return out;
    }

    @Test
    void requestedAndOrganizationTicketLists() throws Exception {
        long org = api.postJson("/api/v2/organizations.json", "{\"organization\":{\"name\":\"Org\"}}")
                .json().at("/organization/id").asLong();
        long user = api.postJson("/api/v2/users.json", "{\"user\":{\"name\":\"U\",\"email\":\"u@org.example\","
                + "\"organization_id\":" + org + "}}").json().at("/user/id").asLong();
        long t = create("{\"subject\":\"s\",\"comment\":{\"body\":\"b\"},\"requester_id\":" + user + "}")
                .at("/ticket/id").asLong();
        create("{\"subject\":\"other\",\"comment\":{\"body\":\"b\"}}");
        assertThat(api.get("/api/v2/users/" + user + "/tickets/requested.json").json().get("tickets"))
                .extracting(n -> n.get("id").asLong()).containsExactly(t);
        assertThat(api.get("/api/v2/organizations/" + org + "/tickets.json").json().get("tickets"))
                .extracting(n -> n.get("id").asLong()).containsExactly(t);
    }
}
