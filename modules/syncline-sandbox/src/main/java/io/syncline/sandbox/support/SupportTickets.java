package io.syncline.sandbox.support;

import static io.syncline.sandbox.support.SupportInput.EMAIL;
import static io.syncline.sandbox.support.SupportInput.longValue;
import static io.syncline.sandbox.support.SupportInput.parseTime;
import static io.syncline.sandbox.support.SupportInput.props;
import static io.syncline.sandbox.support.SupportInput.putText;
import static io.syncline.sandbox.support.SupportInput.tagList;
import static io.syncline.sandbox.support.SupportInput.text;
import static io.syncline.sandbox.support.SupportStore.PRIORITIES;
import static io.syncline.sandbox.support.SupportStore.STATUSES;
import static io.syncline.sandbox.support.SupportStore.TYPES;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.support.SupportModel.Audit;
import io.syncline.sandbox.support.SupportModel.Comment;
import io.syncline.sandbox.support.SupportModel.Ticket;
import io.syncline.sandbox.support.SupportModel.User;
import io.syncline.sandbox.support.SupportStore.Origin;
import io.syncline.sandbox.support.ZendeskErrors.Invalid;

/**
 * Tickets with Zendesk's rules: create (with the first comment as description and a requester found or created),
 * update (fields, tags, a comment, {@code safe_update}), soft delete. Every change is one audit with Create/Change/
 * Comment events, kept for the ticket-events export, and is published as {@code zen:event-type:ticket.*} events.
 * Callers hold the store's lock.
 */
final class SupportTickets {

    private final SupportStore store;
    /** Agent notes waiting for the next client safe_update, each saved just before one (see interfere). */
    private final Deque<Interference> interferences = new ArrayDeque<>();

    private record Interference(long agentId, String note) {
    }

    SupportTickets(SupportStore store) {
        this.store = store;
    }

    /** The requester a ticket names: {@code requester_id}, or {@code requester {name, email}} (found or created). */
    private Long requester(Origin o, JsonNode in, List<Invalid> problems, boolean create) {
        if (in.has("requester_id") && !in.get("requester_id").isNull()) {
            Long id = longValue(in, "requester_id", problems, "Requester");
            if (id != null && (store.user(id) == null || !store.user(id).active)) {
                problems.add(new Invalid("requester", "Requester: " + id + " is not a valid user", "InvalidValue"));
                return null;
            }
            return id;
        }
        JsonNode r = in.get("requester");
        if (r != null && r.isObject()) {
            String email = text(r, "email");
            if (email == null) {
                problems.add(new Invalid("requester", "Requester: Email: cannot be blank", "BlankValue"));
                return null;
            }
            User existing = store.userByEmail(email);
            if (existing != null) {
                return existing.id;
            }
            if (!EMAIL.matcher(email).matches()) {
                problems.add(new Invalid("requester", "Requester: Email: " + email + " is not properly formatted",
                        "InvalidFormat"));
                return null;
            }
            if (!create) {
                return -1L; // validated; created by the caller once every check passed
            }
            ObjectNode u = Json.object();
            u.put("email", email);
            if (text(r, "name") != null) {
                u.put("name", text(r, "name"));
            }
            return store.users().create(o, u).id;
        }
        return null;
    }

    private void validateTicketFields(JsonNode in, List<Invalid> problems) {
        String status = text(in, "status");
        if (status != null && !STATUSES.contains(status)) {
            problems.add(new Invalid("status", "Status: " + status + " is not valid; use one of " + STATUSES,
                    "InvalidValue"));
        }
        String priority = text(in, "priority");
        if (priority != null && !priority.isEmpty() && !PRIORITIES.contains(priority)) {
            problems.add(new Invalid("priority", "Priority: " + priority + " is not valid; use urgent, high, normal "
                    + "or low", "InvalidValue"));
        }
        String type = text(in, "type");
        if (type != null && !type.isEmpty() && !TYPES.contains(type)) {
            problems.add(new Invalid("type", "Type: " + type + " is not valid; use problem, incident, question or "
                    + "task", "InvalidValue"));
        }
        if (in.has("assignee_id") && !in.get("assignee_id").isNull()) {
            Long a = longValue(in, "assignee_id", problems, "Assignee");
            if (a != null && (store.user(a) == null || !store.user(a).staff() || !store.user(a).active)) {
                problems.add(new Invalid("assignee", "Assignee: " + a + " is not an agent of this account",
                        "InvalidValue"));
            }
        }
        if (in.has("organization_id") && !in.get("organization_id").isNull()) {
            Long org = longValue(in, "organization_id", problems, "Organization");
            if (org != null && store.org(org) == null) {
                problems.add(new Invalid("organization_id", "Organization: " + org + " does not exist",
                        "InvalidValue"));
            }
        }
        if (text(in, "due_at") != null && parseTime(text(in, "due_at")) == null) {
            problems.add(new Invalid("due_at", "Due at: " + text(in, "due_at") + " is not an ISO-8601 time",
                    "InvalidValue"));
        }
        JsonNode cf = in.get("custom_fields");
        if (cf != null && !cf.isNull() && !cf.isArray()) {
            problems.add(new Invalid("custom_fields", "Custom fields: must be an array of {\"id\",\"value\"}",
                    "InvalidValue"));
        }
        JsonNode comment = in.get("comment");
        if (comment != null && !comment.isNull() && !comment.isObject()) {
            problems.add(new Invalid("comment", "Comment: must be an object such as {\"body\":\"…\"}",
                    "InvalidValue"));
        }
        if (comment != null && comment.isObject() && comment.has("author_id") && !comment.get("author_id").isNull()) {
            Long author = longValue(comment, "author_id", problems, "Comment author");
            if (author != null && store.user(author) == null) {
                problems.add(new Invalid("comment", "Comment: author " + author + " is not a valid user",
                        "InvalidValue"));
            }
        }
    }

    private static String commentBody(JsonNode comment) {
        if (comment == null || !comment.isObject()) {
            return null;
        }
        String body = text(comment, "body");
        if (body == null || body.isBlank()) {
            String html = text(comment, "html_body");
            body = html == null ? null : html.replaceAll("<[^>]+>", "").trim();
        }
        return body == null || body.isBlank() ? null : body;
    }

    /** Creates a ticket and its first comment (its description); the answer's audit is returned alongside. */
    Audit create(Origin o, JsonNode in) {
        List<Invalid> problems = new ArrayList<>();
        JsonNode comment = in.get("comment");
        String body = commentBody(comment);
        if (body == null) {
            problems.add(new Invalid("description", "Description: cannot be blank", "BlankValue"));
        }
        validateTicketFields(in, problems);
        Long requesterId = requester(o, in, problems, false);
        if (text(in, "status") != null && text(in, "status").equals("closed")) {
            problems.add(new Invalid("status", "Status: a new ticket cannot be closed", "InvalidValue"));
        }
        if (!problems.isEmpty()) {
            throw ZendeskErrors.recordInvalid(problems);
        }
        if (requesterId != null && requesterId == -1L) {
            requesterId = requester(o, in, problems, true);
        }
        Instant now = store.now();
        Ticket t = new Ticket(store.nextTicketId(), o.channel(), now);
        t.requesterId = requesterId != null ? requesterId : o.actorId();
        t.submitterId = o.actorId();
        User requester = store.user(t.requesterId);
        t.organizationId = requester == null ? null : requester.organizationId;
        t.subject = text(in, "subject");
        t.description = body;
        Audit audit = new Audit(store.nextEventId(), t.id, o.actorId(), o.channel(), now);
        boolean isPublic = !comment.has("public") || comment.get("public").asBoolean(true);
        long authorId = comment.has("author_id") && !comment.get("author_id").isNull()
                ? comment.get("author_id").asLong() : t.requesterId;
        addComment(t, audit, authorId, body, text(comment, "html_body"), isPublic, now);
        applyTicketFields(t, in, true);
        if (text(in, "status") == null) {
            t.status = t.assigneeId != null ? "open" : "new";
        }
        createEvent(audit, "subject", t.subject);
        createEvent(audit, "status", t.status);
        createEvent(audit, "priority", t.priority);
        createEvent(audit, "type", t.type);
        createEvent(audit, "requester_id", Long.toString(t.requesterId));
        createEvent(audit, "assignee_id", t.assigneeId == null ? null : t.assigneeId.toString());
        createEvent(audit, "external_id", t.externalId);
        if (!t.tags.isEmpty()) {
            createEvent(audit, "tags", String.join(" ", t.tags));
        }
        store.addTicket(t);
        store.indexTicket(t);
        store.addAudit(audit);
        store.record(o, "tickets", t.id, "CREATE", props(in));
        store.publish("zen:event-type:ticket.created", "zen:ticket:" + t.id, detail(t, o.actorId()),
                Json.object(), now);
        return audit;
    }

    private void createEvent(Audit audit, String field, String value) {
        if (value == null) {
            return;
        }
        ObjectNode e = audit.events.addObject();
        e.put("id", store.nextEventId());
        e.put("type", "Create");
        e.put("value", value);
        e.put("field_name", field);
    }

    private void changeEvent(Audit audit, String field, String previous, String value) {
        ObjectNode e = audit.events.addObject();
        e.put("id", store.nextEventId());
        e.put("type", "Change");
        putText(e, "value", value);
        e.put("field_name", field);
        putText(e, "previous_value", previous);
    }

    private Comment addComment(Ticket t, Audit audit, long authorId, String body, String html, boolean isPublic,
                               Instant at) {
        String htmlBody = html != null ? html : "<div class=\"zd-comment\" dir=\"auto\"><p>"
                + body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")
                + "</p></div>";
        Comment c = new Comment(store.nextEventId(), audit.id, authorId, body, htmlBody, isPublic, audit.channel, at);
        t.comments.add(c);
        ObjectNode e = audit.events.addObject();
        e.put("id", c.id);
        e.put("type", "Comment");
        e.put("author_id", authorId);
        e.put("body", body);
        e.put("html_body", htmlBody);
        e.put("plain_body", body);
        e.put("public", isPublic);
        e.putArray("attachments");
        e.put("audit_id", audit.id);
        return c;
    }

    /** Applies the writable ticket fields present in {@code in}; returns {field: previous} of what changed. */
    private Map<String, String> applyTicketFields(Ticket t, JsonNode in, boolean creating) {
        Map<String, String> previous = new LinkedHashMap<>();
        BiConsumer<String, String> set = (field, value) -> {
            String old = switch (field) {
                case "subject" -> t.subject;
                case "status" -> t.status;
                case "priority" -> t.priority;
                case "type" -> t.type;
                case "external_id" -> t.externalId;
                default -> throw new IllegalArgumentException(field);
            };
            String next = value == null || value.isEmpty() ? null : value;
            if (field.equals("status") && next == null) {
                return;
            }
            if (Objects.equals(old, next)) {
                return;
            }
            previous.put(field, old);
            switch (field) {
                case "subject" -> t.subject = next;
                case "status" -> t.status = next;
                case "priority" -> t.priority = next;
                case "type" -> t.type = next;
                default -> t.externalId = next;
            }
        };
        for (String f : List.of("subject", "status", "priority", "type", "external_id")) {
            if (in.has(f)) {
                set.accept(f, text(in, f));
            }
        }
        if (in.has("requester_id") && !creating && !in.get("requester_id").isNull()) {
            long r = in.get("requester_id").asLong();
            if (r != t.requesterId) {
                previous.put("requester_id", Long.toString(t.requesterId));
                t.requesterId = r;
            }
        }
        if (in.has("assignee_id")) {
            Long a = in.get("assignee_id").isNull() ? null : in.get("assignee_id").asLong();
            if (!Objects.equals(a, t.assigneeId)) {
                previous.put("assignee_id", t.assigneeId == null ? null : t.assigneeId.toString());
                t.assigneeId = a;
            }
        }
        if (in.has("organization_id")) {
            Long org = in.get("organization_id").isNull() ? null : in.get("organization_id").asLong();
            if (!Objects.equals(org, t.organizationId)) {
                previous.put("organization_id", t.organizationId == null ? null : t.organizationId.toString());
                t.organizationId = org;
            }
        }
        if (in.has("group_id")) {
            t.groupId = in.get("group_id").isNull() ? null : in.get("group_id").asLong();
        }
        if (text(in, "due_at") != null) {
            t.dueAt = parseTime(text(in, "due_at"));
        }
        Set<String> tags = new LinkedHashSet<>(t.tags);
        if (in.has("tags")) {
            tags = new LinkedHashSet<>(tagList(in.get("tags")));
        }
        if (in.has("additional_tags")) {
            tags.addAll(tagList(in.get("additional_tags")));
        }
        if (in.has("remove_tags")) {
            tagList(in.get("remove_tags")).forEach(tags::remove);
        }
        if (!tags.equals(t.tags)) {
            previous.put("tags", String.join(" ", t.tags));
            t.tags = tags;
        }
        JsonNode cf = in.get("custom_fields");
        if (cf != null && cf.isArray()) {
            for (JsonNode f : cf) {
                long id = f.path("id").asLong();
                boolean replaced = false;
                for (JsonNode existing : t.customFields) {
                    if (existing.path("id").asLong() == id) {
                        ((ObjectNode) existing).set("value", f.path("value").deepCopy());
                        replaced = true;
                    }
                }
                if (!replaced) {
                    ObjectNode n = t.customFields.addObject();
                    n.put("id", id);
                    n.set("value", f.path("value").deepCopy());
                }
            }
        }
        JsonNode collaborators = in.get("collaborator_ids");
        if (collaborators != null && collaborators.isArray()) {
            List<Long> ids = new ArrayList<>();
            collaborators.forEach(c -> ids.add(c.asLong()));
            t.collaboratorIds = ids;
        }
        return previous;
    }

    /**
     * Makes the next client {@code safe_update} of a ticket find it changed by {@code agentId}, who adds the internal
     * note {@code note} just before it, as when an agent saves between a client's read and its write. With a clock
     * that has moved past the client's read (Zendesk's times have one-second resolution), that write gets 409.
     */
    void interfere(long agentId, String note) {
        interferences.add(new Interference(agentId, note));
    }

    /**
     * Updates a ticket: fields, tags and an optional {@code comment}. With {@code safe_update} the ticket must still
     * have {@code updated_stamp} as its {@code updated_at} (to the second), else 409. Closed tickets refuse changes.
     */
    Audit update(Origin o, Ticket t, JsonNode in) {
        if (in.path("safe_update").asBoolean(false)) {
            Interference i = o.isClient() ? interferences.poll() : null;
            if (i != null) {
                // An agent saves the ticket between the client's read and this write: its stamp is stale now.
                ObjectNode note = Json.object();
                note.putObject("comment").put("body", i.note()).put("public", false);
                update(Origin.generator(i.agentId(), "web"), t, note);
            }
            String stamp = text(in, "updated_stamp");
            Instant at = stamp == null ? null : parseTime(stamp);
            if (at == null) {
                throw ZendeskErrors.recordInvalid("updated_stamp", "Updated stamp: " + (stamp == null
                        ? "is required with safe_update" : stamp + " is not an ISO-8601 time"), "InvalidValue");
            }
            if (!at.equals(t.updatedAt)) {
                throw ZendeskErrors.updateConflict();
            }
        }
        if (t.status.equals("closed")) {
            throw ZendeskErrors.recordInvalid("status", "Status: closed prevents ticket update", "ClosedPrevents"
                    + "TicketUpdate");
        }
        List<Invalid> problems = new ArrayList<>();
        validateTicketFields(in, problems);
        if ("new".equals(text(in, "status")) && !t.status.equals("new")) {
            problems.add(new Invalid("status", "Status: cannot be set back to new", "InvalidValue"));
        }
        if (in.has("requester_id")) {
            requester(o, in, problems, false);
        }
        JsonNode comment = in.get("comment");
        String body = commentBody(comment);
        if (comment != null && comment.isObject() && body == null) {
            problems.add(new Invalid("comment", "Comment: body cannot be blank", "BlankValue"));
        }
        if (!problems.isEmpty()) {
            throw ZendeskErrors.recordInvalid(problems);
        }
        Instant now = store.now();
        Audit audit = new Audit(store.nextEventId(), t.id, o.actorId(), o.channel(), now);
        Map<String, String> previous = applyTicketFields(t, in, false);
        Comment added = null;
        if (body != null) {
            boolean isPublic = !comment.has("public") || comment.get("public").asBoolean(true);
            long authorId = comment.has("author_id") && !comment.get("author_id").isNull()
                    ? comment.get("author_id").asLong() : o.actorId();
            added = addComment(t, audit, authorId, body, text(comment, "html_body"), isPublic, now);
            // An agent's public reply opens a new ticket, as the agent interface does.
            if (t.status.equals("new") && !previous.containsKey("status") && store.user(authorId) != null
                    && store.user(authorId).staff()) {
                previous.put("status", "new");
                t.status = "open";
            }
        }
        if (previous.isEmpty() && added == null) {
            return audit; // nothing changed: no audit stored, updated_at kept
        }
        for (Map.Entry<String, String> p : previous.entrySet()) {
            changeEvent(audit, p.getKey(), p.getValue(), current(t, p.getKey()));
        }
        t.updatedAt = now;
        t.generatedTimestamp = now.getEpochSecond();
        store.indexTicket(t);
        store.addAudit(audit);
        Map<String, String> props = props(in);
        props.remove("comment");
        if (!props.isEmpty() || added == null) {
            store.record(o, "tickets", t.id, "UPDATE", props);
        }
        if (added != null) {
            store.record(o, "tickets", t.id, "COMMENT", Map.of("comment_id", Long.toString(added.id), "body", added.body,
                    "public", Boolean.toString(added.isPublic)));
        }
        ObjectNode detail = detail(t, o.actorId());
        for (Map.Entry<String, String> p : previous.entrySet()) {
            String what = switch (p.getKey()) {
                case "assignee_id" -> "agent_assignment_changed";
                case "requester_id" -> "requester_changed";
                case "organization_id" -> "organization_changed";
                default -> p.getKey() + "_changed";
            };
            String prev = p.getValue();
            String cur = current(t, p.getKey());
            if (p.getKey().equals("status") || p.getKey().equals("priority") || p.getKey().equals("type")) {
                prev = prev == null ? null : prev.toUpperCase(Locale.ROOT);
                cur = cur == null ? null : cur.toUpperCase(Locale.ROOT);
            }
            store.publishChange("ticket", t.id, detail, what, prev, cur, now);
        }
        if (added != null) {
            ObjectNode ev = Json.object();
            ObjectNode c = ev.putObject("comment");
            User author = store.user(added.authorId);
            ObjectNode a = c.putObject("author");
            a.put("id", Long.toString(added.authorId));
            a.put("is_staff", author != null && author.staff());
            a.put("name", author == null ? "" : author.name);
            c.put("body", added.body);
            c.put("id", Long.toString(added.id));
            c.put("is_public", added.isPublic);
            store.publish("zen:event-type:ticket.comment_added", "zen:ticket:" + t.id, detail, ev, now);
        }
        return audit;
    }

    private static String current(Ticket t, String field) {
        return switch (field) {
            case "subject" -> t.subject;
            case "status" -> t.status;
            case "priority" -> t.priority;
            case "type" -> t.type;
            case "external_id" -> t.externalId;
            case "requester_id" -> Long.toString(t.requesterId);
            case "assignee_id" -> t.assigneeId == null ? null : t.assigneeId.toString();
            case "organization_id" -> t.organizationId == null ? null : t.organizationId.toString();
            case "tags" -> String.join(" ", t.tags);
            default -> null;
        };
    }

    /** Soft delete: the ticket leaves lists and reads (404) and exports with status {@code deleted}. */
    void delete(Origin o, Ticket t) {
        Instant now = store.now();
        Audit audit = new Audit(store.nextEventId(), t.id, o.actorId(), o.channel(), now);
        changeEvent(audit, "status", t.status, "deleted");
        t.status = "deleted";
        t.updatedAt = now;
        t.generatedTimestamp = now.getEpochSecond();
        store.indexTicket(t);
        store.addAudit(audit);
        store.record(o, "tickets", t.id, "DELETE", Map.of());
        store.publish("zen:event-type:ticket.soft_deleted", "zen:ticket:" + t.id, detail(t, o.actorId()),
                Json.object(), now);
    }

    private static ObjectNode detail(Ticket t, long actorId) {
        ObjectNode d = Json.object();
        d.put("actor_id", Long.toString(actorId));
        putText(d, "assignee_id", t.assigneeId == null ? null : t.assigneeId.toString());
        d.putNull("brand_id");
        d.put("created_at", t.createdAt.toString());
        d.putNull("custom_status");
        putText(d, "description", t.description);
        putText(d, "external_id", t.externalId);
        d.putNull("form_id");
        putText(d, "group_id", t.groupId == null ? null : t.groupId.toString());
        d.put("id", Long.toString(t.id));
        d.put("is_public", t.isPublic());
        putText(d, "organization_id", t.organizationId == null ? null : t.organizationId.toString());
        putText(d, "priority", t.priority == null ? null : t.priority.toUpperCase(Locale.ROOT));
        d.put("requester_id", Long.toString(t.requesterId));
        d.put("status", t.status.toUpperCase(Locale.ROOT));
        putText(d, "subject", t.subject);
        d.put("submitter_id", Long.toString(t.submitterId));
        ArrayNode tags = d.putArray("tags");
        t.tags.forEach(tags::add);
        putText(d, "type", t.type == null ? null : t.type.toUpperCase(Locale.ROOT));
        d.put("updated_at", t.updatedAt.toString());
        d.putObject("via").put("channel", viaChannel(t.channel));
        return d;
    }

    /** The event payloads' channel names differ from the REST API's {@code via.channel}. */
    private static String viaChannel(String channel) {
        return switch (channel) {
            case "api" -> "web_service";
            case "web" -> "web_form";
            default -> channel;
        };
    }
}
