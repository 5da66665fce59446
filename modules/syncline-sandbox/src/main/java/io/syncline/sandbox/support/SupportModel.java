package io.syncline.sandbox.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.Json;

/** The support desk's stored records; mutated only under {@link SupportStore}'s lock, by its resources. */
final class SupportModel {

    private SupportModel() {
    }

    /** Incremental-export order: a timestamp in epoch seconds, ties by id. */
    record ExportKey(long ts, long id) implements Comparable<ExportKey> {
        @Override
        public int compareTo(ExportKey o) {
            int c = Long.compare(ts, o.ts);
            return c != 0 ? c : Long.compare(id, o.id);
        }
    }

    static final class Identity {
        final long id;
        final long userId;
        final String type;
        String value;
        boolean verified;
        boolean primary;
        final Instant createdAt;
        Instant updatedAt;

        Identity(long id, long userId, String type, String value, boolean primary, Instant at) {
            this.id = id;
            this.userId = userId;
            this.type = type;
            this.value = value;
            this.primary = primary;
            this.createdAt = at;
            this.updatedAt = at;
        }
    }

    static final class User {
        final long id;
        String name;
        String role = "end-user";
        boolean active = true;
        boolean verified;
        boolean suspended;
        Long organizationId;
        String externalId;
        String phone;
        String timeZone = "Etc/UTC";
        String locale = "en-US";
        String details = "";
        String notes = "";
        Set<String> tags = new LinkedHashSet<>();
        ObjectNode userFields = Json.object();
        final List<Identity> identities = new ArrayList<>();
        final Instant createdAt;
        Instant updatedAt;

        User(long id, Instant at) {
            this.id = id;
            this.createdAt = at;
            this.updatedAt = at;
        }

        /** The primary e-mail identity's address, or null. */
        String email() {
            for (Identity i : identities) {
                if (i.primary && i.type.equals("email")) {
                    return i.value;
                }
            }
            for (Identity i : identities) {
                if (i.type.equals("email")) {
                    return i.value;
                }
            }
            return null;
        }

        boolean staff() {
            return role.equals("agent") || role.equals("admin");
        }
    }

    static final class Org {
        final long id;
        String name;
        String externalId;
        List<String> domainNames = new ArrayList<>();
        String details = "";
        String notes = "";
        Long groupId;
        boolean sharedTickets;
        boolean sharedComments;
        Set<String> tags = new LinkedHashSet<>();
        ObjectNode organizationFields = Json.object();
        final Instant createdAt;
        Instant updatedAt;
        Instant deletedAt;

        Org(long id, Instant at) {
            this.id = id;
            this.createdAt = at;
            this.updatedAt = at;
        }
    }

    static final class Comment {
        final long id;
        final long auditId;
        final long authorId;
        final String body;
        final String htmlBody;
        final boolean isPublic;
        final String channel;
        final Instant createdAt;

        Comment(long id, long auditId, long authorId, String body, String htmlBody, boolean isPublic, String channel,
                Instant createdAt) {
            this.id = id;
            this.auditId = auditId;
            this.authorId = authorId;
            this.body = body;
            this.htmlBody = htmlBody;
            this.isPublic = isPublic;
            this.channel = channel;
            this.createdAt = createdAt;
        }
    }

    static final class Ticket {
        final long id;
        String externalId;
        String type;
        String subject;
        String description;
        String priority;
        String status = "new";
        long requesterId;
        long submitterId;
        Long assigneeId;
        Long organizationId;
        Long groupId;
        List<Long> collaboratorIds = new ArrayList<>();
        Set<String> tags = new LinkedHashSet<>();
        ArrayNode customFields = Json.MAPPER.createArrayNode();
        final String channel;
        Instant dueAt;
        final Instant createdAt;
        Instant updatedAt;
        /** Epoch seconds of the last change of any kind; what the incremental ticket export orders by. */
        long generatedTimestamp;
        final List<Comment> comments = new ArrayList<>();

        Ticket(long id, String channel, Instant at) {
            this.id = id;
            this.channel = channel;
            this.createdAt = at;
            this.updatedAt = at;
            this.generatedTimestamp = at.getEpochSecond();
        }

        boolean deleted() {
            return status.equals("deleted");
        }

        boolean isPublic() {
            return comments.isEmpty() || comments.get(0).isPublic;
        }
    }

    /**
     * One change set applied to a ticket: Zendesk's audit, with its child events ({@code Create}, {@code Change},
     * {@code Comment}) in the Ticket Audits API shape.
     */
    static final class Audit {
        final long id;
        final long ticketId;
        final long authorId;
        final String channel;
        final Instant createdAt;
        final ArrayNode events = Json.MAPPER.createArrayNode();

        Audit(long id, long ticketId, long authorId, String channel, Instant createdAt) {
            this.id = id;
            this.ticketId = ticketId;
            this.authorId = authorId;
            this.channel = channel;
            this.createdAt = createdAt;
        }
    }
}
