package io.syncline.sandbox.support;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.HandlerType;
import io.syncline.sandbox.core.ApiRequest;
import io.syncline.sandbox.core.ApiResponse;
import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.core.RollingWindowRateLimiter;
import io.syncline.sandbox.core.SandboxServer;
import io.syncline.sandbox.support.SupportModel.ExportKey;
import io.syncline.sandbox.support.SupportModel.Org;
import io.syncline.sandbox.support.SupportModel.Ticket;

/**
 * Zendesk's incremental exports. Time-based ({@code /api/v2/incremental/{tickets,users,organizations,
 * ticket_events}.json?start_time=}): up to 1,000 items a page ordered by change time, {@code end_time} = the last
 * item's time and {@code next_page} starting there, so items sharing that second come again on the next page.
 * Cursor-based ({@code /api/v2/incremental/{tickets,users}/cursor.json?start_time=|cursor=}): {@code after_cursor}
 * names the last item exactly, so nothing repeats; a time-based page whose thousand items share one second takes all
 * of that second (more than 1,000) and ends after it, so paging cannot loop; at {@code end_of_stream} the cursor is kept for the next poll.
 * Changes of the last {@code exclusion} (Zendesk: one minute) are left out until they are older, and these endpoints
 * have their own, lower rate limit (Zendesk: 10 a minute).
 */
final class SupportExports {

    static final int PAGE = 1000;
    static final int SAMPLE = 50;

    private final SupportStore store;
    private final Clock clock;
    private final RollingWindowRateLimiter limiter;
    private volatile Duration exclusion;

    SupportExports(SupportStore store, Clock clock, RollingWindowRateLimiter limiter, Duration exclusion) {
        this.store = store;
        this.clock = clock;
        this.limiter = limiter;
        this.exclusion = exclusion;
    }

    void register(SandboxServer.Routes r) {
        String base = "/api/v2/incremental/";
        for (String kind : List.of("tickets", "users")) {
            SupportApi.both(r, HandlerType.GET, base + kind + "/cursor", req -> cursorBased(req, kind));
        }
        for (String kind : List.of("tickets", "users", "organizations")) {
            SupportApi.both(r, HandlerType.GET, base + kind + "/sample", req -> timeBased(req, kind, SAMPLE));
        }
        for (String kind : List.of("tickets", "users", "organizations", "ticket_events")) {
            SupportApi.both(r, HandlerType.GET, base + kind, req -> timeBased(req, kind, PAGE));
        }
    }

    private void limit(ApiRequest req) {
        if (limiter == null) {
            return;
        }
        Duration wait = limiter.tryAcquire(req.principal());
        if (!wait.isZero()) {
            throw new io.syncline.sandbox.core.ApiException(ZendeskDialect.tooManyRequests(wait,
                    limiter.maxRequests()));
        }
    }

    /** The newest change time (epoch seconds) exports may show now. */
    private long cutoff() {
        return clock.instant().minus(exclusion).getEpochSecond();
    }

    private long startTime(ApiRequest req, long cutoff) {
        String v = ZendeskPaging.param(req, "start_time");
        if (v == null || v.isBlank()) {
            throw ZendeskErrors.badRequest("start_time is required: a Unix time in seconds");
        }
        long start;
        try {
            start = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ZendeskErrors.badRequest("start_time must be a Unix time in seconds, got " + v);
        }
        if (start < 0) {
            throw ZendeskErrors.badRequest("start_time must not be negative, got " + v);
        }
        if (start > cutoff) {
            throw ZendeskErrors.error(422, "InvalidValue", "Too recent start_time. Use a start_time at least "
                    + exclusion.toSeconds() + " seconds in the past");
        }
        return start;
    }

    private ObjectNode render(ApiRequest req, String kind, ExportKey key, boolean withComments) {
        return switch (kind) {
            case "tickets" -> ZendeskJson.ticket(req.baseUrl(), store.anyTicket(key.id()));
            case "users" -> ZendeskJson.user(req.baseUrl(), store.user(key.id()));
            case "organizations" -> ZendeskJson.exportedOrg(req.baseUrl(), orgIncludingDeleted(key.id()));
            default -> ZendeskJson.ticketEvent(store.audit(key), withComments);
        };
    }

    private Org orgIncludingDeleted(long id) {
        for (Org o : store.allOrgs()) {
            if (o.id == id) {
                return o;
            }
        }
        throw new IllegalStateException("organization " + id + " is indexed but not stored");
    }

    private boolean excluded(ApiRequest req, String kind, ExportKey k) {
        if (kind.equals("tickets") && "true".equals(ZendeskPaging.param(req, "exclude_deleted"))) {
            Ticket t = store.anyTicket(k.id());
            return t != null && t.deleted();
        }
        return false;
    }

    private ApiResponse timeBased(ApiRequest req, String kind, int pageSize) {
        limit(req);
        long cutoff = cutoff();
        long start = startTime(req, cutoff);
        String include = ZendeskPaging.param(req, "include");
        boolean comments = include != null && include.contains("comment_events");
        return store.locked(() -> {
            List<ExportKey> keys = store.exportKeys(kind, new ExportKey(start, Long.MIN_VALUE), true, cutoff,
                    pageSize);
            boolean endOfStream = keys.size() < pageSize;
            long second = keys.isEmpty() ? -1 : keys.get(0).ts();
            boolean wholeSecond = !endOfStream && keys.get(keys.size() - 1).ts() == second;
            if (wholeSecond) {
                // A full page within one second would send the next request (starting at that second) back to the
                // same page for ever; take every item of that second instead, so the next page moves on.
                keys = store.exportKeys(kind, new ExportKey(second, Long.MIN_VALUE), true, second, Integer.MAX_VALUE);
                endOfStream = store.exportKeys(kind, new ExportKey(second, Long.MAX_VALUE), false, cutoff, 1)
                        .isEmpty();
            }
            ObjectNode out = Json.object();
            ArrayNode data = out.putArray(kind);
            int count = 0;
            for (ExportKey k : keys) {
                if (!excluded(req, kind, k)) {
                    data.add(render(req, kind, k, comments));
                    count++;
                }
            }
            // After a whole second the next page starts past it: every item of that second is on this page.
            long endTime = keys.isEmpty() ? cutoff : wholeSecond ? second + 1 : keys.get(keys.size() - 1).ts();
            out.put("next_page", ZendeskPaging.link(req, Map.of("start_time", Long.toString(endTime))));
            out.put("count", count);
            out.put("end_time", endTime);
            out.put("end_of_stream", endOfStream);
            return ApiResponse.ok(out);
        });
    }

    /**
     * Zendesk-style opaque cursor: base64 of {@code "<seconds>.0||<id>|"}, URL-safe and unpadded so it can be put in a
     * query string as it is.
     */
    static String encode(ExportKey k) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((k.ts() + ".0||" + k.id() + "|")
                .getBytes(StandardCharsets.UTF_8));
    }

    static ExportKey decode(String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
            String[] parts = s.split("\\|\\|");
            if (parts.length == 2 && parts[0].endsWith(".0") && parts[1].endsWith("|")) {
                return new ExportKey(Long.parseLong(parts[0].substring(0, parts[0].length() - 2)),
                        Long.parseLong(parts[1].substring(0, parts[1].length() - 1)));
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw ZendeskErrors.badRequest("cursor is not one this API issued; use after_cursor of a previous page, or "
                + "start_time to begin again");
    }

    private ApiResponse cursorBased(ApiRequest req, String kind) {
        limit(req);
        long cutoff = cutoff();
        String cursor = ZendeskPaging.param(req, "cursor");
        int perPage = ZendeskPaging.intParam(req, "per_page", PAGE, 1, PAGE);
        ExportKey from;
        boolean inclusive;
        if (cursor != null && !cursor.isBlank()) {
            from = decode(cursor);
            inclusive = false;
        } else {
            from = new ExportKey(startTime(req, cutoff), Long.MIN_VALUE);
            inclusive = true;
        }
        return store.locked(() -> {
            List<ExportKey> keys = store.exportKeys(kind, from, inclusive, cutoff, perPage + 1);
            boolean more = keys.size() > perPage;
            if (more) {
                keys = new ArrayList<>(keys.subList(0, perPage));
            }
            ObjectNode out = Json.object();
            ArrayNode data = out.putArray(kind);
            for (ExportKey k : keys) {
                if (!excluded(req, kind, k)) {
                    data.add(render(req, kind, k, false));
                }
            }
            ExportKey after;
            if (!keys.isEmpty()) {
                after = keys.get(keys.size() - 1);
            } else {
                // Everything up to the cutoff has been read: resume after it (later changes get later times).
                ExportKey edge = new ExportKey(cutoff, Long.MAX_VALUE);
                after = edge.compareTo(from) > 0 ? edge : from;
            }
            String afterCursor = encode(after);
            Map<String, String> next = new LinkedHashMap<>();
            next.put("start_time", null);
            next.put("cursor", afterCursor);
            out.put("after_url", ZendeskPaging.link(req, next));
            out.put("after_cursor", afterCursor);
            out.putNull("before_url");
            out.putNull("before_cursor");
            out.put("end_of_stream", !more);
            return ApiResponse.ok(out);
        });
    }

    void exclusion(Duration d) {
        this.exclusion = d;
    }

    Duration exclusion() {
        return exclusion;
    }

}
