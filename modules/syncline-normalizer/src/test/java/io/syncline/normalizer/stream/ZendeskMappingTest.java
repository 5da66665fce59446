package io.syncline.normalizer.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncline.normalizer.mapping.MappingSet;
import io.syncline.normalizer.mapping.TargetCatalog;
import io.syncline.normalizer.stream.NormalizerDriver.Canonical;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * mappings/zendesk/*.yaml: the support source's exports (bare tickets and users, ticket audits that added a comment)
 * and the gateway's event-based webhooks, in the shapes the support sandbox renders them (ZendeskJson, the webhook
 * payloads of SupportTickets/SupportUsers), → canonical.support.{ticket,support-user,ticket-comment}.v1. The same
 * change by webhook and by export is one canonical record, whichever comes first; the second is a counted duplicate.
 */
class ZendeskMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TICKETS = "canonical.support.ticket.v1";
    private static final String USERS = "canonical.support.support-user.v1";
    private static final String COMMENTS = "canonical.support.ticket-comment.v1";
    /** Near the driver's record timestamps, so the mappings' time checks hold. */
    private static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_000L);
    private static final String CREATED = T0.minusSeconds(86_400).toString();

    @TempDir
    Path stateDir;
    NormalizerDriver driver;

    @BeforeEach
    void start() {
        driver = new NormalizerDriver(MappingSet.load(Path.of("../../mappings"), TargetCatalog.canonical()),
                stateDir);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    // ---- raw values as the sandbox renders them -------------------------------------------------------------------

    /** A ticket as the cursor-based ticket export shows it (ZendeskJson.ticket). */
    static ObjectNode exportedTicket(long id, Instant updatedAt, String status) {
        ObjectNode t = JSON.createObjectNode();
        t.put("url", "http://127.0.0.1:12113/api/v2/tickets/" + id + ".json").put("id", id)
                .put("external_id", "syncline:stripe:ch_" + id);
        t.putObject("via").put("channel", "api").putObject("source").putNull("rel");
        t.put("created_at", CREATED).put("updated_at", updatedAt.toString())
                .put("generated_timestamp", updatedAt.getEpochSecond()).put("type", "problem")
                .put("subject", "Payment failed: card declined").put("raw_subject", "Payment failed: card declined")
                .put("description", "Payment ch_" + id + " of 19.99 USD failed").put("priority", "high")
                .put("status", status).putNull("recipient").put("requester_id", 501).put("submitter_id", 9)
                .put("assignee_id", 9).put("organization_id", 301).putNull("group_id");
        t.putArray("collaborator_ids");
        t.put("is_public", true).putNull("due_at");
        t.putArray("tags").add("payments").add("declined");
        t.putArray("custom_fields").addObject().put("id", 360001).put("value", "gold");
        return t;
    }

    /** A ticket webhook as the sandbox (and Zendesk) sends it: the ticket after the change as detail, text ids. */
    static ObjectNode ticketEvent(String eventId, String type, long id, Instant updatedAt, String status) {
        ObjectNode d = JSON.createObjectNode();
        d.put("actor_id", "9").put("assignee_id", "9").putNull("brand_id").put("created_at", CREATED)
                .putNull("custom_status").put("description", "Payment ch_" + id + " of 19.99 USD failed")
                .put("external_id", "syncline:stripe:ch_" + id).putNull("form_id").putNull("group_id")
                .put("id", Long.toString(id)).put("is_public", true).put("organization_id", "301")
                .put("priority", "HIGH").put("requester_id", "501").put("status", status.toUpperCase())
                .put("subject", "Payment failed: card declined").put("submitter_id", "9");
        d.putArray("tags").add("payments").add("declined");
        d.put("type", "PROBLEM").put("updated_at", updatedAt.toString());
        d.putObject("via").put("channel", "web_service");
        return webhook(eventId, type, "zen:ticket:" + id, d, JSON.createObjectNode(), updatedAt);
    }

    static ObjectNode webhook(String eventId, String type, String subject, ObjectNode detail, ObjectNode event,
            Instant at) {
        ObjectNode w = JSON.createObjectNode();
        w.put("account_id", 1000001);
        w.set("detail", detail);
        w.set("event", event);
        w.put("id", eventId).put("subject", subject).put("time", at.toString()).put("type", type)
                .put("zendesk_event_version", "2022-11-06");
        return w;
    }

    /** A user as the cursor-based user export shows it (ZendeskJson.user). */
    static ObjectNode exportedUser(long id, Instant updatedAt, String name, boolean active) {
        ObjectNode u = JSON.createObjectNode();
        u.put("id", id).put("url", "http://127.0.0.1:12113/api/v2/users/" + id + ".json").put("name", name)
                .put("email", " Ada.Lovelace@Example.COM").put("created_at", CREATED)
                .put("updated_at", updatedAt.toString()).put("time_zone", "Europe/Berlin")
                .put("iana_time_zone", "Europe/Berlin").put("phone", " +49 30 1234 ")
                .put("shared_phone_number", false).putNull("photo").put("locale_id", 1).put("locale", "en-US")
                .put("organization_id", 301).put("role", "end-user").put("verified", true)
                .put("external_id", "crm-42");
        u.putArray("tags").add("vip");
        u.put("alias", "").put("active", active).put("shared", false).putNull("last_login_at")
                .put("suspended", false);
        u.putObject("user_fields").put("plan", "gold").put("seats", 3).putNull("empty");
        return u;
    }

    /**
     * A ticket audit as the ticket event export shows it with include=comment_events (ZendeskJson.ticketEvent): a
     * Change child event first, the Comment after it, so the mapping must find the comment, not take the first child.
     */
    static ObjectNode audit(long auditId, long ticketId, long commentId, Instant at) {
        ObjectNode a = JSON.createObjectNode();
        a.put("id", auditId).put("ticket_id", ticketId).put("timestamp", at.getEpochSecond())
                .put("created_at", at.toString()).put("updater_id", 9).put("via", "Web service");
        a.putObject("system");
        a.put("event_type", "Audit");
        ArrayNode children = a.putArray("child_events");
        children.addObject().put("id", commentId - 1).put("via", "Web service").putNull("via_reference_id")
                .put("comment_present", true).put("comment_public", false).put("status", "open")
                .put("event_type", "Change").put("previous_value", "new");
        ObjectNode c = children.addObject();
        c.put("id", commentId).put("via", "Web service").putNull("via_reference_id").put("comment_present", true)
                .put("comment_public", false).put("type", "Comment").put("author_id", 9)
                .put("body", "Refund re_1 of 19.99 USD issued").put("html_body", "<p>Refund re_1 of 19.99 USD"
                        + " issued</p>").put("public", false);
        c.putArray("attachments");
        c.put("event_type", "Comment");
        a.putArray("merged_ticket_ids");
        return a;
    }

    static ObjectNode commentEvent(String eventId, long ticketId, long commentId, Instant at) {
        ObjectNode ev = JSON.createObjectNode();
        ObjectNode c = ev.putObject("comment");
        c.putObject("author").put("id", "9").put("is_staff", true).put("name", "Agent Smith");
        c.put("body", "Refund re_1 of 19.99 USD issued").put("id", Long.toString(commentId)).put("is_public", false);
        ObjectNode detail = ticketEvent("unused", "unused", ticketId, at, "open").with("detail").deepCopy();
        return webhook(eventId, "zen:event-type:ticket.comment_added", "zen:ticket:" + ticketId, detail, ev, at);
    }

    // ---- piping, as the support source and the gateway write them --------------------------------------------------

    private void export(String object, String key, ObjectNode value, String version) {
        driver.pipe("raw.zendesk." + object, key, value.toString(), "syncline.source", "zendesk-api:support",
                "syncline.event-id", key + "@" + version);
    }

    private void webhookTo(String object, ObjectNode value) {
        driver.pipe("raw.zendesk." + object, value.path("detail").path("id").asText(), value.toString(),
                "syncline.source", "zendesk-webhook:zendesk", "syncline.event-id", value.get("id").asText());
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static GenericRecord meta(GenericRecord r) {
        return (GenericRecord) r.get("metadata");
    }

    private static String summary(Canonical c) {
        return c.value() == null ? c.key() + " tombstone" : c.key() + " " + meta(c.value()).get("operation") + " "
                + c.value().get("status");
    }

    private double count(String metric, String mapping) {
        return driver.metrics().count(metric, mapping);
    }

    // ---- tickets -------------------------------------------------------------------------------------------------

    @Test
    void anExportedTicketBecomesATicketWithEveryField() {
        export("ticket", "35436", exportedTicket(35436, T0, "open"), T0.toString());

        GenericRecord t = driver.canonical(TICKETS).get(0).value();
        assertThat(str(t.get("id"))).isEqualTo("zendesk:35436");
        assertThat(str(t.get("external_id"))).isEqualTo("syncline:stripe:ch_35436");
        assertThat(str(t.get("subject"))).isEqualTo("Payment failed: card declined");
        assertThat(str(t.get("description"))).isEqualTo("Payment ch_35436 of 19.99 USD failed");
        assertThat(str(t.get("type"))).isEqualTo("PROBLEM");
        assertThat(str(t.get("priority"))).isEqualTo("HIGH");
        assertThat(str(t.get("status"))).isEqualTo("OPEN");
        assertThat(str(t.get("source_status"))).isEqualTo("open");
        assertThat(str(t.get("requester_id"))).isEqualTo("zendesk:501");
        assertThat(str(t.get("submitter_id"))).isEqualTo("zendesk:9");
        assertThat(str(t.get("assignee_id"))).isEqualTo("zendesk:9");
        assertThat(str(t.get("organization_id"))).isEqualTo("zendesk:301");
        assertThat(t.get("group_id")).isNull();
        assertThat(t.get("tags")).asList().extracting(Object::toString).containsExactly("payments", "declined");
        assertThat(str(t.get("channel"))).isEqualTo("api");
        assertThat(t.get("due_at")).isNull();
        assertThat(t.get("created_at")).isEqualTo(T0.minusSeconds(86_400).toEpochMilli());
        assertThat(t.get("updated_at")).isEqualTo(T0.toEpochMilli());
        GenericRecord m = meta(t);
        assertThat(str(m.get("source_system"))).isEqualTo("zendesk");
        assertThat(str(m.get("source_id"))).isEqualTo("35436");
        assertThat(str(m.get("operation"))).isEqualTo("UPSERT");
        assertThat(m.get("source_updated_at")).isEqualTo(T0.toEpochMilli());
        assertThat(str(m.get("event_id"))).isEqualTo("35436@" + T0 + "/open/high/9/");
        assertThat(driver.deadLetters()).isEmpty();
    }

    @Test
    void aTicketWebhookMapsAsTheExportDoesDespiteItsSpelling() {
        webhookTo("ticket", ticketEvent("01HW-1", "zen:event-type:ticket.status_changed", 35436, T0, "open"));

        GenericRecord fromHook = driver.canonical(TICKETS).get(0).value();
        driver.close();
        driver = new NormalizerDriver(MappingSet.load(Path.of("../../mappings"), TargetCatalog.canonical()),
                stateDir.resolve("second"));
        export("ticket", "35436", exportedTicket(35436, T0, "open"), T0.toString());
        GenericRecord fromExport = driver.canonical(TICKETS).get(0).value();

        for (String field : List.of("id", "external_id", "subject", "description", "type", "priority", "status",
                "source_status", "requester_id", "submitter_id", "assignee_id", "organization_id", "group_id",
                "tags", "channel", "created_at", "updated_at")) {
            assertThat(str(fromHook.get(field))).as(field).isEqualTo(str(fromExport.get(field)));
        }
        assertThat(str(meta(fromHook).get("event_id"))).isEqualTo(str(meta(fromExport).get("event_id")));
        assertThat(str(meta(fromHook).get("source_event_type"))).isEqualTo("zen:event-type:ticket.status_changed");
    }

    /** One update sends several webhooks with the same detail, and the export shows that version again later. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theSameChangeByWebhookAndByExportIsOneTicketRecord(boolean webhookFirst) {
        ObjectNode status = ticketEvent("01HW-1", "zen:event-type:ticket.status_changed", 35436, T0, "pending");
        ObjectNode comment = ticketEvent("01HW-2", "zen:event-type:ticket.comment_added", 35436, T0, "pending");
        if (webhookFirst) {
            webhookTo("ticket", status);
            webhookTo("ticket", comment);
            export("ticket", "35436", exportedTicket(35436, T0, "pending"), T0.toString());
        } else {
            export("ticket", "35436", exportedTicket(35436, T0, "pending"), T0.toString());
            webhookTo("ticket", status);
            webhookTo("ticket", comment);
        }
        webhookTo("ticket", status); // Zendesk retried a delivery

        assertThat(driver.canonical(TICKETS)).extracting(ZendeskMappingTest::summary)
                .containsExactly("zendesk:35436 UPSERT PENDING");
        assertThat(count("syncline.normalizer.dropped.duplicate", "zendesk/ticket")).isEqualTo(3);
        assertThat(driver.deadLetters()).isEmpty();
    }

    @Test
    void changesOfOneSecondAreOrderedByStatusWhereItOnlyMovesOneWay() {
        // Created and solved in one second, delivered out of order: the new version is older, whatever its arrival.
        export("ticket", "7", exportedTicket(7, T0, "solved"), T0.toString());
        webhookTo("ticket", ticketEvent("01HW-1", "zen:event-type:ticket.created", 7, T0, "new"));
        // Solved, then reopened in the same second: both states are emitted, the later arrival wins (a counted tie).
        export("ticket", "7", exportedTicket(7, T0, "open"), T0.toString());
        // Closed for good, then deleted, in the next second, by webhook and then by export.
        webhookTo("ticket", ticketEvent("01HW-2", "zen:event-type:ticket.status_changed", 7, T0.plusSeconds(1),
                "closed"));
        webhookTo("ticket", ticketEvent("01HW-3", "zen:event-type:ticket.soft_deleted", 7, T0.plusSeconds(1),
                "closed"));
        export("ticket", "7", exportedTicket(7, T0.plusSeconds(1), "deleted"), T0.plusSeconds(1).toString());
        webhookTo("ticket", ticketEvent("01HW-2", "zen:event-type:ticket.status_changed", 7, T0.plusSeconds(1),
                "closed"));

        assertThat(driver.canonical(TICKETS)).extracting(ZendeskMappingTest::summary).containsExactly(
                "zendesk:7 UPSERT SOLVED", "zendesk:7 UPSERT OPEN", "zendesk:7 UPSERT CLOSED",
                "zendesk:7 DELETE CLOSED", "zendesk:7 tombstone");
        assertThat(count("syncline.normalizer.dropped.stale", "zendesk/ticket")).as("created; closed after delete")
                .isEqualTo(2);
        assertThat(count("syncline.normalizer.dropped.duplicate", "zendesk/ticket")).as("the export's deletion")
                .isEqualTo(1);
        assertThat(count("syncline.normalizer.version.ties", "zendesk/ticket")).isEqualTo(1);
    }

    @Test
    void aTicketDatedFarAheadIsDeadLetteredWithTheCheckAndTheOthersGoOn() {
        export("ticket", "1", exportedTicket(1, Instant.parse("2999-01-01T00:00:00Z"), "open"), "2999");
        export("ticket", "2", exportedTicket(2, T0, "open"), T0.toString());

        assertThat(driver.canonical(TICKETS)).extracting(Canonical::key).containsExactly("zendesk:2");
        assertThat(driver.deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.headers()).containsEntry(DeadLetterHeaders.ERROR_REASON, "check");
            assertThat(d.headers().get(DeadLetterHeaders.ERROR_MESSAGE)).contains("updated-at");
        });
    }

    // ---- users ---------------------------------------------------------------------------------------------------

    @Test
    void anExportedUserBecomesASupportUserWithWhatIdentityMatchesOn() {
        export("user", "501", exportedUser(501, T0, "  Ada Lovelace ", true), T0.toString());

        GenericRecord u = driver.canonical(USERS).get(0).value();
        assertThat(str(u.get("id"))).isEqualTo("zendesk:501");
        assertThat(str(u.get("email"))).isEqualTo("ada.lovelace@example.com");
        assertThat(str(u.get("name"))).isEqualTo("Ada Lovelace");
        assertThat(str(u.get("phone"))).isEqualTo("+49 30 1234");
        assertThat(str(u.get("organization_id"))).isEqualTo("zendesk:301");
        assertThat(str(u.get("external_id"))).isEqualTo("crm-42");
        assertThat(str(u.get("role"))).isEqualTo("END_USER");
        assertThat(str(u.get("source_role"))).isEqualTo("end-user");
        assertThat(u.get("active")).isEqualTo(true);
        assertThat(u.get("suspended")).isEqualTo(false);
        assertThat(str(u.get("time_zone"))).isEqualTo("Europe/Berlin");
        assertThat(str(u.get("locale"))).isEqualTo("en-US");
        assertThat(u.get("tags")).asList().extracting(Object::toString).containsExactly("vip");
        assertThat(u.get("created_at")).isEqualTo(T0.minusSeconds(86_400).toEpochMilli());
        assertThat(u.get("updated_at")).isEqualTo(T0.toEpochMilli());
        Map<String, String> properties = new TreeMap<>();
        ((Map<?, ?>) u.get("properties")).forEach((k, v) -> properties.put(k.toString(), v.toString()));
        assertThat(properties).as("user_fields, null ones left out").containsExactly(entry("plan", "gold"),
                entry("seats", "3"));
        assertThat(str(meta(u).get("operation"))).isEqualTo("UPSERT");
    }

    @Test
    void aDeletedUserIsOneDeleteByExportOrWebhookAndItsOtherEventsAreNotTakenAsVersions() {
        export("user", "501", exportedUser(501, T0, "Ada", true), T0.toString());
        // Same second: the deletion ranks last, so arriving before the update's repeat it is not undone.
        ObjectNode detail = JSON.createObjectNode().put("created_at", CREATED).put("email", "ada@example.com")
                .putNull("external_id").putNull("default_group_id").put("id", "501").put("organization_id", "301")
                .put("role", "end-user").put("updated_at", T0.plusSeconds(1).toString());
        webhookTo("user", webhook("01HW-9", "zen:event-type:user.deleted", "zen:user:501", detail,
                JSON.createObjectNode(), T0.plusSeconds(1)));
        export("user", "501", exportedUser(501, T0.plusSeconds(1), "Ada", false), T0.plusSeconds(1).toString());
        export("user", "501", exportedUser(501, T0, "Ada", true), T0.toString());
        // A name change's payload has no name in its detail: mapped, it would blank the user. The export brings it.
        webhookTo("user", webhook("01HW-10", "zen:event-type:user.name_changed", "zen:user:501", detail,
                JSON.createObjectNode().put("current", "Ada L.").put("previous", "Ada"), T0.plusSeconds(2)));

        assertThat(driver.canonical(USERS)).extracting(c -> c.value() == null ? c.key() + " tombstone"
                : c.key() + " " + meta(c.value()).get("operation") + " active=" + c.value().get("active"))
                .containsExactly("zendesk:501 UPSERT active=true", "zendesk:501 DELETE active=false",
                        "zendesk:501 tombstone");
        assertThat(count("syncline.normalizer.dropped.duplicate", "zendesk/user")).isEqualTo(1);
        assertThat(count("syncline.normalizer.dropped.stale", "zendesk/user")).isEqualTo(1);
        assertThat(driver.deadLetters()).singleElement().satisfies(d -> assertThat(
                d.headers().get(DeadLetterHeaders.ERROR_MESSAGE)).contains("zen:event-type:user.name_changed"));
    }

    // ---- comments ------------------------------------------------------------------------------------------------

    @Test
    void anExportedAuditBecomesTheCommentItAdded() {
        export("ticket_comment", "1274", audit(900, 35436, 1274, T0), T0.toString());

        GenericRecord c = driver.canonical(COMMENTS).get(0).value();
        assertThat(str(c.get("id"))).isEqualTo("zendesk:1274");
        assertThat(str(c.get("ticket_id"))).isEqualTo("zendesk:35436");
        assertThat(str(c.get("author_id"))).isEqualTo("zendesk:9");
        assertThat(str(c.get("body"))).isEqualTo("Refund re_1 of 19.99 USD issued");
        assertThat(str(c.get("html_body"))).isEqualTo("<p>Refund re_1 of 19.99 USD issued</p>");
        assertThat(c.get("is_public")).isEqualTo(false);
        assertThat(str(c.get("channel"))).isEqualTo("api");
        assertThat(c.get("created_at")).isEqualTo(T0.toEpochMilli());
        assertThat(str(meta(c).get("source_id"))).isEqualTo("1274");
        assertThat(str(meta(c).get("event_id"))).isEqualTo("comment:1274");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theSameCommentByWebhookAndByExportIsOneRecord(boolean webhookFirst) {
        ObjectNode hook = commentEvent("01HW-5", 35436, 1274, T0);
        if (webhookFirst) {
            webhookTo("ticket_comment", hook);
            export("ticket_comment", "1274", audit(900, 35436, 1274, T0), T0.toString());
        } else {
            export("ticket_comment", "1274", audit(900, 35436, 1274, T0), T0.toString());
            webhookTo("ticket_comment", hook);
        }
        webhookTo("ticket_comment", hook);

        List<Canonical> out = driver.canonical(COMMENTS);
        assertThat(out).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo("zendesk:1274");
            assertThat(str(c.value().get("ticket_id"))).isEqualTo("zendesk:35436");
            assertThat(str(c.value().get("author_id"))).isEqualTo("zendesk:9");
            assertThat(str(c.value().get("body"))).isEqualTo("Refund re_1 of 19.99 USD issued");
            assertThat(c.value().get("is_public")).isEqualTo(false);
            assertThat(c.value().get("created_at")).isEqualTo(T0.toEpochMilli());
        });
        assertThat(count("syncline.normalizer.dropped.duplicate", "zendesk/ticket_comment")).isEqualTo(2);
        assertThat(driver.deadLetters()).isEmpty();
    }

    @Test
    void anAuditWithoutACommentIsDeadLetteredAndOrganizationsAreCountedAsSkipped() {
        ObjectNode noComment = audit(901, 35436, 1280, T0);
        ((ArrayNode) noComment.get("child_events")).remove(1);
        export("ticket_comment", "1280", noComment, T0.toString());
        export("organization", "301", JSON.createObjectNode().put("id", 301).put("name", "Acme")
                .put("updated_at", T0.toString()), T0.toString());

        assertThat(driver.canonical(COMMENTS)).isEmpty();
        assertThat(driver.deadLetters()).singleElement().satisfies(d -> assertThat(d.headers())
                .containsEntry(DeadLetterHeaders.SOURCE_TOPIC, "raw.zendesk.ticket_comment"));
        assertThat(driver.metrics().total("syncline.normalizer.skipped")).isEqualTo(1.0);
    }
}
