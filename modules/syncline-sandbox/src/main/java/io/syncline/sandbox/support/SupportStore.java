package io.syncline.sandbox.support;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.core.WriteLog;
import io.syncline.sandbox.core.WriteRecord;
import io.syncline.sandbox.support.SupportModel.Audit;
import io.syncline.sandbox.support.SupportModel.Comment;
import io.syncline.sandbox.support.SupportModel.ExportKey;
import io.syncline.sandbox.support.SupportModel.Identity;
import io.syncline.sandbox.support.SupportModel.Org;
import io.syncline.sandbox.support.SupportModel.Ticket;
import io.syncline.sandbox.support.SupportModel.User;
import io.syncline.sandbox.support.ZendeskErrors.Invalid;

/**
 * The support desk's data with Zendesk's rules: users with e-mail identities, organizations, tickets with comments
 * and audits, and the indexes the incremental exports read. One lock guards everything. Writes by API clients go to
 * the {@link WriteLog}; every change (clients' and the generator's) is published as a Zendesk event.
 */
final class SupportStore {

    /** Who writes: the acting user, plus request details for API calls (null for the generator). */
    record Origin(long actorId, String requestId, String method, String path, String idempotencyKey,
                  String channel) {
        static Origin generator(long actorId, String channel) {
            return new Origin(actorId, null, null, null, null, channel);
        }

        boolean isClient() {
            return method != null;
        }
    }

    /** Receives every change as a Zendesk event ({@code zen:event-type:…}). */
    interface Events {
        void publish(String type, String subject, ObjectNode detail, ObjectNode event, Instant at);
    }

    static final Set<String> ROLES = Set.of("end-user", "agent", "admin");
    static final List<String> STATUSES = List.of("new", "open", "pending", "hold", "solved", "closed");
    static final Set<String> PRIORITIES = Set.of("urgent", "high", "normal", "low");
    static final Set<String> TYPES = Set.of("problem", "incident", "question", "task");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private final ReentrantLock lock = new ReentrantLock();
    private final Clock clock;
    private final WriteLog writes;
    private final Events events;
    private final SplittableRandom idSteps;
    final long accountId;
    private final TreeMap<Long, User> users = new TreeMap<>();
    private final Map<String, Long> usersByEmail = new HashMap<>();
    private final Map<String, Long> usersByExternalId = new HashMap<>();
    private final TreeMap<Long, Org> orgs = new TreeMap<>();
    private final Map<String, Long> orgsByName = new HashMap<>();
    private final TreeMap<Long, Ticket> tickets = new TreeMap<>();
    private final TreeMap<ExportKey, Long> userIndex = new TreeMap<>();
    private final TreeMap<ExportKey, Long> orgIndex = new TreeMap<>();
    private final TreeMap<ExportKey, Long> ticketIndex = new TreeMap<>();
    private final TreeMap<ExportKey, Audit> audits = new TreeMap<>();
    private final Map<Long, ExportKey> userKeys = new HashMap<>();
    private final Map<Long, ExportKey> orgKeys = new HashMap<>();
    private final Map<Long, ExportKey> ticketKeys = new HashMap<>();
    private long lastUserId;
    private long lastOrgId;
    private long lastTicketId;
    private long lastEventId;
    private long changes;

    SupportStore(Clock clock, WriteLog writes, Events events, long seed) {
        this.clock = clock;
        this.writes = writes;
        this.events = events;
        this.idSteps = new SplittableRandom(seed);
        this.accountId = 10_000_000L + idSteps.nextInt(9_000_000);
        this.lastUserId = 360_000_000_000L + idSteps.nextInt(1_000_000) * 1000L;
        this.lastOrgId = 260_000_000_000L + idSteps.nextInt(1_000_000) * 1000L;
        this.lastEventId = 30_000_000_000_000L + idSteps.nextInt(1_000_000) * 1000L;
    }

    <T> T locked(Supplier<T> op) {
        lock.lock();
        try {
            return op.get();
        } finally {
            lock.unlock();
        }
    }

    void locked(Runnable op) {
        lock.lock();
        try {
            op.run();
        } finally {
            lock.unlock();
        }
    }

    long changes() {
        return locked(() -> changes);
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private long nextEventId() {
        lastEventId += 1 + idSteps.nextInt(3);
        return lastEventId;
    }

    // ------------------------------------------------------------------ lookups

    User user(long id) {
        return users.get(id);
    }

    Org org(long id) {
        Org o = orgs.get(id);
        return o == null || o.deletedAt != null ? null : o;
    }

    /** A ticket that is not deleted, or null. */
    Ticket ticket(long id) {
        Ticket t = tickets.get(id);
        return t == null || t.deleted() ? null : t;
    }

    /** Any ticket including deleted ones (for the exports and the admin API). */
    Ticket anyTicket(long id) {
        return tickets.get(id);
    }

    User userByEmail(String email) {
        Long id = email == null ? null : usersByEmail.get(email.toLowerCase(Locale.ROOT));
        return id == null ? null : users.get(id);
    }

    User userByExternalId(String externalId) {
        Long id = externalId == null ? null : usersByExternalId.get(externalId);
        return id == null ? null : users.get(id);
    }

    Org orgByExternalId(String externalId) {
        for (Org o : orgs.values()) {
            if (o.deletedAt == null && externalId.equals(o.externalId)) {
                return o;
            }
        }
        return null;
    }

    /** The id of the active agent or admin with this e-mail (case-insensitive), or null: who may use API tokens. */
    Long staffUserId(String email) {
        return locked(() -> {
            User u = userByEmail(email);
            return u != null && u.active && !u.suspended && u.staff() ? u.id : null;
        });
    }

    Iterable<User> users() {
        return users.values();
    }

    Iterable<Org> orgs() {
        return orgs.values();
    }

    Iterable<Ticket> tickets() {
        return tickets.values();
    }

    Map<String, List<String>> idsByType() {
        return locked(() -> {
            Map<String, List<String>> out = new LinkedHashMap<>();
            out.put("users", users.keySet().stream().map(String::valueOf).toList());
            out.put("organizations", orgs.keySet().stream().map(String::valueOf).toList());
            out.put("tickets", tickets.keySet().stream().map(String::valueOf).toList());
            return out;
        });
    }

    // ------------------------------------------------------------------ input helpers

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Long longValue(JsonNode n, String field, List<Invalid> problems, String label) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.canConvertToLong() && (v.isIntegralNumber() || v.isTextual())) {
            try {
                return v.isTextual() ? Long.parseLong(v.asText().trim()) : v.asLong();
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problems.add(new Invalid(field, label + ": " + v.asText() + " is not a valid id", "InvalidValue"));
        return null;
    }

    private static List<String> tagList(JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isArray()) {
            v.forEach(t -> split(t.asText(), out));
        } else {
            split(v.asText(), out);
        }
        return out;
    }

    /** Zendesk tags are lower case without spaces; a string is split on spaces and commas. */
    private static void split(String text, List<String> out) {
        for (String t : text.split("[\\s,]+")) {
            if (!t.isBlank()) {
                out.add(t.toLowerCase(Locale.ROOT));
            }
        }
    }

    static Instant parseTime(String text) {
        try {
            return OffsetDateTime.parse(text.trim()).toInstant().truncatedTo(ChronoUnit.SECONDS);
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(text.trim()).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private void record(Origin o, String type, long id, String operation, Map<String, String> props) {
        changes++;
        if (o.isClient()) {
            writes.add(new WriteRecord(clock.instant(), o.requestId(), o.method(), o.path(), type, Long.toString(id),
                    operation, Map.copyOf(props), o.idempotencyKey()));
        }
    }

    private static Map<String, String> props(JsonNode input) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = input.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            out.put(f.getKey(), f.getValue().isValueNode() ? f.getValue().asText() : Json.write(f.getValue()));
        }
        return out;
    }

    // ------------------------------------------------------------------ users

    private void indexUser(User u) {
        ExportKey old = userKeys.put(u.id, new ExportKey(u.updatedAt.getEpochSecond(), u.id));
        if (old != null) {
            userIndex.remove(old);
        }
        userIndex.put(userKeys.get(u.id), u.id);
    }

    /** Creates a user from a {@code user} object; 422 for a missing name, a bad or taken e-mail, etc. */
    User createUser(Origin o, JsonNode in) {
        List<Invalid> problems = new ArrayList<>();
        String name = text(in, "name");
        String email = text(in, "email");
        List<String> extraEmails = new ArrayList<>();
        JsonNode identities = in.get("identities");
        if (identities != null && identities.isArray()) {
            for (JsonNode i : identities) {
                if ("email".equals(text(i, "type")) && text(i, "value") != null) {
                    if (email == null) {
                        email = text(i, "value");
                    } else {
                        extraEmails.add(text(i, "value"));
                    }
                }
            }
        }
        if (name == null || name.isBlank()) {
            if (email != null) {
                name = email.substring(0, Math.max(1, email.indexOf('@')));
            } else {
                problems.add(new Invalid("name", "Name: is too short (minimum is 1 character)", "BlankValue"));
            }
        }
        validateUserFields(in, null, email, problems);
        for (String extra : extraEmails) {
            checkEmail(extra, null, problems);
        }
        if (!problems.isEmpty()) {
            throw ZendeskErrors.recordInvalid(problems);
        }
        Instant now = now();
        lastUserId += 1 + idSteps.nextInt(9);
        User u = new User(lastUserId, now);
        u.name = name;
        applyUserFields(u, in);
        if (email != null) {
            addIdentity(u, "email", email, true, now);
        }
        for (String extra : extraEmails) {
            addIdentity(u, "email", extra, false, now);
        }
        if (text(in, "phone") != null) {
            u.phone = text(in, "phone");
        }
        users.put(u.id, u);
        if (u.externalId != null) {
            usersByExternalId.put(u.externalId, u.id);
        }
        indexUser(u);
        record(o, "users", u.id, "CREATE", props(in));
        events.publish("zen:event-type:user.created", "zen:user:" + u.id, userDetail(u), Json.object(), now);
        return u;
    }

    private Identity addIdentity(User u, String type, String value, boolean primary, Instant at) {
        Identity i = new Identity(nextEventId(), u.id, type, type.equals("email") ? value.toLowerCase(Locale.ROOT)
                : value, primary, at);
        u.identities.add(i);
        if (type.equals("email")) {
            usersByEmail.put(i.value, u.id);
        }
        return i;
    }

    private void checkEmail(String email, User self, List<Invalid> problems) {
        if (!EMAIL.matcher(email).matches()) {
            problems.add(new Invalid("email", "Email: " + email + " is not properly formatted", "InvalidFormat"));
            return;
        }
        Long holder = usersByEmail.get(email.toLowerCase(Locale.ROOT));
        if (holder != null && (self == null || holder != self.id)) {
            problems.add(new Invalid("email", "Email: " + email + " is already being used by another user",
                    "DuplicateValue"));
        }
    }

    private void validateUserFields(JsonNode in, User self, String email, List<Invalid> problems) {
        if (email != null) {
            checkEmail(email, self, problems);
        }
        String role = text(in, "role");
        if (role != null && !ROLES.contains(role)) {
            problems.add(new Invalid("role", "Role: " + role + " is not valid; use end-user, agent or admin",
                    "InvalidValue"));
        }
        if (in.has("organization_id")) {
            Long org = longValue(in, "organization_id", problems, "Organization");
            if (org != null && org(org) == null) {
                problems.add(new Invalid("organization_id", "Organization: " + org + " does not exist",
                        "InvalidValue"));
            }
        }
        String ext = text(in, "external_id");
        if (ext != null && !ext.isEmpty()) {
            Long holder = usersByExternalId.get(ext);
            if (holder != null && (self == null || holder != self.id)) {
                problems.add(new Invalid("external_id", "External: " + ext + " has already been taken",
                        "DuplicateValue"));
            }
        }
        JsonNode fields = in.get("user_fields");
        if (fields != null && !fields.isNull() && !fields.isObject()) {
            problems.add(new Invalid("user_fields", "User fields: must be an object of field keys to values",
                    "InvalidValue"));
        }
    }

    private void applyUserFields(User u, JsonNode in) {
        if (in.has("name") && text(in, "name") != null && !text(in, "name").isBlank()) {
            u.name = text(in, "name");
        }
        if (text(in, "role") != null) {
            u.role = text(in, "role");
        }
        if (in.has("organization_id")) {
            u.organizationId = in.get("organization_id").isNull() ? null : in.get("organization_id").asLong();
        }
        if (in.has("external_id")) {
            String ext = text(in, "external_id");
            if (u.externalId != null) {
                usersByExternalId.remove(u.externalId);
            }
            u.externalId = ext == null || ext.isEmpty() ? null : ext;
            if (u.externalId != null) {
                usersByExternalId.put(u.externalId, u.id);
            }
        }
        if (in.has("phone")) {
            u.phone = text(in, "phone");
        }
        if (in.has("details")) {
            u.details = Objects.requireNonNullElse(text(in, "details"), "");
        }
        if (in.has("notes")) {
            u.notes = Objects.requireNonNullElse(text(in, "notes"), "");
        }
        if (text(in, "time_zone") != null) {
            u.timeZone = text(in, "time_zone");
        }
        if (text(in, "locale") != null) {
            u.locale = text(in, "locale");
        }
        if (in.has("verified")) {
            u.verified = in.get("verified").asBoolean();
        }
        if (in.has("suspended")) {
            u.suspended = in.get("suspended").asBoolean();
        }
        if (in.has("tags")) {
            u.tags = new LinkedHashSet<>(tagList(in.get("tags")));
        }
        JsonNode fields = in.get("user_fields");
        if (fields != null && fields.isObject()) {
            fields.fields().forEachRemaining(f -> u.userFields.set(f.getKey(), f.getValue().deepCopy()));
        }
    }

    /** Updates a user; an {@code email} adds a new primary identity as Zendesk does. */
    User updateUser(Origin o, User u, JsonNode in) {
        List<Invalid> problems = new ArrayList<>();
        String email = text(in, "email");
        if (email != null && email.equalsIgnoreCase(u.email())) {
            email = null;
        }
        validateUserFields(in, u, email, problems);
        if (!problems.isEmpty()) {
            throw ZendeskErrors.recordInvalid(problems);
        }
        String nameBefore = u.name;
        String roleBefore = u.role;
        String extBefore = u.externalId;
        Long orgBefore = u.organizationId;
        applyUserFields(u, in);
        Instant now = now();
        if (email != null) {
            User holder = userByEmail(email);
            if (holder == null) {
                u.identities.forEach(i -> i.primary = false);
                Identity added = addIdentity(u, "email", email, true, now);
                ObjectNode ev = Json.object();
                ev.putObject("identity").put("id", Long.toString(added.id)).put("type", "email")
                        .put("value", added.value).put("primary", true);
                events.publish("zen:event-type:user.identity_created", "zen:user:" + u.id, userDetail(u), ev, now);
            }
        }
        u.updatedAt = now;
        indexUser(u);
        record(o, "users", u.id, "UPDATE", props(in));
        publishChange("user", u.id, userDetail(u), "name_changed", nameBefore, u.name, now);
        publishChange("user", u.id, userDetail(u), "role_changed", roleBefore, u.role, now);
        publishChange("user", u.id, userDetail(u), "external_id_changed", extBefore, u.externalId, now);
        publishChange("user", u.id, userDetail(u), "organization_membership_changed",
                orgBefore == null ? null : orgBefore.toString(),
                u.organizationId == null ? null : u.organizationId.toString(), now);
        return u;
    }

    private void publishChange(String kind, long id, ObjectNode detail, String what, String previous, String current,
                               Instant at) {
        if (Objects.equals(previous, current)) {
            return;
        }
        ObjectNode ev = Json.object();
        putText(ev, "current", current);
        putText(ev, "previous", previous);
        events.publish("zen:event-type:" + kind + "." + what, "zen:" + kind + ":" + id, detail, ev, at);
    }

    private static void putText(ObjectNode n, String field, String value) {
        if (value == null) {
            n.putNull(field);
        } else {
            n.put(field, value);
        }
    }

    /** Soft delete: the user stays readable with {@code active: false}, as Zendesk keeps deleted users. */
    User deleteUser(Origin o, User u) {
        if (!u.active) {
            return u;
        }
        Instant now = now();
        u.active = false;
        u.updatedAt = now;
        indexUser(u);
        record(o, "users", u.id, "DELETE", Map.of());
        events.publish("zen:event-type:user.deleted", "zen:user:" + u.id, userDetail(u), Json.object(), now);
        return u;
    }

    Identity createIdentity(Origin o, User u, JsonNode in) {
        String type = text(in, "type");
        String value = text(in, "value");
        List<Invalid> problems = new ArrayList<>();
        if (type == null || !(type.equals("email") || type.equals("phone_number"))) {
            problems.add(new Invalid("type", "Type: " + type + " is not valid; use email or phone_number",
                    "InvalidValue"));
        }
        if (value == null || value.isBlank()) {
            problems.add(new Invalid("value", "Value: cannot be blank", "BlankValue"));
        } else if ("email".equals(type)) {
            checkEmail(value, null, problems);
        }
        if (!problems.isEmpty()) {
            throw ZendeskErrors.recordInvalid(problems);
        }
        Instant now = now();
        boolean primary = u.identities.stream().noneMatch(i -> i.type.equals(type));
        Identity i = addIdentity(u, type, value, primary, now);
        u.updatedAt = now;
        indexUser(u);
        record(o, "identities", i.id, "CREATE", props(in));
        ObjectNode ev = Json.object();
        ev.putObject("identity").put("id", Long.toString(i.id)).put("type", i.type).put("value", i.value)
                .put("primary", i.primary);
        events.publish("zen:event-type:user.identity_created", "zen:user:" + u.id, userDetail(u), ev, now);
        return i;
    }

    ObjectNode userDetail(User u) {
        ObjectNode d = Json.object();
        d.put("created_at", u.createdAt.toString());
        putText(d, "email", u.email());
        putText(d, "external_id", u.externalId);
        d.putNull("default_group_id");
        d.put("id", Long.toString(u.id));
        putText(d, "organization_id", u.organizationId == null ? null : u.organizationId.toString());
        d.put("role", u.role);
        d.put("updated_at", u.updatedAt.toString());
        return d;
    }

    // ------------------------------------------------------------------ organizations

    private void indexOrg(Org org) {
        ExportKey old = orgKeys.put(org.id, new ExportKey(org.updatedAt.getEpochSecond(), org.id));
        if (old != null) {
            orgIndex.remove(old);
        }
        orgIndex.put(orgKeys.get(org.id), org.id);
    }

    private void validateOrg(JsonNode in, Org self, List<Invalid> problems) {
        String name = text(in, "name");
        if (self == null && (name == null || name.isBlank())) {
            problems.add(new Invalid("name", "Name: cannot be blank", "BlankValue"));
        }
        if (name != null && !name.isBlank()) {
            Long holder = orgsByName.get(name.toLowerCase(Locale.ROOT));
            if (holder != null && (self == null || holder != self.id)) {
                problems.add(new Invalid("name", "Name: has already been taken", "DuplicateValue"));
            }
        }
        JsonNode domains = in.get("domain_names");
        if (domains != null && !domains.isNull() && !domains.isArray()) {
            problems.add(new Invalid("domain_names", "Domain names: must be an array of domains", "InvalidValue"));
        }
    }

    Org createOrg(Origin o, JsonNode in) {
        List<Invalid> problems = new ArrayList<>();
        validateOrg(in, null, problems);
        if (!problems.isEmpty()) {
            throw ZendeskErrors.recordInvalid(problems);
        }
        Instant now = now();
        lastOrgId += 1 + idSteps.nextInt(9);
        Org org = new Org(lastOrgId, now);
        applyOrg(org, in);
        orgs.put(org.id, org);
        indexOrg(org);
        record(o, "organizations", org.id, "CREATE", props(in));
        events.publish("zen:event-type:organization.created", "zen:organization:" + org.id, orgDetail(org),
                Json.object(), now);
        return org;
    }

    private void applyOrg(Org org, JsonNode in) {
        String name = text(in, "name");
        if (name != null && !name.isBlank()) {
            if (org.name != null) {
                orgsByName.remove(org.name.toLowerCase(Locale.ROOT));
            }
            org.name = name;
            orgsByName.put(name.toLowerCase(Locale.ROOT), org.id);
        }
        if (in.has("external_id")) {
            String ext = text(in, "external_id");
            org.externalId = ext == null || ext.isEmpty() ? null : ext;
        }
        if (in.has("domain_names")) {
            List<String> d = new ArrayList<>();
            in.get("domain_names").forEach(n -> d.add(n.asText().toLowerCase(Locale.ROOT)));
            org.domainNames = d;
        }
        if (in.has("details")) {
            org.details = Objects.requireNonNullElse(text(in, "details"), "");
        }
        if (in.has("notes")) {
            org.notes = Objects.requireNonNullElse(text(in, "notes"), "");
        }
        if (in.has("group_id")) {
            org.groupId = in.get("group_id").isNull() ? null : in.get("group_id").asLong();
        }
        if (in.has("shared_tickets")) {
            org.sharedTickets = in.get("shared_tickets").asBoolean();
        }
        if (in.has("shared_comments")) {
            org.sharedComments = in.get("shared_comments").asBoolean();
        }
        if (in.has("tags")) {
            org.tags = new LinkedHashSet<>(tagList(in.get("tags")));
        }
        JsonNode fields = in.get("organization_fields");
        if (fields != null && fields.isObject()) {
            fields.fields().forEachRemaining(f -> org.organizationFields.set(f.getKey(), f.getValue().deepCopy()));
        }
    }

    Org updateOrg(Origin o, Org org, JsonNode in) {
        List<Invalid> problems = new ArrayList<>();
        validateOrg(in, org, problems);
        if (!problems.isEmpty()) {
            throw ZendeskErrors.recordInvalid(problems);
        }
        String nameBefore = org.name;
        String extBefore = org.externalId;
        applyOrg(org, in);
        Instant now = now();
        org.updatedAt = now;
        indexOrg(org);
        record(o, "organizations", org.id, "UPDATE", props(in));
        publishChange("organization", org.id, orgDetail(org), "name_changed", nameBefore, org.name, now);
        publishChange("organization", org.id, orgDetail(org), "external_id_changed", extBefore, org.externalId, now);
        return org;
    }

    void deleteOrg(Origin o, Org org) {
        Instant now = now();
        org.deletedAt = now;
        org.updatedAt = now;
        orgsByName.remove(org.name.toLowerCase(Locale.ROOT));
        for (User u : users.values()) {
            if (Objects.equals(u.organizationId, org.id)) {
                u.organizationId = null;
                u.updatedAt = now;
                indexUser(u);
            }
        }
        indexOrg(org);
        record(o, "organizations", org.id, "DELETE", Map.of());
        events.publish("zen:event-type:organization.deleted", "zen:organization:" + org.id, orgDetail(org),
                Json.object(), now);
    }

    ObjectNode orgDetail(Org org) {
        ObjectNode d = Json.object();
        d.put("created_at", org.createdAt.toString());
        putText(d, "external_id", org.externalId);
        putText(d, "group_id", org.groupId == null ? null : org.groupId.toString());
        d.put("id", Long.toString(org.id));
        d.put("name", org.name);
        d.put("shared_comments", org.sharedComments);
        d.put("shared_tickets", org.sharedTickets);
        d.put("updated_at", org.updatedAt.toString());
        return d;
    }

    // ------------------------------------------------------------------ tickets

    private void indexTicket(Ticket t) {
        ExportKey old = ticketKeys.put(t.id, new ExportKey(t.generatedTimestamp, t.id));
        if (old != null) {
            ticketIndex.remove(old);
        }
        ticketIndex.put(ticketKeys.get(t.id), t.id);
    }

    /** The requester a ticket names: {@code requester_id}, or {@code requester {name, email}} (found or created). */
    private Long requester(Origin o, JsonNode in, List<Invalid> problems, boolean create) {
        if (in.has("requester_id") && !in.get("requester_id").isNull()) {
            Long id = longValue(in, "requester_id", problems, "Requester");
            if (id != null && (users.get(id) == null || !users.get(id).active)) {
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
            User existing = userByEmail(email);
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
            return createUser(o, u).id;
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
            if (a != null && (users.get(a) == null || !users.get(a).staff() || !users.get(a).active)) {
                problems.add(new Invalid("assignee", "Assignee: " + a + " is not an agent of this account",
                        "InvalidValue"));
            }
        }
        if (in.has("organization_id") && !in.get("organization_id").isNull()) {
            Long org = longValue(in, "organization_id", problems, "Organization");
            if (org != null && org(org) == null) {
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
            if (author != null && users.get(author) == null) {
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
    Audit createTicket(Origin o, JsonNode in) {
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
        Instant now = now();
        lastTicketId += 1;
        Ticket t = new Ticket(lastTicketId, o.channel(), now);
        t.requesterId = requesterId != null ? requesterId : o.actorId();
        t.submitterId = o.actorId();
        User requester = users.get(t.requesterId);
        t.organizationId = requester == null ? null : requester.organizationId;
        t.subject = text(in, "subject");
        t.description = body;
        Audit audit = new Audit(nextEventId(), t.id, o.actorId(), o.channel(), now);
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
        tickets.put(t.id, t);
        indexTicket(t);
        audits.put(new ExportKey(now.getEpochSecond(), audit.id), audit);
        record(o, "tickets", t.id, "CREATE", props(in));
        events.publish("zen:event-type:ticket.created", "zen:ticket:" + t.id, ticketDetail(t, o.actorId()),
                Json.object(), now);
        return audit;
    }

    private void createEvent(Audit audit, String field, String value) {
        if (value == null) {
            return;
        }
        ObjectNode e = audit.events.addObject();
        e.put("id", nextEventId());
        e.put("type", "Create");
        e.put("value", value);
        e.put("field_name", field);
    }

    private void changeEvent(Audit audit, String field, String previous, String value) {
        ObjectNode e = audit.events.addObject();
        e.put("id", nextEventId());
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
        Comment c = new Comment(nextEventId(), audit.id, authorId, body, htmlBody, isPublic, audit.channel, at);
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
        java.util.function.BiConsumer<String, String> set = (field, value) -> {
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
     * Updates a ticket: fields, tags and an optional {@code comment}. With {@code safe_update} the ticket must still
     * have {@code updated_stamp} as its {@code updated_at} (to the second), else 409. Closed tickets refuse changes.
     */
    Audit updateTicket(Origin o, Ticket t, JsonNode in) {
        if (in.path("safe_update").asBoolean(false)) {
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
        Instant now = now();
        Audit audit = new Audit(nextEventId(), t.id, o.actorId(), o.channel(), now);
        Map<String, String> previous = applyTicketFields(t, in, false);
        Comment added = null;
        if (body != null) {
            boolean isPublic = !comment.has("public") || comment.get("public").asBoolean(true);
            long authorId = comment.has("author_id") && !comment.get("author_id").isNull()
                    ? comment.get("author_id").asLong() : o.actorId();
            added = addComment(t, audit, authorId, body, text(comment, "html_body"), isPublic, now);
            // An agent's public reply opens a new ticket, as the agent interface does.
            if (t.status.equals("new") && !previous.containsKey("status") && users.get(authorId) != null
                    && users.get(authorId).staff()) {
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
        indexTicket(t);
        audits.put(new ExportKey(now.getEpochSecond(), audit.id), audit);
        Map<String, String> props = props(in);
        props.remove("comment");
        if (!props.isEmpty() || added == null) {
            record(o, "tickets", t.id, "UPDATE", props);
        }
        if (added != null) {
            record(o, "tickets", t.id, "COMMENT", Map.of("comment_id", Long.toString(added.id), "body", added.body,
                    "public", Boolean.toString(added.isPublic)));
        }
        ObjectNode detail = ticketDetail(t, o.actorId());
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
            publishChange("ticket", t.id, detail, what, prev, cur, now);
        }
        if (added != null) {
            ObjectNode ev = Json.object();
            ObjectNode c = ev.putObject("comment");
            User author = users.get(added.authorId);
            ObjectNode a = c.putObject("author");
            a.put("id", Long.toString(added.authorId));
            a.put("is_staff", author != null && author.staff());
            a.put("name", author == null ? "" : author.name);
            c.put("body", added.body);
            c.put("id", Long.toString(added.id));
            c.put("is_public", added.isPublic);
            events.publish("zen:event-type:ticket.comment_added", "zen:ticket:" + t.id, detail, ev, now);
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
    void deleteTicket(Origin o, Ticket t) {
        Instant now = now();
        Audit audit = new Audit(nextEventId(), t.id, o.actorId(), o.channel(), now);
        changeEvent(audit, "status", t.status, "deleted");
        t.status = "deleted";
        t.updatedAt = now;
        t.generatedTimestamp = now.getEpochSecond();
        indexTicket(t);
        audits.put(new ExportKey(now.getEpochSecond(), audit.id), audit);
        record(o, "tickets", t.id, "DELETE", Map.of());
        events.publish("zen:event-type:ticket.soft_deleted", "zen:ticket:" + t.id, ticketDetail(t, o.actorId()),
                Json.object(), now);
    }

    ObjectNode ticketDetail(Ticket t, long actorId) {
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

    // ------------------------------------------------------------------ incremental export reads

    /** Export entries of {@code kind} ({@code tickets}, {@code users}, {@code organizations}) after/at a key. */
    List<ExportKey> exportKeys(String kind, ExportKey from, boolean inclusive, long cutoff, int limit) {
        TreeMap<ExportKey, ?> index = switch (kind) {
            case "tickets" -> ticketIndex;
            case "users" -> userIndex;
            case "organizations" -> orgIndex;
            case "ticket_events" -> audits;
            default -> throw new IllegalArgumentException(kind);
        };
        List<ExportKey> out = new ArrayList<>();
        for (ExportKey k : index.tailMap(from, inclusive).keySet()) {
            if (k.ts() > cutoff || out.size() >= limit) {
                break;
            }
            out.add(k);
        }
        return out;
    }

    Audit audit(ExportKey key) {
        return audits.get(key);
    }
}
