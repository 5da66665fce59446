package io.syncline.sandbox.support;

import static io.syncline.sandbox.support.SupportInput.props;
import static io.syncline.sandbox.support.SupportInput.putText;
import static io.syncline.sandbox.support.SupportInput.tagList;
import static io.syncline.sandbox.support.SupportInput.text;

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
import io.syncline.sandbox.support.SupportModel.Org;
import io.syncline.sandbox.support.SupportModel.User;
import io.syncline.sandbox.support.SupportStore.Origin;
import io.syncline.sandbox.support.ZendeskErrors.Invalid;

/**
 * Organizations with Zendesk's rules: unique names (case-insensitive), create, update and soft delete, which also
 * detaches the members; each change is recorded and published as a {@code zen:event-type:organization.*} event.
 * Callers hold the store's lock.
 */
final class SupportOrgs {

    private final SupportStore store;

    SupportOrgs(SupportStore store) {
        this.store = store;
    }

    private void validateOrg(JsonNode in, Org self, List<Invalid> problems) {
        String name = text(in, "name");
        if (self == null && (name == null || name.isBlank())) {
            problems.add(new Invalid("name", "Name: cannot be blank", "BlankValue"));
        }
        if (name != null && !name.isBlank()) {
            Long holder = store.orgIdByName(name);
            if (holder != null && (self == null || holder != self.id)) {
                problems.add(new Invalid("name", "Name: has already been taken", "DuplicateValue"));
            }
        }
        JsonNode domains = in.get("domain_names");
        if (domains != null && !domains.isNull() && !domains.isArray()) {
            problems.add(new Invalid("domain_names", "Domain names: must be an array of domains", "InvalidValue"));
        }
    }

    Org create(Origin o, JsonNode in) {
        List<Invalid> problems = new ArrayList<>();
        validateOrg(in, null, problems);
        if (!problems.isEmpty()) {
            throw ZendeskErrors.recordInvalid(problems);
        }
        Instant now = store.now();
        Org org = new Org(store.nextOrgId(), now);
        applyOrg(org, in);
        store.addOrg(org);
        store.indexOrg(org);
        store.record(o, "organizations", org.id, "CREATE", props(in));
        store.publish("zen:event-type:organization.created", "zen:organization:" + org.id, detail(org),
                Json.object(), now);
        return org;
    }

    private void applyOrg(Org org, JsonNode in) {
        String name = text(in, "name");
        if (name != null && !name.isBlank()) {
            store.renameOrg(org, name);
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

    Org update(Origin o, Org org, JsonNode in) {
        List<Invalid> problems = new ArrayList<>();
        validateOrg(in, org, problems);
        if (!problems.isEmpty()) {
            throw ZendeskErrors.recordInvalid(problems);
        }
        String nameBefore = org.name;
        String extBefore = org.externalId;
        applyOrg(org, in);
        Instant now = store.now();
        org.updatedAt = now;
        store.indexOrg(org);
        store.record(o, "organizations", org.id, "UPDATE", props(in));
        store.publishChange("organization", org.id, detail(org), "name_changed", nameBefore, org.name, now);
        store.publishChange("organization", org.id, detail(org), "external_id_changed", extBefore, org.externalId, now);
        return org;
    }

    void delete(Origin o, Org org) {
        Instant now = store.now();
        org.deletedAt = now;
        org.updatedAt = now;
        store.forgetOrgName(org);
        for (User u : store.allUsers()) {
            if (Objects.equals(u.organizationId, org.id)) {
                u.organizationId = null;
                u.updatedAt = now;
                store.indexUser(u);
            }
        }
        store.indexOrg(org);
        store.record(o, "organizations", org.id, "DELETE", Map.of());
        store.publish("zen:event-type:organization.deleted", "zen:organization:" + org.id, detail(org),
                Json.object(), now);
    }

    private static ObjectNode detail(Org org) {
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
}
