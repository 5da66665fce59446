package io.syncline.sandbox.support;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.ApiException;
import io.syncline.sandbox.core.ApiRequest;
import io.syncline.sandbox.core.ApiResponse;
import io.syncline.sandbox.core.IdGenerator;
import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.core.SandboxServer;
import io.syncline.sandbox.core.WebhookDispatcher;

/**
 * Zendesk's Webhooks API ({@code /api/v2/webhooks}, no {@code .json}) and event delivery: every change the store
 * publishes goes, as Zendesk's event payload, to each active webhook subscribed to its {@code zen:event-type:…},
 * signed by {@link ZendeskSignature}.
 */
final class SupportWebhooks {

    /** The event types the sandbox emits, which webhooks may subscribe to. */
    static final Set<String> EVENT_TYPES = new TreeSet<>(List.of(
            "zen:event-type:user.created", "zen:event-type:user.deleted", "zen:event-type:user.name_changed",
            "zen:event-type:user.role_changed", "zen:event-type:user.external_id_changed",
            "zen:event-type:user.organization_membership_changed", "zen:event-type:user.identity_created",
            "zen:event-type:organization.created", "zen:event-type:organization.deleted",
            "zen:event-type:organization.name_changed", "zen:event-type:organization.external_id_changed",
            "zen:event-type:ticket.created", "zen:event-type:ticket.status_changed",
            "zen:event-type:ticket.priority_changed", "zen:event-type:ticket.type_changed",
            "zen:event-type:ticket.subject_changed", "zen:event-type:ticket.tags_changed",
            "zen:event-type:ticket.external_id_changed", "zen:event-type:ticket.agent_assignment_changed",
            "zen:event-type:ticket.requester_changed", "zen:event-type:ticket.organization_changed",
            "zen:event-type:ticket.comment_added", "zen:event-type:ticket.soft_deleted"));

    /** Accepted for trigger- and automation-connected webhooks; the sandbox has no triggers, so these get nothing. */
    static final Set<String> TRIGGER_SUBSCRIPTIONS = Set.of("conditional_ticket_events");

    record Webhook(String id, String name, String endpoint, String status, List<String> subscriptions,
                   String secret, Instant createdAt) {
    }

    private final Map<String, Webhook> webhooks = new LinkedHashMap<>();
    private final WebhookDispatcher dispatcher;
    private final ZendeskSignature signer;
    private final IdGenerator ids;
    private final Clock clock;
    private final long accountId;

    SupportWebhooks(WebhookDispatcher dispatcher, ZendeskSignature signer, IdGenerator ids, Clock clock,
                    long accountId) {
        this.dispatcher = dispatcher;
        this.signer = signer;
        this.ids = ids;
        this.clock = clock;
        this.accountId = accountId;
    }

    /** Sends one event to every active webhook subscribed to its type. */
    void publish(String type, String subject, ObjectNode detail, ObjectNode event, Instant at) {
        List<Webhook> targets = new ArrayList<>();
        synchronized (webhooks) {
            for (Webhook w : webhooks.values()) {
                if (w.status.equals("active") && w.subscriptions.contains(type)) {
                    targets.add(w);
                }
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        ObjectNode payload = Json.object();
        payload.put("account_id", accountId);
        payload.set("detail", detail);
        payload.set("event", event);
        String id = ids.uuid();
        payload.put("id", id);
        payload.put("subject", subject);
        payload.put("time", at.toString());
        payload.put("type", type);
        payload.put("zendesk_event_version", "2022-11-06");
        byte[] body = Json.bytes(payload);
        for (Webhook w : targets) {
            dispatcher.deliver(new WebhookDispatcher.Target(w.id, URI.create(w.endpoint), w.secret), id, body);
        }
    }

    /** Creates a webhook as {@code POST /api/v2/webhooks} would; {@code subscriptions} empty means every type. */
    Webhook create(String name, String endpoint, List<String> subscriptions, String status) {
        return create(name, endpoint, subscriptions, status, null);
    }

    /** As {@link #create(String, String, List, String)}, signing with {@code givenSecret} unless it is null. */
    Webhook create(String name, String endpoint, List<String> subscriptions, String status, String givenSecret) {
        List<String> problems = new ArrayList<>();
        if (name == null || name.isBlank()) {
            problems.add("name is required");
        }
        if (endpoint == null || !(endpoint.startsWith("http://") || endpoint.startsWith("https://"))) {
            problems.add("endpoint must be an http(s) URL, got " + endpoint);
        } else {
            try {
                URI.create(endpoint).toURL();
            } catch (IllegalArgumentException | java.net.MalformedURLException e) {
                problems.add("endpoint is not a valid URL: " + endpoint);
            }
        }
        if (!"active".equals(status) && !"inactive".equals(status)) {
            problems.add("status must be active or inactive, got " + status);
        }
        List<String> subs = subscriptions.isEmpty() ? new ArrayList<>(EVENT_TYPES) : subscriptions;
        for (String s : subs) {
            if (!EVENT_TYPES.contains(s) && !TRIGGER_SUBSCRIPTIONS.contains(s)) {
                problems.add("subscription " + s + " is not an event type this sandbox emits; known: " + EVENT_TYPES
                        + " or conditional_ticket_events");
            }
        }
        if (!problems.isEmpty()) {
            throw invalid(String.join("; ", problems));
        }
        String id = "01" + ids.next("", 24).toUpperCase(Locale.ROOT);
        String drawn = java.util.Base64.getEncoder().encodeToString(ids.hex(64).getBytes(
                java.nio.charset.StandardCharsets.US_ASCII)).substring(0, 44);
        // Drawn even when a secret is given, so the ids and secrets of later webhooks stay the seed's.
        String secret = givenSecret == null ? drawn : givenSecret;
        Webhook w = new Webhook(id, name, endpoint, status, List.copyOf(subs), secret, clock.instant());
        signer.register(secret, id);
        synchronized (webhooks) {
            webhooks.put(id, w);
        }
        return w;
    }

    private static ApiException invalid(String detail) {
        ObjectNode n = Json.object();
        ObjectNode e = n.putArray("errors").addObject();
        e.put("code", "InvalidInput");
        e.put("title", "Invalid input");
        e.put("detail", detail);
        return new ApiException(ApiResponse.json(400, n));
    }

    private static ApiException notFound(String id) {
        ObjectNode n = Json.object();
        ObjectNode e = n.putArray("errors").addObject();
        e.put("code", "WebhookNotFound");
        e.put("title", "Webhook not found");
        e.put("detail", "No webhook with id " + id);
        return new ApiException(ApiResponse.json(404, n));
    }

    private Webhook find(ApiRequest req) {
        String id = req.pathParam("id");
        synchronized (webhooks) {
            Webhook w = webhooks.get(id);
            if (w == null) {
                throw notFound(id);
            }
            return w;
        }
    }

    private static ObjectNode json(Webhook w) {
        ObjectNode n = Json.object();
        n.put("id", w.id);
        n.put("name", w.name);
        n.put("status", w.status);
        n.put("endpoint", w.endpoint);
        n.put("http_method", "POST");
        n.put("request_format", "json");
        ArrayNode subs = n.putArray("subscriptions");
        w.subscriptions.forEach(subs::add);
        n.put("created_at", w.createdAt.toString());
        n.put("created_by", "sandbox");
        n.put("updated_at", w.createdAt.toString());
        n.put("updated_by", "sandbox");
        n.put("signing_secret", Json.object().put("algorithm", "SHA256").putNull("secret"));
        return n;
    }

    void register(SandboxServer.Routes r) {
        r.get("/api/v2/webhooks", req -> {
            ObjectNode out = Json.object();
            ArrayNode data = out.putArray("webhooks");
            synchronized (webhooks) {
                webhooks.values().forEach(w -> data.add(json(w)));
            }
            out.putObject("meta").put("has_more", false).putNull("after_cursor").putNull("before_cursor");
            out.putObject("links").putNull("next").putNull("prev");
            return ApiResponse.ok(out);
        });
        r.post("/api/v2/webhooks", req -> {
            JsonNode in = req.json().get("webhook");
            if (in == null || !in.isObject()) {
                throw invalid("the body must be {\"webhook\": {\"name\", \"endpoint\", \"subscriptions\", …}}");
            }
            String method = in.path("http_method").asText("POST");
            if (!method.equalsIgnoreCase("POST")) {
                throw invalid("http_method " + method + " is not simulated; the sandbox delivers with POST");
            }
            String format = in.path("request_format").asText("json");
            if (!format.equals("json")) {
                throw invalid("request_format " + format + " is not simulated; the sandbox sends json");
            }
            List<String> subs = new ArrayList<>();
            in.path("subscriptions").forEach(s -> subs.add(s.asText()));
            if (subs.isEmpty()) {
                throw invalid("subscriptions must list at least one event type");
            }
            Webhook w = create(in.path("name").asText(null), in.path("endpoint").asText(null), subs,
                    in.path("status").asText("active"));
            ObjectNode out = Json.object();
            out.set("webhook", json(w));
            return ApiResponse.json(201, out);
        });
        r.get("/api/v2/webhooks/{id}", req -> {
            ObjectNode out = Json.object();
            out.set("webhook", json(find(req)));
            return ApiResponse.ok(out);
        });
        r.delete("/api/v2/webhooks/{id}", req -> {
            Webhook w = find(req);
            synchronized (webhooks) {
                webhooks.remove(w.id);
            }
            return ApiResponse.empty(204);
        });
        r.get("/api/v2/webhooks/{id}/signing_secret", req -> {
            Webhook w = find(req);
            ObjectNode out = Json.object();
            out.putObject("signing_secret").put("algorithm", "SHA256").put("secret", w.secret);
            return ApiResponse.ok(out);
        });
    }
}
