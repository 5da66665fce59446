package io.syncline.sandbox.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.ApiRequest;
import io.syncline.sandbox.core.ApiResponse;
import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.support.SupportModel.Org;
import io.syncline.sandbox.support.SupportModel.Ticket;
import io.syncline.sandbox.support.SupportModel.User;

/**
 * {@code GET /api/v2/search.json?query=…}: Zendesk's search syntax over tickets, users and organizations —
 * {@code type:ticket}, {@code field:value}, {@code field>value}, {@code <}, {@code >=}, {@code <=}, quoted phrases,
 * {@code -} negation, trailing {@code *} wildcards, relative dates ({@code updated>2hours}), and bare words over the
 * text fields. Offset pages of at most 100, at most 1,000 results reachable per query.
 */
final class SupportSearch {

    static final int MAX_RESULTS = 1000;
    private static final List<String> PRIORITY_ORDER = List.of("low", "normal", "high", "urgent");
    private static final Pattern TERM = Pattern.compile("(-?)([a-z_]+)(>=|<=|:|>|<)(\"[^\"]*\"|\\S+)");
    private static final Pattern RELATIVE = Pattern.compile("(\\d+)(minutes?|hours?|days?|weeks?|months?|years?)");

    /** One parsed condition; {@code field} null for a bare word. */
    private record Term(boolean negated, String field, String op, String value) {
    }

    private record Hit(String type, long id, Instant createdAt, Instant updatedAt, Object record) {
    }

    private final SupportStore store;
    private final Clock clock;

    SupportSearch(SupportStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    ApiResponse count(ApiRequest req) {
        List<Hit> hits = run(req);
        return ApiResponse.ok(Json.object().put("count", hits.size()));
    }

    ApiResponse search(ApiRequest req) {
        List<Hit> hits = run(req);
        int perPage = Math.min(100, ZendeskPaging.intParam(req, "per_page", 100, 1, Integer.MAX_VALUE));
        int page = ZendeskPaging.intParam(req, "page", 1, 1, Integer.MAX_VALUE);
        long from = (long) (page - 1) * perPage;
        if (from + perPage > MAX_RESULTS && from >= MAX_RESULTS) {
            throw ZendeskErrors.error(422, "invalid", "Search cannot page beyond " + MAX_RESULTS + " results; "
                    + "narrow the query (e.g. updated>…) or use the incremental exports");
        }
        return store.locked(() -> {
            ObjectNode out = Json.object();
            var results = out.putArray("results");
            for (long i = from; i < Math.min(hits.size(), Math.min(from + perPage, MAX_RESULTS)); i++) {
                Hit h = hits.get((int) i);
                ObjectNode n = switch (h.type) {
                    case "ticket" -> ZendeskJson.ticket(req.baseUrl(), (Ticket) h.record);
                    case "user" -> ZendeskJson.user(req.baseUrl(), (User) h.record);
                    default -> ZendeskJson.org(req.baseUrl(), (Org) h.record);
                };
                n.put("result_type", h.type);
                results.add(n);
            }
            out.putNull("facets");
            boolean more = from + perPage < Math.min(hits.size(), MAX_RESULTS);
            if (more) {
                out.put("next_page", ZendeskPaging.link(req, Map.of("page", Integer.toString(page + 1),
                        "per_page", Integer.toString(perPage))));
            } else {
                out.putNull("next_page");
            }
            if (page > 1) {
                out.put("previous_page", ZendeskPaging.link(req, Map.of("page", Integer.toString(page - 1),
                        "per_page", Integer.toString(perPage))));
            } else {
                out.putNull("previous_page");
            }
            out.put("count", hits.size());
            return ApiResponse.ok(out);
        });
    }

    private List<Hit> run(ApiRequest req) {
        String query = ZendeskPaging.param(req, "query");
        if (query == null || query.isBlank()) {
            throw ZendeskErrors.badRequest("query is required, e.g. query=type:ticket status:open");
        }
        List<Term> terms = parse(query);
        String type = null;
        List<Term> conditions = new ArrayList<>();
        for (Term t : terms) {
            if ("type".equals(t.field) && t.op.equals(":") && !t.negated) {
                type = t.value.toLowerCase(Locale.ROOT);
                if (!List.of("ticket", "user", "organization").contains(type)) {
                    throw ZendeskErrors.badRequest("type must be ticket, user or organization, got " + t.value);
                }
            } else {
                conditions.add(t);
            }
        }
        String sortBy = ZendeskPaging.param(req, "sort_by");
        String sortOrder = ZendeskPaging.param(req, "sort_order");
        if (sortBy != null && !List.of("updated_at", "created_at", "priority", "status", "ticket_type")
                .contains(sortBy)) {
            throw ZendeskErrors.badRequest("sort_by must be one of updated_at, created_at, priority, status, "
                    + "ticket_type, got " + sortBy);
        }
        if (sortOrder != null && !sortOrder.equals("asc") && !sortOrder.equals("desc")) {
            throw ZendeskErrors.badRequest("sort_order must be asc or desc, got " + sortOrder);
        }
        String only = type;
        return store.locked(() -> {
            List<Hit> hits = new ArrayList<>();
            if (only == null || only.equals("ticket")) {
                for (Ticket t : store.allTickets()) {
                    if (!t.deleted() && conditions.stream().allMatch(c -> c.negated != matches(t, c))) {
                        hits.add(new Hit("ticket", t.id, t.createdAt, t.updatedAt, t));
                    }
                }
            }
            if (only == null || only.equals("user")) {
                for (User u : store.allUsers()) {
                    if (u.active && conditions.stream().allMatch(c -> c.negated != matches(u, c))) {
                        hits.add(new Hit("user", u.id, u.createdAt, u.updatedAt, u));
                    }
                }
            }
            if (only == null || only.equals("organization")) {
                for (Org o : store.allOrgs()) {
                    if (o.deletedAt == null && conditions.stream().allMatch(c -> c.negated != matches(o, c))) {
                        hits.add(new Hit("organization", o.id, o.createdAt, o.updatedAt, o));
                    }
                }
            }
            Comparator<Hit> order = Comparator.comparingLong(h -> h.id);
            if (sortBy != null) {
                Comparator<Hit> key = switch (sortBy) {
                    case "created_at" -> Comparator.comparing(h -> h.createdAt);
                    case "updated_at" -> Comparator.comparing(h -> h.updatedAt);
                    case "priority" -> Comparator.comparingInt(h -> h.record instanceof Ticket t && t.priority != null
                            ? PRIORITY_ORDER.indexOf(t.priority) : -1);
                    case "status" -> Comparator.comparingInt(h -> h.record instanceof Ticket t
                            ? SupportStore.STATUSES.indexOf(t.status) : -1);
                    default -> Comparator.comparing(h -> h.record instanceof Ticket t && t.type != null ? t.type : "");
                };
                order = key.thenComparing(order);
                if (!"asc".equals(sortOrder)) {
                    order = order.reversed();
                }
            }
            hits.sort(order);
            return hits;
        });
    }

    private static List<Term> parse(String query) {
        List<Term> out = new ArrayList<>();
        Matcher tokens = Pattern.compile("-?[a-z_]+(?:>=|<=|:|>|<)\"[^\"]*\"|-?\"[^\"]*\"|\\S+").matcher(query.trim());
        while (tokens.find()) {
            String token = tokens.group();
            Matcher m = TERM.matcher(token);
            if (m.matches()) {
                String v = m.group(4);
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                out.add(new Term(!m.group(1).isEmpty(), m.group(2), m.group(3), v));
            } else {
                boolean negated = token.startsWith("-") && token.length() > 1;
                String v = negated ? token.substring(1) : token;
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                out.add(new Term(negated, null, ":", v));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ matching

    private static boolean text(String haystack, String value) {
        if (haystack == null) {
            return false;
        }
        String h = haystack.toLowerCase(Locale.ROOT);
        String v = value.toLowerCase(Locale.ROOT);
        if (v.endsWith("*")) {
            String prefix = v.substring(0, v.length() - 1);
            for (String word : h.split("[^\\p{L}\\p{N}@._+-]+")) {
                if (word.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }
        return h.contains(v);
    }

    private static boolean exact(String actual, String value) {
        return actual != null && actual.equalsIgnoreCase(value);
    }

    private static boolean tags(Collection<String> tags, String value) {
        return tags.contains(value.toLowerCase(Locale.ROOT));
    }

    private static boolean ordinal(List<String> order, String actual, String op, String value) {
        int a = actual == null ? -1 : order.indexOf(actual);
        int v = order.indexOf(value.toLowerCase(Locale.ROOT));
        if (v < 0) {
            return false;
        }
        return switch (op) {
            case ">" -> a > v;
            case "<" -> a >= 0 && a < v;
            case ">=" -> a >= v;
            case "<=" -> a >= 0 && a <= v;
            default -> a == v;
        };
    }

    /** A date condition: {@code 2024-05-01}, an ISO time, or relative ({@code 2hours} = two hours ago). */
    private boolean date(Instant actual, String op, String value) {
        Instant at;
        boolean day = false;
        Matcher rel = RELATIVE.matcher(value.toLowerCase(Locale.ROOT));
        if (rel.matches()) {
            long n = Long.parseLong(rel.group(1));
            String unit = rel.group(2);
            Duration d = unit.startsWith("minute") ? Duration.ofMinutes(n) : unit.startsWith("hour")
                    ? Duration.ofHours(n) : unit.startsWith("day") ? Duration.ofDays(n) : unit.startsWith("week")
                    ? Duration.ofDays(7 * n) : unit.startsWith("month") ? Duration.ofDays(30 * n)
                    : Duration.ofDays(365 * n);
            at = clock.instant().minus(d);
        } else {
            at = SupportInput.parseTime(value);
            day = value.trim().length() == 10;
            if (at == null) {
                throw ZendeskErrors.badRequest("'" + value + "' is not a date: use 2024-05-01, an ISO-8601 time or a "
                        + "relative time such as 2hours");
            }
        }
        Instant end = day ? at.plus(1, ChronoUnit.DAYS) : at;
        return switch (op) {
            case ">" -> day ? !actual.isBefore(end) : actual.isAfter(at);
            case ">=" -> !actual.isBefore(at);
            case "<" -> actual.isBefore(at);
            case "<=" -> day ? actual.isBefore(end) : !actual.isAfter(at);
            default -> day ? !actual.isBefore(at) && actual.isBefore(end) : actual.equals(at);
        };
    }

    private User userRef(String value) {
        if (value.matches("\\d+")) {
            return store.user(Long.parseLong(value));
        }
        return store.userByEmail(value);
    }

    private boolean matches(Ticket t, Term c) {
        if (c.field == null) {
            return text(t.subject, c.value) || text(t.description, c.value)
                    || t.comments.stream().anyMatch(cm -> text(cm.body, c.value));
        }
        return switch (c.field) {
            case "status" -> ordinal(SupportStore.STATUSES, t.status, c.op, c.value);
            case "priority" -> ordinal(PRIORITY_ORDER, t.priority, c.op, c.value);
            case "ticket_type" -> exact(t.type, c.value);
            case "subject" -> text(t.subject, c.value);
            case "description" -> text(t.description, c.value);
            case "comment" -> t.comments.stream().anyMatch(cm -> text(cm.body, c.value));
            case "tags", "tag" -> tags(t.tags, c.value);
            case "external_id" -> exact(t.externalId, c.value);
            case "requester" -> {
                User u = userRef(c.value);
                yield u != null && u.id == t.requesterId;
            }
            case "assignee" -> c.value.equals("none") ? t.assigneeId == null : userRef(c.value) != null
                    && Long.valueOf(userRef(c.value).id).equals(t.assigneeId);
            case "organization" -> c.value.equals("none") ? t.organizationId == null
                    : t.organizationId != null && (c.value.equals(t.organizationId.toString())
                    || (store.org(t.organizationId) != null && exact(store.org(t.organizationId).name, c.value)));
            case "created" -> date(t.createdAt, c.op, c.value);
            case "updated" -> date(t.updatedAt, c.op, c.value);
            default -> text(t.subject, c.field + c.op + c.value) || text(t.description, c.field + c.op + c.value);
        };
    }

    private boolean matches(User u, Term c) {
        if (c.field == null) {
            return text(u.name, c.value) || text(u.email(), c.value);
        }
        return switch (c.field) {
            case "name" -> text(u.name, c.value);
            case "email" -> u.identities.stream().anyMatch(i -> i.type.equals("email")
                    && (c.value.endsWith("*") ? text(i.value, c.value) : exact(i.value, c.value)));
            case "role" -> exact(u.role, c.value);
            case "external_id" -> exact(u.externalId, c.value);
            case "phone" -> text(u.phone, c.value);
            case "tags", "tag" -> tags(u.tags, c.value);
            case "organization" -> u.organizationId != null && (c.value.equals(u.organizationId.toString())
                    || (store.org(u.organizationId) != null && exact(store.org(u.organizationId).name, c.value)));
            case "created" -> date(u.createdAt, c.op, c.value);
            case "updated" -> date(u.updatedAt, c.op, c.value);
            default -> text(u.name, c.field + c.op + c.value);
        };
    }

    private boolean matches(Org o, Term c) {
        if (c.field == null) {
            return text(o.name, c.value) || text(o.details, c.value);
        }
        return switch (c.field) {
            case "name" -> text(o.name, c.value);
            case "external_id" -> exact(o.externalId, c.value);
            case "tags", "tag" -> tags(o.tags, c.value);
            case "created" -> date(o.createdAt, c.op, c.value);
            case "updated" -> date(o.updatedAt, c.op, c.value);
            default -> text(o.name, c.field + c.op + c.value);
        };
    }
}
