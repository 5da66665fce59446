package io.syncline.sandbox.support;

import static io.syncline.sandbox.support.SupportInput.EMAIL;
import static io.syncline.sandbox.support.SupportInput.longValue;
import static io.syncline.sandbox.support.SupportInput.props;
import static io.syncline.sandbox.support.SupportInput.putText;
import static io.syncline.sandbox.support.SupportInput.tagList;
import static io.syncline.sandbox.support.SupportInput.text;
import static io.syncline.sandbox.support.SupportStore.ROLES;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.support.SupportModel.Identity;
import io.syncline.sandbox.support.SupportModel.User;
import io.syncline.sandbox.support.SupportStore.Origin;
import io.syncline.sandbox.support.ZendeskErrors.Invalid;

/**
 * Users with Zendesk's rules: create (a name from the e-mail when none is given), update (a new e-mail becomes the
 * primary identity), soft delete, and extra identities; each change is validated first (422 with every problem),
 * then recorded and published as a {@code zen:event-type:user.*} event. Callers hold the store's lock.
 */
final class SupportUsers {

    private final SupportStore store;

    SupportUsers(SupportStore store) {
        this.store = store;
    }

    /** Creates a user from a {@code user} object; 422 for a missing name, a bad or taken e-mail, etc. */
    User create(Origin o, JsonNode in) {
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
        Instant now = store.now();
        User u = new User(store.nextUserId(), now);
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
        store.addUser(u);
        store.indexUser(u);
        store.record(o, "users", u.id, "CREATE", props(in));
        store.publish("zen:event-type:user.created", "zen:user:" + u.id, detail(u), Json.object(), now);
        return u;
    }

    private Identity addIdentity(User u, String type, String value, boolean primary, Instant at) {
        Identity i = new Identity(store.nextEventId(), u.id, type, type.equals("email") ? value.toLowerCase(Locale.ROOT)
                : value, primary, at);
        u.identities.add(i);
        if (type.equals("email")) {
            store.indexEmail(i.value, u.id);
        }
        return i;
    }

    private void checkEmail(String email, User self, List<Invalid> problems) {
        if (!EMAIL.matcher(email).matches()) {
            problems.add(new Invalid("email", "Email: " + email + " is not properly formatted", "InvalidFormat"));
            return;
        }
        User holder = store.userByEmail(email);
        if (holder != null && (self == null || holder.id != self.id)) {
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
            if (org != null && store.org(org) == null) {
                problems.add(new Invalid("organization_id", "Organization: " + org + " does not exist",
                        "InvalidValue"));
            }
        }
        String ext = text(in, "external_id");
        if (ext != null && !ext.isEmpty()) {
            User holder = store.userByExternalId(ext);
            if (holder != null && (self == null || holder.id != self.id)) {
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
            store.setExternalId(u, ext == null || ext.isEmpty() ? null : ext);
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
    User update(Origin o, User u, JsonNode in) {
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
        Instant now = store.now();
        if (email != null) {
            User holder = store.userByEmail(email);
            if (holder == null) {
                u.identities.forEach(i -> i.primary = false);
                Identity added = addIdentity(u, "email", email, true, now);
                ObjectNode ev = Json.object();
                ev.putObject("identity").put("id", Long.toString(added.id)).put("type", "email")
                        .put("value", added.value).put("primary", true);
                store.publish("zen:event-type:user.identity_created", "zen:user:" + u.id, detail(u), ev, now);
            }
        }
        u.updatedAt = now;
        store.indexUser(u);
        store.record(o, "users", u.id, "UPDATE", props(in));
        store.publishChange("user", u.id, detail(u), "name_changed", nameBefore, u.name, now);
        store.publishChange("user", u.id, detail(u), "role_changed", roleBefore, u.role, now);
        store.publishChange("user", u.id, detail(u), "external_id_changed", extBefore, u.externalId, now);
        store.publishChange("user", u.id, detail(u), "organization_membership_changed",
                orgBefore == null ? null : orgBefore.toString(),
                u.organizationId == null ? null : u.organizationId.toString(), now);
        return u;
    }

    /** Soft delete: the user stays readable with {@code active: false}, as Zendesk keeps deleted users. */
    User delete(Origin o, User u) {
        if (!u.active) {
            return u;
        }
        Instant now = store.now();
        u.active = false;
        u.updatedAt = now;
        store.indexUser(u);
        store.record(o, "users", u.id, "DELETE", Map.of());
        store.publish("zen:event-type:user.deleted", "zen:user:" + u.id, detail(u), Json.object(), now);
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
        Instant now = store.now();
        boolean primary = u.identities.stream().noneMatch(i -> i.type.equals(type));
        Identity i = addIdentity(u, type, value, primary, now);
        u.updatedAt = now;
        store.indexUser(u);
        store.record(o, "identities", i.id, "CREATE", props(in));
        ObjectNode ev = Json.object();
        ev.putObject("identity").put("id", Long.toString(i.id)).put("type", i.type).put("value", i.value)
                .put("primary", i.primary);
        store.publish("zen:event-type:user.identity_created", "zen:user:" + u.id, detail(u), ev, now);
        return i;
    }

    private static ObjectNode detail(User u) {
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
}
