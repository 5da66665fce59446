package io.syncline.sandbox.support;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.ApiRequest;
import io.syncline.sandbox.core.Json;

/**
 * Zendesk's two list pagination styles. Offset: {@code page}, {@code per_page} (≤ 100) and
 * {@code next_page}/{@code previous_page}/{@code count}. Cursor (chosen by {@code page[size]} ≤ 100):
 * {@code page[after]}/{@code page[before]}, {@code meta {has_more, after_cursor, before_cursor}} and
 * {@code links {next, prev}}. Items are ordered by id (or the caller's order); a cursor names the id it stopped at,
 * so a walk neither skips nor repeats an item that existed when it began.
 */
final class ZendeskPaging {

    static final int MAX_PAGE_SIZE = 100;

    private ZendeskPaging() {
    }

    /** The first value of a plain query parameter (bracketed names such as {@code page[size]} taken literally). */
    static String param(ApiRequest req, String name) {
        String qs = req.queryString();
        if (qs == null) {
            return null;
        }
        for (String pair : qs.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (k.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The request's URL with some query parameters replaced (null value removes one), for next/prev links. */
    static String link(ApiRequest req, Map<String, String> replace) {
        Map<String, String> params = new LinkedHashMap<>();
        String qs = req.queryString();
        if (qs != null && !qs.isEmpty()) {
            for (String pair : qs.split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.putIfAbsent(k, v);
            }
        }
        replace.forEach((k, v) -> {
            params.remove(k);
            if (v != null) {
                params.put(k, v);
            }
        });
        StringBuilder sb = new StringBuilder(req.baseUrl()).append(req.path());
        char sep = '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            // Brackets stay literal, as Zendesk's own links show them.
            sb.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8).replace("%5B", "[")
                    .replace("%5D", "]")).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return sb.toString();
    }

    static int intParam(ApiRequest req, String name, int dflt, int min, int max) {
        String v = param(req, name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw ZendeskErrors.error(400, "InvalidPaginationParameter", name + " must be a whole number, got " + v);
        }
        if (n < min || n > max) {
            throw ZendeskErrors.error(400, "InvalidPaginationParameter", name + " must be between " + min + " and "
                    + max + ", got " + n);
        }
        return n;
    }

    static boolean cursorMode(ApiRequest req) {
        return param(req, "page[size]") != null || param(req, "page[after]") != null
                || param(req, "page[before]") != null;
    }

    static String encodeCursor(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"o\":\"id\",\"v\":" + id + "}").getBytes(StandardCharsets.UTF_8));
    }

    static long decodeCursor(String cursor, String param) {
        try {
            JsonNode n = Json.read(new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8));
            if (n.path("v").canConvertToLong()) {
                return n.path("v").asLong();
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw ZendeskErrors.error(400, "InvalidPaginationParameter", param + " is not a cursor this API issued; use "
                + "meta.after_cursor or meta.before_cursor of a previous page");
    }

    /**
     * Renders one page of {@code items} (already filtered and in the list's order; {@code key} gives the id cursors
     * name, ascending in that order) under {@code root}, in the style the request chose.
     */
    static <T> ObjectNode page(ApiRequest req, String root, List<T> items, ToLongFunction<T> key,
                               Function<T, ObjectNode> render) {
        ObjectNode out = Json.object();
        ArrayNode data = out.putArray(root);
        if (cursorMode(req)) {
            int size = intParam(req, "page[size]", MAX_PAGE_SIZE, 1, MAX_PAGE_SIZE);
            String after = param(req, "page[after]");
            String before = param(req, "page[before]");
            List<T> window;
            boolean hasMore;
            if (before != null && !before.isEmpty()) {
                long b = decodeCursor(before, "page[before]");
                List<T> earlier = new ArrayList<>();
                for (T t : items) {
                    if (key.applyAsLong(t) < b) {
                        earlier.add(t);
                    }
                }
                int from = Math.max(0, earlier.size() - size);
                window = earlier.subList(from, earlier.size());
                hasMore = from > 0;
            } else {
                long a = after == null || after.isEmpty() ? Long.MIN_VALUE : decodeCursor(after, "page[after]");
                window = new ArrayList<>();
                hasMore = false;
                for (T t : items) {
                    if (key.applyAsLong(t) > a) {
                        if (window.size() == size) {
                            hasMore = true;
                            break;
                        }
                        window.add(t);
                    }
                }
            }
            window.forEach(t -> data.add(render.apply(t)));
            ObjectNode meta = out.putObject("meta");
            meta.put("has_more", hasMore);
            ObjectNode links = out.putObject("links");
            if (window.isEmpty()) {
                meta.putNull("after_cursor");
                meta.putNull("before_cursor");
                links.putNull("prev");
                links.putNull("next");
            } else {
                String ac = encodeCursor(key.applyAsLong(window.get(window.size() - 1)));
                String bc = encodeCursor(key.applyAsLong(window.get(0)));
                meta.put("after_cursor", ac);
                meta.put("before_cursor", bc);
                Map<String, String> prev = new LinkedHashMap<>();
                prev.put("page[size]", Integer.toString(size));
                prev.put("page[after]", null);
                prev.put("page[before]", bc);
                links.put("prev", link(req, prev));
                Map<String, String> next = new LinkedHashMap<>();
                next.put("page[size]", Integer.toString(size));
                next.put("page[before]", null);
                next.put("page[after]", ac);
                links.put("next", link(req, next));
            }
            return out;
        }
        int perPage = Math.min(MAX_PAGE_SIZE, intParam(req, "per_page", MAX_PAGE_SIZE, 1, Integer.MAX_VALUE));
        int page = intParam(req, "page", 1, 1, Integer.MAX_VALUE);
        long from = (long) (page - 1) * perPage;
        for (long i = from; i < Math.min(items.size(), from + perPage); i++) {
            data.add(render.apply(items.get((int) i)));
        }
        if (from + perPage < items.size()) {
            out.put("next_page", link(req, Map.of("page", Integer.toString(page + 1), "per_page",
                    Integer.toString(perPage))));
        } else {
            out.putNull("next_page");
        }
        if (page > 1) {
            out.put("previous_page", link(req, Map.of("page", Integer.toString(page - 1), "per_page",
                    Integer.toString(perPage))));
        } else {
            out.putNull("previous_page");
        }
        out.put("count", items.size());
        return out;
    }
}
