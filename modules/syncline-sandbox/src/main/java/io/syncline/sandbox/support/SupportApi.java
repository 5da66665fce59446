package io.syncline.sandbox.support;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.HandlerType;
import io.syncline.sandbox.core.ApiHandler;
import io.syncline.sandbox.core.ApiRequest;
import io.syncline.sandbox.core.ApiResponse;
import io.syncline.sandbox.core.IdempotencyCache;
import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.core.SandboxServer;
import io.syncline.sandbox.support.SupportModel.Audit;
import io.syncline.sandbox.support.SupportModel.Comment;
import io.syncline.sandbox.support.SupportModel.Identity;
import io.syncline.sandbox.support.SupportModel.Org;
import io.syncline.sandbox.support.SupportModel.Ticket;
import io.syncline.sandbox.support.SupportModel.User;

/** Zendesk Support API v2 endpoints for users, identities, organizations, tickets, comments and search. */
final class SupportApi {

    static final int MAX_SHOW_MANY = 100;

    private final SupportStore store;
    private final IdempotencyCache idempotency;
    private final SupportSearch search;

    SupportApi(SupportStore store, IdempotencyCache idempotency, Clock clock) {
        this.store = store;
        this.idempotency = idempotency;
        this.search = new SupportSearch(store, clock);
    }

    /** Registers {@code path} and {@code path.json}: Zendesk answers both, and clients use either. */
    static void both(SandboxServer.Routes r, HandlerType method, String path, ApiHandler h) {
        r.route(method, path + ".json", h);
        r.route(method, path, h);
    }

    void register(SandboxServer.Routes r) {
        String users = "/api/v2/users";
        both(r, HandlerType.GET, users + "/me", this::me);
        both(r, HandlerType.GET, users + "/show_many", req -> showMany(req, "users"));
        both(r, HandlerType.GET, users + "/search", this::searchUsers);
        both(r, HandlerType.POST, users + "/create_or_update", this::createOrUpdateUser);
        both(r, HandlerType.GET, users, this::listUsers);
        both(r, HandlerType.POST, users, this::createUser);
        both(r, HandlerType.GET, users + "/{id}/identities", this::listIdentities);
        both(r, HandlerType.POST, users + "/{id}/identities", this::createIdentity);
        r.get(users + "/{id}/identities/{identity}", this::showIdentity);
        both(r, HandlerType.GET, users + "/{id}/tickets/requested", this::requestedTickets);
        r.get(users + "/{id}", req -> userResponse(req, 200, user(req)));
        r.put(users + "/{id}", this::updateUser);
        r.delete(users + "/{id}", this::deleteUser);

        String orgs = "/api/v2/organizations";
        both(r, HandlerType.GET, orgs + "/show_many", req -> showMany(req, "organizations"));
        both(r, HandlerType.POST, orgs + "/create_or_update", this::createOrUpdateOrg);
        both(r, HandlerType.GET, orgs, this::listOrgs);
        both(r, HandlerType.POST, orgs, this::createOrg);
        both(r, HandlerType.GET, orgs + "/{id}/users", this::orgUsers);
        both(r, HandlerType.GET, orgs + "/{id}/tickets", this::orgTickets);
        r.get(orgs + "/{id}", req -> orgResponse(req, 200, org(req)));
        r.put(orgs + "/{id}", this::updateOrg);
        r.delete(orgs + "/{id}", this::deleteOrg);

        String tickets = "/api/v2/tickets";
        both(r, HandlerType.GET, tickets + "/show_many", req -> showMany(req, "tickets"));
        both(r, HandlerType.GET, tickets, this::listTickets);
        both(r, HandlerType.POST, tickets, idempotentCreate(this::createTicket));
        both(r, HandlerType.GET, tickets + "/{id}/comments", this::listComments);
        r.get(tickets + "/{id}", req -> store.locked(() -> {
            ObjectNode out = Json.object();
            out.set("ticket", ZendeskJson.ticket(req.baseUrl(), ticket(req)));
            return ApiResponse.ok(out);
        }));
        r.put(tickets + "/{id}", this::updateTicket);
        r.delete(tickets + "/{id}", this::deleteTicket);

        both(r, HandlerType.GET, "/api/v2/search/count", search::count);
        both(r, HandlerType.GET, "/api/v2/search", search::search);
    }

    // ------------------------------------------------------------------ plumbing

    static long actor(ApiRequest req) {
        Long id = req.attribute(ZendeskAuthenticator.USER_ID);
        return id == null ? 0 : id;
    }

    static SupportStore.Origin origin(ApiRequest req) {
        return new SupportStore.Origin(actor(req), req.requestId(), req.method(), req.path(),
                req.header("Idempotency-Key"), "api");
    }

    /** A numeric path id; {@code 123.json} is accepted as Zendesk's paths end in {@code .json}. */
    static long pathId(ApiRequest req, String name) {
        String raw = req.pathParam(name);
        if (raw.endsWith(".json")) {
            raw = raw.substring(0, raw.length() - 5);
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ZendeskErrors.invalidEndpoint();
        }
    }

    /** The object under {@code root} in the JSON body ({@code {"ticket": {…}}}); 400 when absent. */
    static JsonNode root(ApiRequest req, String root) {
        JsonNode body = req.json();
        JsonNode in = body.get(root);
        if (in == null || !in.isObject()) {
            throw ZendeskErrors.parameterMissing(root);
        }
        return in;
    }

    private User user(ApiRequest req) {
        long id = pathId(req, "id");
        User u = store.locked(() -> store.user(id));
        if (u == null) {
            throw ZendeskErrors.recordNotFound();
        }
        return u;
    }

    private Org org(ApiRequest req) {
        long id = pathId(req, "id");
        Org o = store.locked(() -> store.org(id));
        if (o == null) {
            throw ZendeskErrors.recordNotFound();
        }
        return o;
    }

    private Ticket ticket(ApiRequest req) {
        long id = pathId(req, "id");
        Ticket t = store.locked(() -> store.ticket(id));
        if (t == null) {
            throw ZendeskErrors.recordNotFound();
        }
        return t;
    }

    private ApiResponse userResponse(ApiRequest req, int status, User u) {
        return store.locked(() -> {
            ObjectNode out = Json.object();
            out.set("user", ZendeskJson.user(req.baseUrl(), u));
            return ApiResponse.json(status, out);
        });
    }

    private ApiResponse orgResponse(ApiRequest req, int status, Org o) {
        return store.locked(() -> {
            ObjectNode out = Json.object();
            out.set("organization", ZendeskJson.org(req.baseUrl(), o));
            return ApiResponse.json(status, out);
        });
    }

    private static List<String> csv(String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String s : text.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ users

    private ApiResponse me(ApiRequest req) {
        User u = store.locked(() -> store.user(actor(req)));
        if (u == null) {
            throw ZendeskErrors.couldNotAuthenticate();
        }
        return userResponse(req, 200, u);
    }

    private ApiResponse listUsers(ApiRequest req) {
        Set<String> roles = new LinkedHashSet<>(csv(ZendeskPaging.param(req, "role")));
        roles.addAll(csv(ZendeskPaging.param(req, "role[]")));
        for (String role : roles) {
            if (!SupportStore.ROLES.contains(role)) {
                throw ZendeskErrors.badRequest("role must be end-user, agent or admin, got " + role);
            }
        }
        String external = ZendeskPaging.param(req, "external_id");
        return store.locked(() -> {
            List<User> matches = new ArrayList<>();
            for (User u : store.allUsers()) {
                if (u.active && (roles.isEmpty() || roles.contains(u.role))
                        && (external == null || external.equals(u.externalId))) {
                    matches.add(u);
                }
            }
            return ApiResponse.ok(ZendeskPaging.page(req, "users", matches, u -> u.id,
                    u -> ZendeskJson.user(req.baseUrl(), u)));
        });
    }

    private ApiResponse createUser(ApiRequest req) {
        JsonNode in = root(req, "user");
        User u = store.locked(() -> store.users().create(origin(req), in));
        return userResponse(req, 201, u);
    }

    /** Matches by any e-mail identity, then by external_id; 201 when created, 200 when updated. */
    private ApiResponse createOrUpdateUser(ApiRequest req) {
        JsonNode in = root(req, "user");
        boolean[] created = new boolean[1];
        User u = store.locked(() -> {
            User existing = in.hasNonNull("email") ? store.userByEmail(in.get("email").asText()) : null;
            if (existing == null && in.hasNonNull("external_id")) {
                existing = store.userByExternalId(in.get("external_id").asText());
            }
            if (existing == null) {
                created[0] = true;
                return store.users().create(origin(req), in);
            }
            return store.users().update(origin(req), existing, in);
        });
        return userResponse(req, created[0] ? 201 : 200, u);
    }

    private ApiResponse updateUser(ApiRequest req) {
        User u = user(req);
        JsonNode in = root(req, "user");
        store.locked(() -> store.users().update(origin(req), u, in));
        return userResponse(req, 200, u);
    }

    private ApiResponse deleteUser(ApiRequest req) {
        User u = user(req);
        if (u.id == actor(req)) {
            throw ZendeskErrors.recordInvalid("base", "You cannot delete yourself", "InvalidValue");
        }
        store.locked(() -> store.users().delete(origin(req), u));
        return userResponse(req, 200, u);
    }

    private ApiResponse listIdentities(ApiRequest req) {
        User u = user(req);
        return store.locked(() -> ApiResponse.ok(ZendeskPaging.page(req, "identities", new ArrayList<>(u.identities),
                i -> i.id, i -> ZendeskJson.identity(req.baseUrl(), i))));
    }

    private ApiResponse createIdentity(ApiRequest req) {
        User u = user(req);
        JsonNode in = root(req, "identity");
        return store.locked(() -> {
            ObjectNode out = Json.object();
            Identity created = store.users().createIdentity(origin(req), u, in);
            out.set("identity", ZendeskJson.identity(req.baseUrl(), created));
            return ApiResponse.json(201, out);
        });
    }

    private ApiResponse showIdentity(ApiRequest req) {
        User u = user(req);
        long id = pathId(req, "identity");
        return store.locked(() -> {
            for (var i : u.identities) {
                if (i.id == id) {
                    ObjectNode out = Json.object();
                    out.set("identity", ZendeskJson.identity(req.baseUrl(), i));
                    return ApiResponse.ok(out);
                }
            }
            throw ZendeskErrors.recordNotFound();
        });
    }

    private ApiResponse searchUsers(ApiRequest req) {
        String external = ZendeskPaging.param(req, "external_id");
        String query = ZendeskPaging.param(req, "query");
        if (external == null && query == null) {
            throw ZendeskErrors.badRequest("query or external_id is required");
        }
        if (external != null) {
            return store.locked(() -> {
                List<User> found = new ArrayList<>();
                User u = store.userByExternalId(external);
                if (u != null) {
                    found.add(u);
                }
                return ApiResponse.ok(ZendeskPaging.page(req, "users", found, x -> x.id,
                        x -> ZendeskJson.user(req.baseUrl(), x)));
            });
        }
        return store.locked(() -> {
            List<User> matches = new ArrayList<>();
            String q = query.trim().toLowerCase(Locale.ROOT);
            for (User u : store.allUsers()) {
                if (u.active && (u.name.toLowerCase(Locale.ROOT).contains(q) || (u.email() != null
                        && u.email().contains(q)) || q.equals(u.externalId) || (u.phone != null
                        && u.phone.contains(q)))) {
                    matches.add(u);
                }
            }
            return ApiResponse.ok(ZendeskPaging.page(req, "users", matches, u -> u.id,
                    u -> ZendeskJson.user(req.baseUrl(), u)));
        });
    }

    private ApiResponse requestedTickets(ApiRequest req) {
        User u = user(req);
        return ticketList(req, t -> t.requesterId == u.id);
    }

    // ------------------------------------------------------------------ show_many

    private ApiResponse showMany(ApiRequest req, String kind) {
        List<String> ids = csv(ZendeskPaging.param(req, "ids"));
        List<String> externalIds = csv(ZendeskPaging.param(req, "external_ids"));
        if (ids.isEmpty() && externalIds.isEmpty()) {
            throw ZendeskErrors.badRequest("ids (or external_ids) is required: a comma-separated list of up to "
                    + MAX_SHOW_MANY);
        }
        if (ids.size() > MAX_SHOW_MANY || externalIds.size() > MAX_SHOW_MANY) {
            throw ZendeskErrors.badRequest("at most " + MAX_SHOW_MANY + " ids per request, got "
                    + Math.max(ids.size(), externalIds.size()));
        }
        return store.locked(() -> {
            ObjectNode out = Json.object();
            ArrayNode data = out.putArray(kind);
            for (String raw : ids) {
                long id;
                try {
                    id = Long.parseLong(raw);
                } catch (NumberFormatException e) {
                    continue; // Zendesk skips ids it cannot read, as it skips unknown ones
                }
                switch (kind) {
                    case "users" -> {
                        User u = store.user(id);
                        if (u != null) {
                            data.add(ZendeskJson.user(req.baseUrl(), u));
                        }
                    }
                    case "organizations" -> {
                        Org o = store.org(id);
                        if (o != null) {
                            data.add(ZendeskJson.org(req.baseUrl(), o));
                        }
                    }
                    default -> {
                        Ticket t = store.ticket(id);
                        if (t != null) {
                            data.add(ZendeskJson.ticket(req.baseUrl(), t));
                        }
                    }
                }
            }
            for (String ext : externalIds) {
                if (kind.equals("users")) {
                    User u = store.userByExternalId(ext);
                    if (u != null) {
                        data.add(ZendeskJson.user(req.baseUrl(), u));
                    }
                } else if (kind.equals("organizations")) {
                    Org o = store.orgByExternalId(ext);
                    if (o != null) {
                        data.add(ZendeskJson.org(req.baseUrl(), o));
                    }
                }
            }
            out.putNull("next_page");
            out.putNull("previous_page");
            out.put("count", data.size());
            return ApiResponse.ok(out);
        });
    }

    // ------------------------------------------------------------------ organizations

    private ApiResponse listOrgs(ApiRequest req) {
        return store.locked(() -> {
            List<Org> all = new ArrayList<>();
            for (Org o : store.allOrgs()) {
                if (o.deletedAt == null) {
                    all.add(o);
                }
            }
            return ApiResponse.ok(ZendeskPaging.page(req, "organizations", all, o -> o.id,
                    o -> ZendeskJson.org(req.baseUrl(), o)));
        });
    }

    private ApiResponse createOrg(ApiRequest req) {
        JsonNode in = root(req, "organization");
        Org o = store.locked(() -> store.orgs().create(origin(req), in));
        return orgResponse(req, 201, o);
    }

    /** Matches by {@code id}, then {@code external_id}; 201 when created, 200 when updated. */
    private ApiResponse createOrUpdateOrg(ApiRequest req) {
        JsonNode in = root(req, "organization");
        boolean[] created = new boolean[1];
        Org o = store.locked(() -> {
            Org existing = in.hasNonNull("id") ? store.org(in.get("id").asLong()) : null;
            if (existing == null && in.hasNonNull("external_id")) {
                existing = store.orgByExternalId(in.get("external_id").asText());
            }
            if (existing == null) {
                created[0] = true;
                return store.orgs().create(origin(req), in);
            }
            return store.orgs().update(origin(req), existing, in);
        });
        return orgResponse(req, created[0] ? 201 : 200, o);
    }

    private ApiResponse updateOrg(ApiRequest req) {
        Org o = org(req);
        JsonNode in = root(req, "organization");
        store.locked(() -> store.orgs().update(origin(req), o, in));
        return orgResponse(req, 200, o);
    }

    private ApiResponse deleteOrg(ApiRequest req) {
        Org o = org(req);
        store.locked(() -> store.orgs().delete(origin(req), o));
        return ApiResponse.empty(204);
    }

    private ApiResponse orgUsers(ApiRequest req) {
        Org o = org(req);
        return store.locked(() -> {
            List<User> members = new ArrayList<>();
            for (User u : store.allUsers()) {
                if (u.active && Long.valueOf(o.id).equals(u.organizationId)) {
                    members.add(u);
                }
            }
            return ApiResponse.ok(ZendeskPaging.page(req, "users", members, u -> u.id,
                    u -> ZendeskJson.user(req.baseUrl(), u)));
        });
    }

    private ApiResponse orgTickets(ApiRequest req) {
        Org o = org(req);
        return ticketList(req, t -> Long.valueOf(o.id).equals(t.organizationId));
    }

    // ------------------------------------------------------------------ tickets

    private ApiResponse listTickets(ApiRequest req) {
        String external = ZendeskPaging.param(req, "external_id");
        return ticketList(req, t -> external == null || external.equals(t.externalId));
    }

    /** Lists live tickets in id order ({@code sort_order=desc} reverses it on offset pages). */
    private ApiResponse ticketList(ApiRequest req, java.util.function.Predicate<Ticket> filter) {
        return store.locked(() -> {
            List<Ticket> matches = new ArrayList<>();
            for (Ticket t : store.allTickets()) {
                if (!t.deleted() && filter.test(t)) {
                    matches.add(t);
                }
            }
            if (!ZendeskPaging.cursorMode(req) && "desc".equals(ZendeskPaging.param(req, "sort_order"))) {
                matches.sort(Comparator.comparingLong((Ticket t) -> t.id).reversed());
            }
            return ApiResponse.ok(ZendeskPaging.page(req, "tickets", matches, t -> t.id,
                    t -> ZendeskJson.ticket(req.baseUrl(), t)));
        });
    }

    /**
     * Zendesk's ticket-create idempotency: the same {@code Idempotency-Key} and body within 2 hours get the first
     * answer again ({@code x-idempotency-lookup: hit}) instead of a second ticket; the same key with another body is
     * a 400 {@code IdempotentRequestError}.
     */
    private ApiHandler idempotentCreate(ApiHandler handler) {
        return req -> {
            String key = req.header("Idempotency-Key");
            if (key == null || key.isEmpty()) {
                return handler.handle(req);
            }
            String fingerprint = req.body() == null ? "" : req.body().trim();
            IdempotencyCache.Outcome outcome = idempotency.begin(req.principal(), key, fingerprint);
            if (outcome instanceof IdempotencyCache.Replay replay) {
                return replay.response().withHeader("x-idempotency-lookup", "hit");
            }
            if (outcome instanceof IdempotencyCache.Mismatch) {
                throw ZendeskErrors.error(400, "IdempotentRequestError", "The idempotency key must be used with the "
                        + "same request parameters.");
            }
            if (outcome instanceof IdempotencyCache.InFlight) {
                throw ZendeskErrors.error(409, "IdempotentRequestError", "A request with this idempotency key is "
                        + "still being processed; retry later.");
            }
            // Zendesk keeps only successful answers; an error leaves the key free for a corrected retry.
            return idempotency.execute(req.principal(), key, req, handler,
                    resp -> resp.status() >= 200 && resp.status() < 300, resp -> resp)
                    .withHeader("x-idempotency-lookup", "miss");
        };
    }

    private ApiResponse ticketAndAudit(ApiRequest req, int status, Ticket t, Audit audit) {
        ObjectNode out = Json.object();
        out.set("ticket", ZendeskJson.ticket(req.baseUrl(), t));
        out.set("audit", ZendeskJson.audit(audit));
        ApiResponse resp = ApiResponse.json(status, out);
        return status == 201 ? resp.withHeader("Location", req.baseUrl() + "/api/v2/tickets/" + t.id + ".json")
                : resp;
    }

    private ApiResponse createTicket(ApiRequest req) {
        JsonNode in = root(req, "ticket");
        return store.locked(() -> {
            Audit audit = store.tickets().create(origin(req), in);
            return ticketAndAudit(req, 201, store.ticket(audit.ticketId), audit);
        });
    }

    private ApiResponse updateTicket(ApiRequest req) {
        Ticket t = ticket(req);
        JsonNode in = root(req, "ticket");
        return store.locked(() -> ticketAndAudit(req, 200, t, store.tickets().update(origin(req), t, in)));
    }

    private ApiResponse deleteTicket(ApiRequest req) {
        Ticket t = ticket(req);
        store.locked(() -> store.tickets().delete(origin(req), t));
        return ApiResponse.empty(204);
    }

    /** Comments oldest first ({@code sort_order=desc} for newest first). */
    private ApiResponse listComments(ApiRequest req) {
        Ticket t = ticket(req);
        String order = ZendeskPaging.param(req, "sort_order");
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw ZendeskErrors.badRequest("sort_order must be asc or desc, got " + order);
        }
        return store.locked(() -> {
            List<Comment> comments = new ArrayList<>(t.comments);
            boolean desc = "desc".equals(order);
            if (desc) {
                comments.sort(Comparator.comparingLong((Comment c) -> c.id).reversed());
            }
            // Cursors name comment ids; for newest-first walks they count down, so negate them to keep "after" = next.
            return ApiResponse.ok(ZendeskPaging.page(req, "comments", comments, c -> desc ? -c.id : c.id,
                    ZendeskJson::comment));
        });
    }

}
