package io.syncline.sandbox.support;

import java.time.Instant;
import java.util.Collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.support.SupportModel.Audit;
import io.syncline.sandbox.support.SupportModel.Comment;
import io.syncline.sandbox.support.SupportModel.Identity;
import io.syncline.sandbox.support.SupportModel.Org;
import io.syncline.sandbox.support.SupportModel.Ticket;
import io.syncline.sandbox.support.SupportModel.User;

/** Renders stored records as Zendesk's JSON; {@code base} is the API root the client used, for {@code url} fields. */
final class ZendeskJson {

    private ZendeskJson() {
    }

    private static void time(ObjectNode n, String field, Instant at) {
        if (at == null) {
            n.putNull(field);
        } else {
            n.put(field, at.toString());
        }
    }

    private static void text(ObjectNode n, String field, String v) {
        if (v == null) {
            n.putNull(field);
        } else {
            n.put(field, v);
        }
    }

    private static void id(ObjectNode n, String field, Long v) {
        if (v == null) {
            n.putNull(field);
        } else {
            n.put(field, v);
        }
    }

    private static ArrayNode strings(ObjectNode n, String field, Collection<String> values) {
        ArrayNode a = n.putArray(field);
        values.forEach(a::add);
        return a;
    }

    static ObjectNode user(String base, User u) {
        ObjectNode n = Json.object();
        n.put("id", u.id);
        n.put("url", base + "/api/v2/users/" + u.id + ".json");
        n.put("name", u.name);
        text(n, "email", u.email());
        time(n, "created_at", u.createdAt);
        time(n, "updated_at", u.updatedAt);
        n.put("time_zone", u.timeZone);
        n.put("iana_time_zone", u.timeZone);
        text(n, "phone", u.phone);
        n.put("shared_phone_number", false);
        n.putNull("photo");
        n.put("locale_id", 1);
        n.put("locale", u.locale);
        id(n, "organization_id", u.organizationId);
        n.put("role", u.role);
        n.put("verified", u.verified);
        text(n, "external_id", u.externalId);
        strings(n, "tags", u.tags);
        n.put("alias", "");
        n.put("active", u.active);
        n.put("shared", false);
        n.put("shared_agent", false);
        n.putNull("last_login_at");
        n.put("two_factor_auth_enabled", false);
        n.putNull("signature");
        n.put("details", u.details);
        n.put("notes", u.notes);
        if (u.role.equals("end-user")) {
            n.putNull("role_type");
        } else {
            n.put("role_type", u.role.equals("admin") ? 4 : 0);
        }
        n.putNull("custom_role_id");
        n.put("moderator", u.staff());
        n.put("ticket_restriction", u.staff() ? null : "requested");
        n.put("only_private_comments", false);
        n.put("restricted_agent", u.role.equals("agent"));
        n.put("suspended", u.suspended);
        n.putNull("default_group_id");
        n.put("report_csv", u.role.equals("admin"));
        n.set("user_fields", u.userFields.deepCopy());
        return n;
    }

    static ObjectNode identity(String base, Identity i) {
        ObjectNode n = Json.object();
        n.put("url", base + "/api/v2/users/" + i.userId + "/identities/" + i.id + ".json");
        n.put("id", i.id);
        n.put("user_id", i.userId);
        n.put("type", i.type);
        n.put("value", i.value);
        n.put("verified", i.verified);
        n.put("primary", i.primary);
        time(n, "created_at", i.createdAt);
        time(n, "updated_at", i.updatedAt);
        n.put("undeliverable_count", 0);
        n.put("deliverable_state", "deliverable");
        return n;
    }

    static ObjectNode org(String base, Org o) {
        ObjectNode n = Json.object();
        n.put("url", base + "/api/v2/organizations/" + o.id + ".json");
        n.put("id", o.id);
        n.put("name", o.name);
        n.put("shared_tickets", o.sharedTickets);
        n.put("shared_comments", o.sharedComments);
        text(n, "external_id", o.externalId);
        time(n, "created_at", o.createdAt);
        time(n, "updated_at", o.updatedAt);
        strings(n, "domain_names", o.domainNames);
        n.put("details", o.details);
        n.put("notes", o.notes);
        id(n, "group_id", o.groupId);
        strings(n, "tags", o.tags);
        n.set("organization_fields", o.organizationFields.deepCopy());
        return n;
    }

    /** An organization in the incremental export, which also shows {@code deleted_at}. */
    static ObjectNode exportedOrg(String base, Org o) {
        ObjectNode n = org(base, o);
        time(n, "deleted_at", o.deletedAt);
        return n;
    }

    static ObjectNode via(String channel) {
        ObjectNode v = Json.object();
        v.put("channel", channel);
        ObjectNode source = v.putObject("source");
        source.putObject("from");
        source.putObject("to");
        source.putNull("rel");
        return v;
    }

    static ObjectNode ticket(String base, Ticket t) {
        ObjectNode n = Json.object();
        n.put("url", base + "/api/v2/tickets/" + t.id + ".json");
        n.put("id", t.id);
        text(n, "external_id", t.externalId);
        n.set("via", via(t.channel));
        time(n, "created_at", t.createdAt);
        time(n, "updated_at", t.updatedAt);
        n.put("generated_timestamp", t.generatedTimestamp);
        text(n, "type", t.type);
        text(n, "subject", t.subject);
        text(n, "raw_subject", t.subject);
        text(n, "description", t.description);
        text(n, "priority", t.priority);
        n.put("status", t.status);
        n.putNull("recipient");
        n.put("requester_id", t.requesterId);
        n.put("submitter_id", t.submitterId);
        id(n, "assignee_id", t.assigneeId);
        id(n, "organization_id", t.organizationId);
        id(n, "group_id", t.groupId);
        ArrayNode collaborators = n.putArray("collaborator_ids");
        t.collaboratorIds.forEach(collaborators::add);
        ArrayNode followers = n.putArray("follower_ids");
        t.collaboratorIds.forEach(followers::add);
        n.putArray("email_cc_ids");
        n.putNull("forum_topic_id");
        n.putNull("problem_id");
        n.put("has_incidents", false);
        n.put("is_public", t.isPublic());
        time(n, "due_at", t.dueAt);
        strings(n, "tags", t.tags);
        n.set("custom_fields", t.customFields.deepCopy());
        n.putNull("satisfaction_rating");
        n.putArray("sharing_agreement_ids");
        n.putNull("custom_status_id");
        n.set("fields", t.customFields.deepCopy());
        n.putArray("followup_ids");
        n.putNull("ticket_form_id");
        n.putNull("brand_id");
        n.put("allow_channelback", false);
        n.put("allow_attachments", true);
        n.put("from_messaging_channel", false);
        return n;
    }

    static ObjectNode comment(Comment c) {
        ObjectNode n = Json.object();
        n.put("id", c.id);
        n.put("type", "Comment");
        n.put("author_id", c.authorId);
        n.put("body", c.body);
        n.put("html_body", c.htmlBody);
        n.put("plain_body", c.body);
        n.put("public", c.isPublic);
        n.putArray("attachments");
        n.put("audit_id", c.auditId);
        n.set("via", via(c.channel));
        time(n, "created_at", c.createdAt);
        ObjectNode meta = n.putObject("metadata");
        meta.putObject("system").put("client", "Syncline sandbox");
        meta.putObject("custom");
        return n;
    }

    static ObjectNode audit(Audit a) {
        ObjectNode n = Json.object();
        n.put("id", a.id);
        n.put("ticket_id", a.ticketId);
        time(n, "created_at", a.createdAt);
        n.put("author_id", a.authorId);
        ObjectNode meta = n.putObject("metadata");
        meta.putObject("system").put("client", "Syncline sandbox");
        meta.putObject("custom");
        n.set("via", via(a.channel));
        n.set("events", a.events.deepCopy());
        return n;
    }

    /**
     * One audit as the incremental ticket event export shows it: {@code child_events} of type {@code Create},
     * {@code Change} (the field's name as key, plus {@code previous_value}) and, with {@code include=comment_events},
     * {@code Comment}.
     */
    static ObjectNode ticketEvent(Audit a, boolean withComments) {
        ObjectNode n = Json.object();
        n.put("id", a.id);
        n.put("ticket_id", a.ticketId);
        n.put("timestamp", a.createdAt.getEpochSecond());
        time(n, "created_at", a.createdAt);
        n.put("updater_id", a.authorId);
        n.put("via", a.channel.equals("api") ? "Web service" : a.channel);
        n.putObject("system");
        ObjectNode meta = n.putObject("metadata");
        meta.putObject("system").put("client", "Syncline sandbox");
        meta.putObject("custom");
        n.put("event_type", "Audit");
        ArrayNode children = n.putArray("child_events");
        boolean commentPresent = false;
        boolean commentPublic = false;
        for (JsonNode e : a.events) {
            if (e.path("type").asText().equals("Comment")) {
                commentPresent = true;
                commentPublic |= e.path("public").asBoolean();
            }
        }
        for (JsonNode e : a.events) {
            String type = e.path("type").asText();
            if (type.equals("Comment") && !withComments) {
                continue;
            }
            ObjectNode c = children.addObject();
            c.put("id", e.path("id").asLong());
            c.put("via", n.get("via").asText());
            c.putNull("via_reference_id");
            if (type.equals("Comment")) {
                c.put("comment_present", true);
                c.put("comment_public", e.path("public").asBoolean());
                c.put("type", "Comment");
                c.put("author_id", e.path("author_id").asLong());
                c.put("body", e.path("body").asText());
                c.put("html_body", e.path("html_body").asText());
                c.put("public", e.path("public").asBoolean());
                c.putArray("attachments");
                c.put("event_type", "Comment");
            } else {
                c.put("comment_present", commentPresent);
                c.put("comment_public", commentPublic);
                String field = e.path("field_name").asText();
                c.set(field, e.get("value").deepCopy());
                c.put("event_type", type);
                if (type.equals("Change")) {
                    c.set("previous_value", e.get("previous_value").deepCopy());
                }
            }
        }
        n.putArray("merged_ticket_ids");
        return n;
    }
}
